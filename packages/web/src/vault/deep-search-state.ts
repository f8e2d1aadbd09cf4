// Deep search (opt-in): the encrypted deep index is kept and refreshed in the account worker (core's
// OpenVault: only items whose revision changed are decrypted); the page gets its documents (text, no key)
// to search as the user types, again only when it changed.
import { DeepIndex } from "@cryptex/core/vault/deep-search/deep-index.ts";
import { callVault } from "../account/account-client.ts";
import type { VaultSession } from "./vault-session.ts";

const ON = "cryptex.deepSearch";

export const deepSearchEnabled = (): boolean => localStorage.getItem(ON) === "1";

export class DeepSearchState {
  index: DeepIndex | undefined;
  private refreshing: Promise<void> | undefined;
  private static readonly all = new WeakMap<VaultSession, DeepSearchState>();

  static of(session: VaultSession): DeepSearchState {
    let s = DeepSearchState.all.get(session);
    if (!s) {
      s = new DeepSearchState();
      DeepSearchState.all.set(session, s);
    }
    return s;
  }

  /** Loads (first time) and updates the index to the vault; resolves when it is current. */
  refresh(): Promise<void> {
    this.refreshing ??= callVault("deepDocs")
      .then((docs) => {
        if (docs) this.index = DeepIndex.fromDocs(docs);
      })
      .finally(() => {
        this.refreshing = undefined;
      });
    return this.refreshing;
  }

  async setEnabled(on: boolean): Promise<void> {
    localStorage.setItem(ON, on ? "1" : "0");
    if (on) return this.refresh();
    this.index = undefined;
    await callVault("deepForget").catch(() => undefined);
  }
}
