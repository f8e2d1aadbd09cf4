// `cryptex signin --server URL --email E (--qr IMAGE | --qr-text TEXT)`: the new-device flow of DESIGN.md §3.
// The local vault is created only after the key, the sign-in and the verifier all check out.
import { signIn } from "@cryptex/core/client/account.ts";
import { CliError } from "../errors/cli-error.ts";
import { readBounded } from "../io/files.ts";
import { askPassword } from "../io/password.ts";
import { apiFor, defaultDeviceName } from "../net/api.ts";
import type { CommandRun } from "../program/spec.ts";
import { learnProfile, nextStep } from "../sync-targets/account-profile.ts";
import { assertNoAccount, writeNewVault } from "../vault/new-vault.ts";
import { reportSync, syncVault } from "../vault/sync-vault.ts";
import { requireFlag } from "./signup.ts";

export const run: CommandRun = async (ctx, args) => {
  if (args.values.folder !== undefined) return (await import("./signin-folder.ts")).run(ctx, args);
  const server = requireFlag(args.values, "server");
  const email = requireFlag(args.values, "email").trim().toLowerCase();
  const qr = args.values.qr as string | undefined;
  const qrText = args.values["qr-text"] as string | undefined;
  if ((qr === undefined) === (qrText === undefined)) throw new CliError("usage", "give exactly one of --qr IMAGE or --qr-text TEXT");
  await assertNoAccount(ctx);
  let eakText = qrText;
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
    if (account.passwordChanged && !ctx.json)
      ctx.err("Note: this QR code is older than the account's current one (the password was changed since).");
    // how the account syncs: a folder or WebDAV needs one step only this device can take
    const profile = await learnProfile(ctx, api, account.keys);
    const step = profile && nextStep(profile);
    if (step && !ctx.json) ctx.err(step);
    reportSync(ctx, report, { signedIn: true, ...(profile ? { syncMethod: profile.kind } : {}), ...(step ? { nextStep: step } : {}) });
  } finally {
    await store.close();
  }
};
