// The home folder of a local vault: one SQLite file. The folder is 0700 and the file and its -wal/-shm 0600;
// looser modes found on an existing home are repaired, and a home or file owned by another user is refused.
import { chmodSync, existsSync, mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { CliError } from "../errors/cli-error.ts";
import type { Context } from "../program/context.ts";
import { openSqliteStore, type SqliteVaultStore } from "../store/sqlite-store.ts";

export const vaultPath = (home: string): string => join(home, "vault.sqlite");

/** Tightens `path` to `mode` when group or others have any access; refuses a path another user owns. */
function keepPrivate(path: string, mode: number): void {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(path);
  } catch {
    return; // not there (yet)
  }
  if (typeof process.getuid === "function" && st.uid !== process.getuid())
    throw new CliError("file", `${path} belongs to another user: refusing to keep a vault there`);
  if ((st.mode & 0o077) === 0) return;
  try {
    chmodSync(path, mode);
  } catch (e) {
    throw new CliError("file", `${path} is readable by other users and cannot be made private: ${(e as Error).message}`);
  }
}

/** The home, the vault file and SQLite's -wal / -shm files: private before and after SQLite opens them. */
export function keepHomePrivate(home: string): void {
  if (process.platform === "win32") return; // modes do not apply; the profile folder is private
  keepPrivate(home, 0o700);
  const file = vaultPath(home);
  for (const p of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) keepPrivate(p, 0o600);
}

/** Opens the existing vault of this home, or fails with `no_vault`. */
export function openExistingStore(ctx: Context): SqliteVaultStore {
  const path = vaultPath(ctx.home);
  if (!existsSync(path)) throw new CliError("no_vault", `no vault in ${ctx.home}; run cryptex signup or cryptex signin first`);
  keepHomePrivate(ctx.home);
  const store = openSqliteStore(path);
  keepHomePrivate(ctx.home);
  return store;
}

/** Creates the home and an empty vault file for signup/signin. */
export function createStore(ctx: Context): SqliteVaultStore {
  try {
    mkdirSync(ctx.home, { recursive: true, mode: 0o700 });
  } catch (e) {
    throw new CliError("file", `cannot create ${ctx.home}: ${(e as Error).message}`);
  }
  keepHomePrivate(ctx.home);
  const store = openSqliteStore(vaultPath(ctx.home));
  keepHomePrivate(ctx.home);
  return store;
}
