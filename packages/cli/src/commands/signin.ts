// `cryptex signin --server URL --email E (--qr IMAGE | --qr-text TEXT | --qr-text - | --pair | --pair-code CODE)`:
// the new-device flow, or approval from a device already signed in (flows A and B of docs/security.md §8).
// `--qr-text -` reads the QR text as the first line of stdin (argv is visible to every user in `ps`).
// The local vault is created only after the key, the sign-in and the verifier all check out.

import type { PairingChannel } from "@cryptex/core";
import { signIn } from "@cryptex/core/client/account.ts";
import type { ApiClient } from "@cryptex/core/client/api-client.ts";
import { CliError } from "../errors/cli-error.ts";
import { readBounded } from "../io/files.ts";
import { askPassword } from "../io/password.ts";
import { apiFor, defaultDeviceName, relayFor } from "../net/api.ts";
import type { Context } from "../program/context.ts";
import type { CommandRun } from "../program/spec.ts";
import { learnProfile, nextStep } from "../sync-targets/account-profile.ts";
import { assertNoAccount, writeNewVault } from "../vault/new-vault.ts";
import { reportSync, syncVault } from "../vault/sync-vault.ts";
import { requireFlag } from "./signup.ts";

/** Flows A (--pair: this device shows the code) and B/C (--pair-code: it was shown on the other device). */
async function signInByPairing(
  ctx: Context,
  api: ApiClient,
  server: string,
  email: string,
  deviceName: string,
  code: string | undefined,
  png: string | undefined,
) {
  const core = await import("@cryptex/core");
  const { printComparison, printPairingCode } = await import("../io/pairing-output.ts");
  const relay = relayFor(ctx, server);
  const origin = api.origin;
  const secret = code === undefined ? core.newPairingSecret() : core.parsePairingCode(code, origin);
  const password = await askPassword(ctx, "Account Password: ");
  let channel: PairingChannel;
  if (code === undefined) {
    const opened = await core.PairingChannel.open({ relay, secret, origin });
    await printPairingCode(ctx, secret, origin, "a signed-in device (cryptex device approve CODE)", png);
    channel = await opened.connect();
  } else {
    channel = await core.PairingChannel.join({ relay, secret, origin });
  }
  printComparison(ctx, channel.comparison);
  if (!ctx.json) ctx.err("Waiting for the other device to approve…");
  return core.signInByPairing({
    origin,
    channel,
    email,
    deviceName,
    platform: `cryptex CLI (${process.platform})`,
    signIn: (eakText) => signIn({ api, email, password, eakText, deviceName }),
  });
}

export const run: CommandRun = async (ctx, args) => {
  if (args.values.folder !== undefined) return (await import("./signin-folder.ts")).run(ctx, args);
  const server = requireFlag(args.values, "server");
  const email = requireFlag(args.values, "email").trim().toLowerCase();
  const qr = args.values.qr as string | undefined;
  const qrText = args.values["qr-text"] as string | undefined;
  const pair = args.values.pair === true;
  const pairCode = args.values["pair-code"] as string | undefined;
  if ([qr, qrText, pair ? true : undefined, pairCode].filter((x) => x !== undefined).length !== 1)
    throw new CliError("usage", "give exactly one of --qr IMAGE, --qr-text TEXT, --pair or --pair-code CODE");
  await assertNoAccount(ctx);
  const api = apiFor(ctx, server);
  const deviceName = (args.values["device-name"] as string | undefined) ?? defaultDeviceName();
  let account: Awaited<ReturnType<typeof signIn>>;
  if (pair || pairCode !== undefined) {
    account = await signInByPairing(ctx, api, server, email, deviceName, pairCode, args.values.png as string | undefined);
  } else {
    let eakText = qrText;
    if (qrText === "-") {
      const { readStdinLine } = await import("../io/stdin.ts");
      eakText = (await readStdinLine())?.trim();
      if (!eakText) throw new CliError("usage", "--qr-text -: expected the CRYPTEX:… text as the first line of stdin");
    }
    const { parseEakText } = await import("@cryptex/core/formats/eak.ts");
    if (qr !== undefined) {
      const { decodeQrImage, MAX_IMAGE_BYTES } = await import("@cryptex/core/formats/qr-decode.ts");
      eakText = decodeQrImage(readBounded(qr, MAX_IMAGE_BYTES, "QR image"));
    }
    parseEakText(eakText!); // a damaged or non-Cryptex code is reported before asking anything
    const password = await askPassword(ctx, "Account Password: ");
    account = await signIn({ api, email, password, eakText: eakText!, deviceName });
  }
  const store = await writeNewVault(ctx, account, email, api.baseUrl);
  try {
    if (!ctx.json) ctx.err(`Signed in as ${email}. Syncing…`);
    const report = await syncVault(ctx, store, account.keys, api);
    // how the account syncs: a folder or WebDAV needs one step only this device can take
    const profile = await learnProfile(ctx, api, account.keys);
    const step = profile && nextStep(profile);
    if (step && !ctx.json) ctx.err(step);
    reportSync(ctx, report, { signedIn: true, ...(profile ? { syncMethod: profile.kind } : {}), ...(step ? { nextStep: step } : {}) });
  } finally {
    await store.close();
  }
};
