// `cryptex signup --server URL --email E [--no-email] [--emergency-kit FILE.png]`: new keys on this device, then
// the code the server mails to the address: asked on the terminal, or the next stdin line with --password-stdin.
// When stdin ends before the code, the pending sign-up is kept in the home and `cryptex signup --code CODE`
// finishes it in a later run.
import {
  confirmSignUp,
  type OpenedAccount,
  type PendingSignUp,
  resumeSignUp,
  startSignUp,
  toSavedSignUp,
} from "@cryptex/core/client/account.ts";
import type { ApiClient } from "@cryptex/core/client/api-client.ts";
import { EMAIL_PATTERN } from "@cryptex/core/wire/api.ts";
import { CliError } from "../errors/cli-error.ts";
import { assertWritable, writePrivateAtomic } from "../io/files.ts";
import { askLine, askNewPassword, askPassword } from "../io/password.ts";
import { readStdinLine } from "../io/stdin.ts";
import { apiFor, defaultDeviceName } from "../net/api.ts";
import type { Context } from "../program/context.ts";
import type { CommandRun } from "../program/spec.ts";
import { assertNoAccount, writeNewVault } from "../vault/new-vault.ts";
import { clearPendingSignUp, readPendingSignUp, savePendingSignUp } from "../vault/pending-signup.ts";

export function requireFlag(values: Record<string, unknown>, name: string): string {
  const v = values[name];
  if (typeof v !== "string" || v === "") throw new CliError("usage", `--${name} is required`);
  return v;
}

export const run: CommandRun = async (ctx, args) => {
  if (args.values.folder !== undefined) return (await import("./signup-folder.ts")).run(ctx, args);
  await assertNoAccount(ctx);
  const kit = args.values["emergency-kit"] as string | undefined;
  const kitTxt = kit === undefined ? undefined : (await import("../kit/emergency-kit.ts")).kitTextPath(kit);
  if (kit !== undefined) {
    if (!/\.png$/i.test(kit)) throw new CliError("usage", "--emergency-kit must name a .png file");
    for (const f of [kit, kitTxt!]) assertWritable(f); // before the account exists, not after
  }
  const sendEmail = args.values["no-email"] !== true;
  const code = args.values.code as string | undefined;
  const started = code === undefined ? await start(ctx, args.values) : await resume(ctx, code, sendEmail);
  if (!started) return;
  const { api, account } = started;
  const email = account.email;
  const store = await writeNewVault(ctx, account, email, api.baseUrl);
  await store.close();
  clearPendingSignUp(ctx);
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
      sendEmail
        ? `It was mailed to ${email} ("IMPORTANT: Cryptex Account QR Code for your new account").`
        : "It was not mailed (--no-email).",
      ...(kit ? [`Emergency Kit written to ${kit} (and its text to ${kitTxt}): print it or keep it offline.`] : []),
      "Show it again at any time: cryptex account qr",
    ].join("\n"),
  );
};

type Started = { api: ApiClient; account: OpenedAccount & { email: string } } | undefined;

/** A new sign-up: password, keys, the mailed code. Undefined when the code is to come in a later run. */
async function start(ctx: Context, values: Record<string, unknown>): Promise<Started> {
  const server = requireFlag(values, "server");
  const email = requireFlag(values, "email").trim().toLowerCase();
  if (!EMAIL_PATTERN.test(email) || email.length > 254)
    throw new CliError("usage", `"${email.slice(0, 254)}" is not one plain e-mail address (like name@example.org)`);
  const api = apiFor(ctx, server);
  const { assertStrongPassword } = await import("@cryptex/core/password-strength.ts");
  let guesses = 0;
  const password = await askNewPassword(ctx, "Choose an Account Password: ", (p) => {
    guesses = assertStrongPassword(p, [email]).guesses;
  });
  if (!ctx.json) ctx.err(await (await import("../io/guess-time-line.ts")).guessTimeLine(guesses));
  const pending = await startSignUp({
    api,
    email,
    password,
    deviceName: (values["device-name"] as string | undefined) ?? defaultDeviceName(),
  });
  ctx.err(
    `A confirmation code was mailed to ${email} ("Cryptex: your code to confirm your e-mail address"). ` +
      "The account exists once the code is entered; it works for 24 hours.",
  );
  const account = await confirmWithCode(ctx, api, pending, values["no-email"] !== true);
  if (account) return { api, account: { ...account, email } };
  const path = savePendingSignUp(ctx, { ...toSavedSignUp(pending), server: api.baseUrl });
  if (ctx.json) ctx.out(JSON.stringify({ pending: true, email, server: api.baseUrl, expiresAt: pending.expiresAt }));
  else
    ctx.out(
      `No code on stdin: the sign-up waits in ${path} (encrypted key only). Finish it with\n` +
        `  cryptex signup --code CODE --password-stdin   (the Account Password on stdin; add --no-email / --emergency-kit as wanted)`,
    );
  return undefined;
}

/** `--code`: finishes the sign-up kept by an earlier run, opened with the Account Password. */
async function resume(ctx: Context, code: string, sendEmail: boolean): Promise<Started> {
  const saved = readPendingSignUp(ctx, Date.now());
  const api = apiFor(ctx, saved.server);
  const pending = await resumeSignUp(saved, await askPassword(ctx, "Account Password: "));
  return { api, account: { ...(await confirmSignUp(api, pending, code, sendEmail)), email: saved.email } };
}

/**
 * Asks for the mailed code: on the terminal up to 5 tries (the server's limit), from stdin once. Undefined when
 * stdin ended before a code line (a script that gives the code in a later run with --code).
 */
async function confirmWithCode(
  ctx: Context,
  api: ApiClient,
  pending: PendingSignUp,
  sendEmail: boolean,
): Promise<OpenedAccount | undefined> {
  for (let attempt = 1; ; attempt++) {
    let code: string | undefined;
    if (ctx.passwordStdin) {
      code = await readStdinLine();
      if (code === undefined) return undefined;
    } else code = await askLine("Code from the mail: ");
    if (code.trim() === "") throw new CliError("usage", "expected the code from the mail (8 digits)");
    try {
      return await confirmSignUp(api, pending, code, sendEmail);
    } catch (e) {
      const retry = !ctx.passwordStdin && attempt < 5;
      if (!retry || !["invalid_input", "code_invalid"].includes((e as { code?: string }).code ?? "")) throw e;
      ctx.err(`${(e as Error).message}. Try again.`);
    }
  }
}
