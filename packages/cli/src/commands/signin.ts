// `cryptex signin --server URL --email E (--qr IMAGE | --qr-text TEXT | --qr-text -)`: the new-device flow.
// `--qr-text -` reads the QR text as the first line of stdin (argv is visible to every user in `ps`).
// The local vault is created only after the key, the sign-in and the verifier all check out.
import { signIn } from "@cryptex/core/client/account.ts";
import { CliError } from "../errors/cli-error.ts";
import { readBounded } from "../io/files.ts";
import { askPassword } from "../io/password.ts";
import { apiFor, defaultDeviceName } from "../net/api.ts";
import type { CommandRun } from "../program/spec.ts";
import { assertNoAccount, writeNewVault } from "../vault/new-vault.ts";
import { reportSync, syncVault } from "../vault/sync-vault.ts";
import { requireFlag } from "./signup.ts";

export const run: CommandRun = async (ctx, args) => {
  const server = requireFlag(args.values, "server");
  const email = requireFlag(args.values, "email").trim().toLowerCase();
  const qr = args.values.qr as string | undefined;
  const qrText = args.values["qr-text"] as string | undefined;
  if ((qr === undefined) === (qrText === undefined)) throw new CliError("usage", "give exactly one of --qr IMAGE or --qr-text TEXT");
  await assertNoAccount(ctx);
  let eakText = qrText;
  if (qrText === "-") {
    const { readStdinLine } = await import("../io/stdin.ts");
    eakText = (await readStdinLine())?.trim();
    if (!eakText) throw new CliError("usage", "--qr-text -: expected the CRYPTEX:… text as the first line of stdin");
  }
  const { parseEakText } = await import("@cryptex/core/formats/eak.ts");
  if (qr !== undefined) {
    const { decodeQrImage, MAX_IMAGE_BYTES } = await import("@cryptex/core/formats/qr.ts");
    eakText = decodeQrImage(readBounded(qr, MAX_IMAGE_BYTES, "QR image"));
  }
  parseEakText(eakText!); // a damaged or non-Cryptex code is reported before asking anything
  const api = apiFor(ctx, server);
  const password = await askPassword(ctx, "Account Password: ");
  const account = await signIn({
    api,
    email,
    password,
    eakText: eakText!,
    deviceName: (args.values["device-name"] as string | undefined) ?? defaultDeviceName(),
  });
  const store = await writeNewVault(ctx, account, email, api.baseUrl);
  try {
    if (!ctx.json) ctx.err(`Signed in as ${email}. Syncing…`);
    const report = await syncVault(ctx, store, account.keys, api);
    reportSync(ctx, report, { signedIn: true });
  } finally {
    await store.close();
  }
};
