// `cryptex device approve CODE` (flow A/C: the new device shows the code) and `cryptex device add` (flow B:
// this device shows it): approve a new device, which then signs in with the account's EAK and its password.
import { approveDevice, PairingChannel as Channel, newPairingSecret, type PairingChannel, parsePairingCode } from "@cryptex/core";
import { CliError } from "../errors/cli-error.ts";
import { confirmPairing, printComparison, printPairingCode } from "../io/pairing-output.ts";
import { apiFor, relayFor } from "../net/api.ts";
import type { Context } from "../program/context.ts";
import type { CommandRun } from "../program/spec.ts";
import { type UnlockedVault, unlockVault } from "../vault/unlock.ts";

async function approve(ctx: Context, v: UnlockedVault, channel: PairingChannel, yes: boolean): Promise<void> {
  const api = apiFor(ctx, v.meta.serverUrl, v.serverToken);
  const out = await approveDevice({
    api,
    keys: v.keys,
    email: v.meta.email,
    channel,
    confirm: (r) => confirmPairing(ctx, r, yes),
  });
  const name = out.request.deviceName;
  if (ctx.json) {
    ctx.out(JSON.stringify({ approved: out.approved, deviceName: name, signedIn: out.approved && out.signedIn }));
  } else if (!out.approved) {
    ctx.out("Refused: nothing was sent to the new device.");
  } else if (out.signedIn) {
    ctx.out(`Device "${name}" added: it is signed in.`);
  } else {
    ctx.out(`Approved, but "${name}" could not sign in (${out.reason ?? "unknown reason"}); it can try again with a new code.`);
  }
}

export const run: CommandRun = async (ctx, args) => {
  const yes = args.values.yes === true;
  // Checked first: a question that cannot be asked must not leave the other device waiting.
  if (!yes && !ctx.stdinIsTty) throw new CliError("usage", "no terminal to ask: compare the comparison code yourself and pass --yes");
  const v = await unlockVault(ctx);
  try {
    const origin = new URL(v.meta.serverUrl).origin;
    const relay = relayFor(ctx, v.meta.serverUrl);
    let channel: PairingChannel;
    if (args.command === "device approve") {
      const secret = parsePairingCode(args.positionals[0]!, origin);
      channel = await Channel.join({ relay, secret, origin });
    } else {
      const secret = newPairingSecret();
      const opened = await Channel.open({ relay, secret, origin });
      await printPairingCode(
        ctx,
        secret,
        origin,
        "the new device (cryptex signin --pair-code CODE)",
        args.values.png as string | undefined,
      );
      channel = await opened.connect();
      printComparison(ctx, channel.comparison);
    }
    await approve(ctx, v, channel, yes);
  } finally {
    await v.store.close();
  }
};
