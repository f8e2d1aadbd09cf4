// `cryptex signin --folder DIR --email E (--qr IMAGE | --qr-text TEXT | --key-file)`: a new device of an
// account that lives in a synced folder. A QR code or key file of another account is refused (exit 7)
// before the password is asked or any Argon2id runs; then the folder's verifier proves the key.
import { type Eak, parseEakText } from "@cryptex/core/formats/eak.ts";
import { openFolderAccount, readKeyFile } from "@cryptex/core/sync/log/folder-account.ts";
import { CliError } from "../errors/cli-error.ts";
import { readBounded } from "../io/files.ts";
import { askPassword } from "../io/password.ts";
import type { CommandRun } from "../program/spec.ts";
import { reportLogSync, syncThroughLog } from "../sync-targets/log-sync.ts";
import { findFolderAccount, folderArg, writeFolderVault } from "../vault/folder-vault.ts";
import { assertNoAccount } from "../vault/new-vault.ts";
import { requireFlag } from "./signup.ts";

export const run: CommandRun = async (ctx, args) => {
  if (args.values.server !== undefined) throw new CliError("usage", "--folder and --server exclude each other");
  const dir = folderArg(args.values.folder);
  const email = requireFlag(args.values, "email").trim().toLowerCase();
  const qr = args.values.qr as string | undefined;
  const qrText = args.values["qr-text"] as string | undefined;
  const useKeyFile = args.values["key-file"] === true;
  if ([qr, qrText, useKeyFile || undefined].filter((x) => x !== undefined).length !== 1)
    throw new CliError("usage", "give exactly one of --qr IMAGE, --qr-text TEXT or --key-file");
  await assertNoAccount(ctx);
  const { store, account } = await findFolderAccount(dir, email);
  let eak: Eak | undefined;
  if (useKeyFile) {
    eak = await readKeyFile(store);
    if (!eak) throw new CliError("not_found", "this account keeps no key file in the folder: sign in with the QR code (--qr or --qr-text)");
  } else if (qr !== undefined) {
    const { decodeQrImage, MAX_IMAGE_BYTES } = await import("@cryptex/core/formats/qr-decode.ts");
    eak = parseEakText(decodeQrImage(readBounded(qr, MAX_IMAGE_BYTES, "QR image")));
  } else eak = parseEakText(qrText!);
  const unlocked = await openFolderAccount(account, email, eak, () => askPassword(ctx, "Account Password: "));
  const vault = await writeFolderVault(ctx, { accountId: account.accountId, email, eak, dir });
  try {
    if (!ctx.json) ctx.err(`Signed in as ${email} from ${dir}. Syncing…`);
    const meta = (await vault.readMeta())!;
    const report = await syncThroughLog(ctx, vault, unlocked.keys, meta, { kind: "folder", dir });
    reportLogSync(ctx, report);
  } finally {
    await vault.close();
  }
};
