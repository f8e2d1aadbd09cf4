// The home folder of a local vault: one SQLite file, created private (0700 folder, 0600 file).
import { chmodSync, existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { CliError } from "../errors/cli-error.ts";
import type { Context } from "../program/context.ts";
import { openSqliteStore, type SqliteVaultStore } from "../store/sqlite-store.ts";

export const vaultPath = (home: string): string => join(home, "vault.sqlite");

/** Opens the existing vault of this home, or fails with `no_vault`. */
export function openExistingStore(ctx: Context): SqliteVaultStore {
  const path = vaultPath(ctx.home);
  if (!existsSync(path)) throw new CliError("no_vault", `no vault in ${ctx.home}; run cryptex signup or cryptex signin first`);
  return openSqliteStore(path);
}

/** Creates the home and an empty vault file for signup/signin. */
export function createStore(ctx: Context): SqliteVaultStore {
  try {
    mkdirSync(ctx.home, { recursive: true, mode: 0o700 });
  } catch (e) {
    throw new CliError("file", `cannot create ${ctx.home}: ${(e as Error).message}`);
  }
  const path = vaultPath(ctx.home);
  const store = openSqliteStore(path);
  try {
    chmodSync(path, 0o600);
  } catch {
    // not fatal: a filesystem without modes
  }
  return store;
}
