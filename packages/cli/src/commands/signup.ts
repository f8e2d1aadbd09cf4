// `cryptex signup --server URL --email E [--no-email] [--emergency-kit FILE.png]` (DESIGN.md §3 sign up).
import { signUp } from "@cryptex/core/client/account.ts";
import { CliError } from "../errors/cli-error.ts";
import { assertWritable, writePrivateAtomic } from "../io/files.ts";
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
  const kit = args.values["emergency-kit"] as string | undefined;
  const kitTxt = kit === undefined ? undefined : (await import("../kit/emergency-kit.ts")).kitTextPath(kit);
  if (kit !== undefined) {
    if (!/\.png$/i.test(kit)) throw new CliError("usage", "--emergency-kit must name a .png file");
    for (const f of [kit, kitTxt!]) assertWritable(f); // before the account exists, not after
  }
  const api = apiFor(ctx, server);
  const { assertStrongPassword } = await import("@cryptex/core/keys/password-strength.ts");
  let guesses = 0;
  const password = await askNewPassword(ctx, "Choose an Account Password: ", (p) => {
    guesses = assertStrongPassword(p, [email]).guesses;
  });
  if (!ctx.json) ctx.err(await (await import("../io/guess-time-line.ts")).guessTimeLine(guesses));
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
  const { qrToTerminal } = await import("@cryptex/core/formats/qr.ts");
  if (kit) {
    const { kitPng, kitText } = await import("../kit/emergency-kit.ts");
    const info = { eakText: account.eakText, email, serverUrl: api.baseUrl, createdAt: new Date() };
    writePrivateAtomic(kit, kitPng(info));
    writePrivateAtomic(kitTxt!, new TextEncoder().encode(kitText(info)));
  }
  if (ctx.json) {
    ctx.out(
      JSON.stringify({
        accountId: account.accountId,
        email,
        server: api.baseUrl,
        mailed: sendEmail,
        emergencyKit: kit ?? null,
        emergencyKitText: kitTxt ?? null,
      }),
    );
    return;
  }
  ctx.out(qrToTerminal(account.eakText));
  ctx.out(
    [
      `Account ${email} created (${account.accountId}).`,
      "This QR code holds your encrypted Account Key: with your Account Password it signs in a new device.",
      sendEmail ? `It was mailed to ${email} ("IMPORTANT: Cryptex Account QR Code").` : "It was not mailed (--no-email).",
      ...(kit ? [`Emergency Kit written to ${kit} (and its text to ${kitTxt}): print it or keep it offline.`] : []),
      "Show it again at any time: cryptex account qr",
    ].join("\n"),
  );
};
