// What an agent holds for its session: the vault file open, the Account Key opened from the session, the
// keys derived from it and the indexes its commands opened. Before each command (and every second while idle)
// it asks SQLite whether anything was committed since (store.changeMark): if so it drops all of it and opens
// the session again exactly as a command would, so a sync, add, edit, import, password change, key rotation
// or lock made by any process is seen by the next command. A session that ended or expired ends the agent.
import { timingSafeEqual } from "node:crypto";
import { statSync } from "node:fs";
import { resolve } from "node:path";
import { deriveAccountKeys } from "@cryptex/core/account-keys.ts";
import type { VaultIndex } from "@cryptex/core/formats/vault-index.ts";
import type { AccountId } from "@cryptex/core/ids.ts";
import type { Context } from "../program/context.ts";
import { openSqliteStore, type SqliteVaultStore } from "../store/sqlite-store.ts";
import { keepHomePrivate, vaultPath } from "../vault/home.ts";
import { openIndex } from "../vault/read-index.ts";
import { openSession } from "../vault/session.ts";
import type { UnlockedVault } from "../vault/unlock.ts";

/** Thrown to a command when it opens another home or session than the agent's: the client then runs it itself. */
export class NotThisAgent extends Error {}

const fileId = (path: string): string | undefined => {
  const st = statSync(path, { throwIfNoEntry: false, bigint: true });
  return st && `${st.dev}:${st.ino}`;
};

export class HeldVault {
  readonly home: string;
  readonly sessionId: string;
  #token: Buffer;
  #store: SqliteVaultStore;
  #file: string | undefined;
  #mark = "";
  #vault: UnlockedVault | undefined;
  #indexes = new Map<"search" | "all", VaultIndex>();
  expiresAt = 0;

  private constructor(home: string, sessionId: string, token: string, store: SqliteVaultStore) {
    this.home = home;
    this.sessionId = sessionId;
    this.#token = Buffer.from(token, "utf8");
    this.#store = store;
    this.#file = fileId(vaultPath(home));
  }

  /** Opens the session like a command would; throws (a CliError) when it does not open. */
  static async open(home: string, sessionId: string, token: string): Promise<HeldVault> {
    keepHomePrivate(home);
    const store = openSqliteStore(vaultPath(home), { create: false });
    const held = new HeldVault(home, sessionId, token, store);
    try {
      if (!(await held.current())) throw new Error("the session does not open this vault");
      return held;
    } catch (e) {
      held.wipe();
      throw e;
    }
  }

  /** Compares in constant time (the length is the token format's, not a secret). */
  isToken(token: string | undefined): boolean {
    const b = Buffer.from(token?.trim() ?? "", "utf8");
    return b.length === this.#token.length && timingSafeEqual(b, this.#token);
  }

  /** False once the session is over (ended, expired, the vault file replaced or gone): the agent then stops. */
  stillValid(): boolean {
    if (this.#token.length === 0 || fileId(vaultPath(this.home)) !== this.#file) return false;
    // expired as vault/session.ts decides it: expiresAt < now
    if (this.#vault && this.#store.changeMark() === this.#mark) return this.expiresAt >= Date.now();
    const row = this.#store.readSession(this.sessionId);
    return row !== undefined && row.expiresAt >= Date.now();
  }

  /** Reopens everything when the file changed; false when the session no longer opens it. */
  async current(): Promise<boolean> {
    if (!this.stillValid()) return false;
    const mark = this.#store.changeMark();
    if (this.#vault && mark === this.#mark) return true;
    this.#vault = undefined;
    this.#indexes.clear();
    const store = this.#store;
    const meta = await store.readMeta();
    const row = store.readSession(this.sessionId);
    if (!meta || !row) return false;
    const accountId = meta.accountId as AccountId;
    let accountKey: Awaited<ReturnType<typeof openSession>>;
    try {
      accountKey = await openSession(store, accountId, this.#token.toString("utf8"));
    } catch {
      return false;
    }
    const keys = await deriveAccountKeys(accountKey, accountId);
    this.expiresAt = row.expiresAt;
    // the commands close the store they are given: this one stays open for the next
    const kept: SqliteVaultStore = { ...store, close: async () => {} };
    const vault: UnlockedVault = {
      store: kept,
      meta,
      accountId,
      accountKey,
      keys,
      stretched: undefined,
      serverToken: undefined,
      heldIndex: async (use) => {
        let index = this.#indexes.get(use);
        if (!index) {
          index = await openIndex(vault);
          if (index && this.#vault === vault) this.#indexes.set(use, index);
        }
        return index;
      },
    };
    this.#vault = vault;
    this.#mark = mark;
    return true;
  }

  /** What unlockVault gives a read command in the agent (vault/unlock.ts holdVault); `cwd` is the client's. */
  vaultFor(ctx: Context, cwd: string): UnlockedVault {
    if (!this.#vault || !this.isToken(ctx.sessionToken) || resolve(cwd, ctx.home) !== this.home) throw new NotThisAgent();
    keepHomePrivate(this.home); // as openExistingStore does for every command
    return this.#vault;
  }

  /** Drops the keys, the indexes and the token, and closes the file. The process exits right after. */
  wipe(): void {
    this.#token.fill(0);
    this.#token = Buffer.alloc(0);
    this.#vault = undefined;
    this.#indexes.clear();
    void this.#store.close();
  }
}
