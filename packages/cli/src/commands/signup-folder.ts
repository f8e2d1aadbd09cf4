// `cryptex signup --folder DIR --email E [--key-file] [--emergency-kit FILE.png]`: an account without any
// server. Its verifier (and, opted in, its encrypted Account Key) are files in the synced folder; no mail
// is sent, so the QR code on screen and the Emergency Kit are the only copies unless --key-file is given.
import { createFolderAccount } from "@cryptex/core/sync/log/folder-account.ts";
import { EMAIL_PATTERN } from "@cryptex/core/wire/api.ts";
import { CliError } from "../errors/cli-error.ts";
import { assertWritable, writePrivateAtomic } from "../io/files.ts";
import { askNewPassword } from "../io/password.ts";
import type { CommandRun } from "../program/spec.ts";
import { accountStore, folderArg, writeFolderVault } from "../vault/folder-vault.ts";
import { assertNoAccount } from "../vault/new-vault.ts";
import { requireFlag } from "./signup.ts";

export const run: CommandRun = async (ctx, args) => {
  await assertNoAccount(ctx);
  if (args.values.server !== undefined) throw new CliError("usage", "--folder and --server exclude each other");
  const dir = folderArg(args.values.folder);
  const email = requireFlag(args.values, "email").trim().toLowerCase();
  if (!EMAIL_PATTERN.test(email) || email.length > 254)
    throw new CliError("usage", `"${email.slice(0, 254)}" is not one plain e-mail address`);
  const kit = args.values["emergency-kit"] as string | undefined;
  const { kitTextPath } = await import("../kit/emergency-kit.ts");
  if (kit !== undefined) {
    if (!/\.png$/i.test(kit)) throw new CliError("usage", "--emergency-kit must name a .png file");
    for (const f of [kit, kitTextPath(kit)]) assertWritable(f);
  }
  const { assertStrongPassword } = await import("@cryptex/core/password-strength.ts");
  const password = await askNewPassword(ctx, "Choose an Account Password: ", (p) => {
    const s = assertStrongPassword(p, [email]);
    if (!ctx.passwordStdin) ctx.err(`Strength ${s.score}/4, offline cracking time: ${s.crackTime}.`);
  });
  const { newAccountId } = await import("@cryptex/core/ids.ts");
  const accountId = newAccountId();
  const keyFile = args.values["key-file"] === true;
  const account = await createFolderAccount(accountStore(dir, accountId), { email, password, keyFile, accountId });
  const store = await writeFolderVault(ctx, { accountId, email, eak: account.eak, dir });
  await store.close();
  if (kit) {
    const { kitPng, kitText } = await import("../kit/emergency-kit.ts");
    const info = { eakText: account.eakText, email, serverUrl: `folder ${dir}`, createdAt: new Date() };
    writePrivateAtomic(kit, kitPng(info));
    writePrivateAtomic(kitTextPath(kit), new TextEncoder().encode(kitText(info)));
  }
  if (ctx.json) {
    ctx.out(JSON.stringify({ accountId, email, folder: dir, keyFile, eakText: account.eakText, emergencyKit: kit ?? null }));
    return;
  }
  const { qrToTerminal } = await import("@cryptex/core/formats/qr.ts");
  ctx.out(qrToTerminal(account.eakText));
  ctx.out(
    [
      `Account ${email} created (${accountId}) in ${dir}; no server and no mail.`,
      "This QR code holds your encrypted Account Key: with your Account Password it signs in a new device",
      `(cryptex signin --folder DIR --email ${email} --qr-text …).`,
      keyFile
        ? "The encrypted Account Key is also kept in the folder (--key-file): whoever can read the folder can try to guess the password offline."
        : "It is not kept anywhere else: print the Emergency Kit (--emergency-kit) or keep the text above offline.",
      ...(kit ? [`Emergency Kit written to ${kit}.`] : []),
    ].join("\n"),
  );
};
