// `cryptex account forgot --server URL --email E [--code CODE]`: the forgotten-password way out. Mails a code; the code erases
// the account's server copy so the address can sign up again. Says before and after that no one can recover it.
import { confirmAccountErase, requestAccountErase } from "@cryptex/core/client/account.ts";
import { EMAIL_PATTERN } from "@cryptex/core/wire/api.ts";
import { CliError } from "../errors/cli-error.ts";
import { askLine } from "../io/password.ts";
import { readStdinLine } from "../io/stdin.ts";
import { apiFor } from "../net/api.ts";
import type { CommandRun } from "../program/spec.ts";
import { requireFlag } from "./signup.ts";

const BEFORE = [
  "Forgot your Account Password or lost every copy of your Account QR Code?",
  "Cryptex cannot recover your data: it is encrypted with keys that only your password and Account Key open,",
  "and no one (not you, not the server's operator) has them. What can be done is to ERASE the account on the",
  "server and create a new one with the same address. Every item stored there is then gone for good.",
  "Devices that are still signed in keep their own copy: export it there first (cryptex export).",
].join("\n");

export const run: CommandRun = async (ctx, args) => {
  const server = requireFlag(args.values, "server");
  const email = requireFlag(args.values, "email").trim().toLowerCase();
  if (!EMAIL_PATTERN.test(email) || email.length > 254)
    throw new CliError("usage", `"${email.slice(0, 254)}" is not one plain e-mail address`);
  const api = apiFor(ctx, server);
  let code = args.values.code as string | undefined;
  if (code === undefined) {
    if (!ctx.json) ctx.err(BEFORE);
    await requestAccountErase(api, email);
    ctx.err(`If ${email} has an account on ${api.baseUrl}, a code was mailed to it ("Cryptex: your code to reset your account").`);
    if (!ctx.stdinIsTty && !ctx.passwordStdin) {
      // a script without a terminal: the code is given in a second run
      ctx.err(`To erase the account, run again with --code CODE (it works once, for 24 hours).`);
      if (ctx.json) ctx.out(JSON.stringify({ mailed: true, email, server: api.baseUrl }));
      return;
    }
    code = ctx.passwordStdin ? await readStdinLine() : await askLine("Code from the mail (entering it erases the account): ");
  }
  if (code === undefined || code.trim() === "") throw new CliError("usage", "expected the code from the mail (8 digits)");
  await confirmAccountErase(api, email, code);
  if (ctx.json) return ctx.out(JSON.stringify({ erased: true, email, server: api.baseUrl }));
  ctx.out(
    [
      `The account ${email} was erased on ${api.baseUrl}. Its data there is gone and cannot be recovered by anyone.`,
      `Create a new account with the same address: cryptex signup --server ${api.baseUrl} --email ${email}`,
      "(a device that held the old account keeps its local copy: export it with cryptex export, then sign up from a new CRYPTEX_HOME).",
    ].join("\n"),
  );
};
