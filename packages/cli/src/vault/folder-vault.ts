// The local vault of an account that lives in a synced folder (no server): meta without a server or
// session, and the folder as this device's sync method.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Eak } from "@cryptex/core/formats/eak.ts";
import { newUuid } from "@cryptex/core/ids.ts";
import { emailHash, readFolderAccount } from "@cryptex/core/sync/log/folder-account.ts";
import { CliError } from "../errors/cli-error.ts";
import type { Context } from "../program/context.ts";
import type { SqliteVaultStore } from "../store/sqlite-store.ts";
import { FolderStore } from "../sync-targets/folder-store.ts";
import { writeMethod } from "../sync-targets/sync-method.ts";
import { createStore } from "./home.ts";

/** The folder named by --folder, made absolute; exit 17 when it is not a folder. */
export function folderArg(dir: unknown): string {
  if (typeof dir !== "string" || dir === "") throw new CliError("usage", "--folder DIR needs a folder");
  const abs = resolve(dir);
  if (!existsSync(abs) || !statSync(abs).isDirectory()) throw new CliError("file", `${abs} is not a folder`);
  return abs;
}

/** The account's own corner of the folder. */
export const accountStore = (dir: string, accountId: string): FolderStore => new FolderStore(join(dir, "Cryptex", accountId));

/** Finds the account of this address among the accounts a folder holds. */
export async function findFolderAccount(dir: string, email: string) {
  const root = join(dir, "Cryptex");
  const ids = existsSync(root) ? readdirSync(root).filter((n) => /^[0-9a-f-]{36}$/.test(n)) : [];
  for (const id of ids) {
    try {
      const store = accountStore(dir, id);
      const account = await readFolderAccount(store);
      if (account.accountId === id && account.emailHash === emailHash(email)) return { store, account };
    } catch {
      // another account's damaged or half-copied file: not this one
    }
  }
  throw new CliError("not_found", `no Cryptex account of ${email} in ${dir} (is the sync client done copying?)`);
}

export async function writeFolderVault(
  ctx: Context,
  a: { accountId: string; email: string; eak: Eak; dir: string },
): Promise<SqliteVaultStore> {
  const store = createStore(ctx);
  await store.write({
    meta: {
      accountId: a.accountId,
      email: a.email,
      serverUrl: "",
      eak: a.eak.bytes,
      eakGeneration: 0,
      resetEpoch: 0,
      cursor: 0,
      deviceId: newUuid(),
      sessionToken: undefined,
    },
  });
  writeMethod(ctx.home, { method: { kind: "folder", dir: a.dir } });
  return store;
}
