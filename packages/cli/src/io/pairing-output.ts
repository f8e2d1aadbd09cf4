// What the terminal shows while pairing: the QR code and the typed code (on a line of its own, for scripts),
// then the comparison code; and the approving device's question.
import { type PairingRequestView, type PairingSecret, pairingCodeText, pairingUri } from "@cryptex/core";
import { CliError } from "../errors/cli-error.ts";
import type { Context } from "../program/context.ts";
import { writePrivateAtomic } from "./files.ts";
import { askLine } from "./password.ts";

export async function printPairingCode(ctx: Context, secret: PairingSecret, origin: string, other: string, png?: string): Promise<void> {
  const code = pairingCodeText(secret);
  const uri = pairingUri(secret, origin);
  if (png) {
    const { qrToPng } = await import("@cryptex/core/formats/qr.ts");
    writePrivateAtomic(png, qrToPng(uri));
  }
  if (ctx.json) {
    ctx.out(JSON.stringify({ pairingCode: code, pairingUri: uri }));
    return;
  }
  const { qrToTerminal } = await import("@cryptex/core/formats/qr.ts");
  ctx.out(`${qrToTerminal(uri)}\nScan this on ${other}, or type the code there (valid 5 minutes, once):`);
  ctx.out(`Pairing code: ${code}`);
}

export function printComparison(ctx: Context, comparison: string): void {
  if (ctx.json) ctx.out(JSON.stringify({ comparisonCode: comparison }));
  else ctx.out(`Comparison code: ${comparison}  (the other device must show the same)`);
}

/** "Approve 'NAME' for E-MAIL?" with the comparison code; `yes` skips the question (the script compared). */
export async function confirmPairing(ctx: Context, r: PairingRequestView, yes: boolean): Promise<boolean> {
  const what = `"${r.deviceName.replace(/[\p{Cc}]/gu, "?")}"${r.platform ? ` (${r.platform.replace(/[\p{Cc}]/gu, "?")})` : ""}`;
  ctx.err(`A new device asks to sign in: ${what} for ${r.email}.`);
  ctx.err(`Comparison code: ${r.comparison}`);
  if (yes) return true;
  if (!ctx.stdinIsTty) throw new CliError("usage", "no terminal to ask: compare the code yourself and pass --yes");
  const answer = (await askLine(`Approve ${what} for ${r.email}? Only if the new device shows ${r.comparison}. [y/N] `)).trim();
  return /^y(es)?$/i.test(answer);
}
