// Deep search in the page (opt-in): the encrypted deep index in IndexedDB, refreshed incrementally from the
// open vault (only items whose revision changed are decrypted) and used by the search box.
import { DeepIndex } from "@cryptex/core/vault/deep-search/deep-index.ts";
import type { LocalKeys } from "@cryptex/core/vault/health/health-keys.ts";
import { deleteBlob, readBlob, writeBlob } from "./local-blobs.ts";
import type { VaultSession } from "./vault-session.ts";

const ON = "cryptex.deepSearch";

export const deepSearchEnabled = (): boolean => localStorage.getItem(ON) === "1";

export class DeepSearchState {
  index: DeepIndex | undefined;
  private readonly session: VaultSession;
  private readonly keys: Promise<LocalKeys>;
  private refreshing: Promise<void> | undefined;
  private static readonly all = new WeakMap<VaultSession, DeepSearchState>();

  private constructor(session: VaultSession) {
    this.session = session;
    this.keys = Promise.resolve(session.unlocked.local);
  }

  static of(session: VaultSession): DeepSearchState {
    let s = DeepSearchState.all.get(session);
    if (!s) {
      s = new DeepSearchState(session);
      DeepSearchState.all.set(session, s);
    }
    return s;
  }

  private key = async () => `deep:${(await this.keys).accountId}`;

  /** Loads (first time) and updates the index to the vault; resolves when it is current. */
  refresh(): Promise<void> {
    this.refreshing ??= (async () => {
      const keys = await this.keys;
      if (!this.index) {
        const stored = await readBlob(await this.key()).catch(() => undefined);
        this.index = (stored && (await DeepIndex.open(keys, stored).catch(() => undefined))) || new DeepIndex();
      }
      const live = [...this.session.entries.values()].filter((e) => !e.trashed);
      const changed = await this.index.refresh(live, (id) => this.session.readItem(id));
      if (changed.updated + changed.removed > 0) await writeBlob(await this.key(), await this.index.seal(keys)).catch(() => undefined);
    })().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  async setEnabled(on: boolean): Promise<void> {
    localStorage.setItem(ON, on ? "1" : "0");
    if (on) return this.refresh();
    this.index = undefined;
    await deleteBlob(await this.key()).catch(() => undefined);
  }
}
