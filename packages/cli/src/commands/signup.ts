// `cryptex signup --server URL --email E [--no-email] [--emergency-kit FILE.png]` (DESIGN.md §3 sign up).
import { signUp } from "@cryptex/core/client/account.ts";
import { CliError } from "../errors/cli-error.ts";
import { writePrivateAtomic } from "../io/files.ts";
import { askNewPassword } from "../io/password.ts";
import { apiFor, defaultDeviceName } from "../net/api.ts";
import type { CommandRun } from "../program/spec.ts";
import { assertNoAccount, writeNewVault } from "../vault/new-vault.ts";

export function requireFlag(values: Record<string, unknown>, name: string): string {
  const v = values[name];
  if (typeof v !== "string" || v === "") throw new CliError("usage", `--${name} is required`);
  return v;
}

export const run: CommandRun = async (ctx, args) => {
  const server = requireFlag(args.values, "server");
  const email = requireFlag(args.values, "email").trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+$/.test(email) || email.length > 254) throw new CliError("usage", `"${email}" is not an e-mail address`);
  await assertNoAccount(ctx);
  const api = apiFor(ctx, server);
  const { assertStrongPassword } = await import("@cryptex/core/keys/password-strength.ts");
  const password = await askNewPassword(ctx, "Choose an Account Password: ", (p) => {
    const s = assertStrongPassword(p, [email]);
    if (!ctx.passwordStdin) ctx.err(`Strength ${s.score}/4, offline cracking time: ${s.crackTime}.`);
  });
  const sendEmail = args.values["no-email"] !== true;
  const account = await signUp({
    api,
    email,
    password,
    deviceName: (args.values["device-name"] as string | undefined) ?? defaultDeviceName(),
    sendEmail,
  });
  const store = await writeNewVault(ctx, account, email, api.baseUrl);
  await store.close();
  const { qrToPng, qrToTerminal } = await import("@cryptex/core/formats/qr.ts");
  const kit = args.values["emergency-kit"] as string | undefined;
  if (kit) writePrivateAtomic(kit, qrToPng(account.eakText));
  if (ctx.json) {
    ctx.out(JSON.stringify({ accountId: account.accountId, email, server: api.baseUrl, mailed: sendEmail, emergencyKit: kit ?? null }));
    return;
  }
  ctx.out(qrToTerminal(account.eakText));
  ctx.out(
    [
      `Account ${email} created (${account.accountId}).`,
      "This QR code holds your encrypted Account Key: with your Account Password it signs in a new device.",
      sendEmail ? `It was mailed to ${email} ("IMPORTANT: Cryptex Account QR Code").` : "It was not mailed (--no-email).",
      ...(kit ? [`Emergency Kit written to ${kit}.`] : []),
      "Show it again at any time: cryptex account qr",
    ].join("\n"),
  );
};
