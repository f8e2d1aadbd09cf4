// Opens the local vault with keys: from CRYPTEX_SESSION when it is valid, else by asking the password.
import type { AccountKey } from "@cryptex/core/account-key.ts";
import type { AccountKeys } from "@cryptex/core/account-keys.ts";
import type { VaultIndex } from "@cryptex/core/formats/vault-index.ts";
import type { AccountId } from "@cryptex/core/ids.ts";
import type { VaultMeta } from "@cryptex/core/sync/ports.ts";
import { CliError } from "../errors/cli-error.ts";
import { askPassword } from "../io/password.ts";
import type { Context } from "../program/context.ts";
import type { SqliteVaultStore } from "../store/sqlite-store.ts";
import { openExistingStore } from "./home.ts";
import { openSession } from "./session.ts";

export interface UnlockedVault {
  readonly store: SqliteVaultStore;
  readonly meta: VaultMeta;
  readonly accountId: AccountId;
  readonly accountKey: AccountKey;
  readonly keys: AccountKeys;
  /** S, present only when unlocked by password (needed to sign in again or change the password) */
  readonly stretched: Uint8Array | undefined;
  /** the server session token, opened from its sealed form in the vault file (not with `serverToken: false`) */
  readonly serverToken: string | undefined;
  /**
   * In an agent: the index it opened for an earlier command while the file has not changed since (read-index.ts).
   * "search" and "all" are kept apart: building every entry changes which rows a later search gets, in what order.
   */
  readonly heldIndex?: (use: "search" | "all") => Promise<VaultIndex | undefined>;
}

/** Set in an agent process only (agent/held-vault.ts): the read commands get the vault it keeps open. */
let held: ((ctx: Context) => Promise<UnlockedVault>) | undefined;
export function holdVault(open: ((ctx: Context) => Promise<UnlockedVault>) | undefined): void {
  held = open;
}

/** The server token kept in the vault file; one written in clear by an older version is sealed now. */
async function serverToken(store: SqliteVaultStore, meta: VaultMeta, keys: AccountKeys): Promise<string | undefined> {
  const { isSealedServerToken, openServerToken, sealServerToken } = await import("@cryptex/core/formats/server-token.ts");
  let token: string | undefined;
  try {
    token = await openServerToken(keys, meta.sessionToken);
  } catch {
    return undefined; // sealed under another key (an older vault state): sync signs in again with the password
  }
  if (token !== undefined && !isSealedServerToken(meta.sessionToken!))
    await store.write({ meta: { sessionToken: await sealServerToken(keys, token) } });
  return token;
}

export async function readMetaOrFail(store: SqliteVaultStore, ctx: Context): Promise<VaultMeta> {
  const meta = await store.readMeta();
  if (!meta) throw new CliError("no_vault", `no account in ${ctx.home}; run cryptex signup or cryptex signin first`);
  return meta;
}

/**
 * `needPassword` forces the password (for commands that sign with the auth key). `serverToken: false` is for
 * the read commands, which never talk to a server: they skip opening the server token (a module load and a
 * decrypt on every `get`).
 */
export async function unlockVault(ctx: Context, opts: { needPassword?: boolean; serverToken?: boolean } = {}): Promise<UnlockedVault> {
  if (held && ctx.sessionToken && !opts.needPassword && opts.serverToken === false) return held(ctx);
  const store = openExistingStore(ctx);
  try {
    const meta = await readMetaOrFail(store, ctx);
    const accountId = meta.accountId as AccountId;
    const { deriveAccountKeys } = await import("@cryptex/core/account-keys.ts");
    if (ctx.sessionToken && !opts.needPassword) {
      const accountKey = await openSession(store, accountId, ctx.sessionToken);
      const keys = await deriveAccountKeys(accountKey, accountId);
      const token = opts.serverToken === false ? undefined : await serverToken(store, meta, keys);
      return { store, meta, accountId, accountKey, keys, stretched: undefined, serverToken: token };
    }
    const password = await askPassword(ctx, "Account Password: ");
    const { unlockWithPassword } = await import("@cryptex/core/client/account.ts");
    const u = await unlockWithPassword(meta, password);
    const token = opts.serverToken === false ? undefined : await serverToken(store, meta, u.keys);
    return { store, meta, accountId, accountKey: u.accountKey, keys: u.keys, stretched: u.stretched, serverToken: token };
  } catch (e) {
    await store.close();
    throw e;
  }
}
