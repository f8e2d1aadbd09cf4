// The unlocked vault in the worker: core's Vault over the web app's IndexedDB store, the origin map for
// page lookups, and sync with the same engine and checks as every other client.

import type { AccountKeys, IndexEntry, ItemId } from "@cryptex/core";
import { ApiError, createApiClient } from "@cryptex/core/client/api-client.ts";
import { CryptexError, isCryptexError } from "@cryptex/core/errors.ts";
import { type SaveResult, Vault } from "@cryptex/core/sync/engine.ts";
import type { Item } from "@cryptex/core/vault/item.ts";
import type { IdbStore } from "@cryptex/web/src/store/idb-store.ts";
import { OriginMap } from "./origin-map.ts";

export class OpenVault {
  readonly vault: Vault;
  readonly store: IdbStore;
  private map: OriginMap | undefined;
  syncNote = "Not synced yet";
  private running: Promise<void> | undefined;

  private constructor(vault: Vault, store: IdbStore) {
    this.vault = vault;
    this.store = store;
  }

  static async open(store: IdbStore, keys: AccountKeys): Promise<OpenVault> {
    const vault = await Vault.open(store, keys);
    vault.setHistory({ deviceName: "Browser extension" }); // the name shown on the item versions it saves
    return new OpenVault(vault, store);
  }

  get entries(): ReadonlyMap<ItemId, IndexEntry> {
    return this.vault.index.entries;
  }

  /** Built on first use after open or a change, then a map lookup per page. */
  get origins(): OriginMap {
    this.map ??= new OriginMap(this.vault.index.entries.values());
    return this.map;
  }

  get(id: ItemId): Promise<Item> {
    return this.vault.get(id);
  }

  /** `base` is the version the change started from (null for a new item): see Vault.save. */
  async save(item: Item, base: Item | null): Promise<SaveResult> {
    const result = await this.vault.save(item, base);
    this.map = undefined;
    void this.sync();
    return result;
  }

  /** One sync at a time; errors become a note for the popup, never an exception. */
  sync(): Promise<void> {
    this.running ??= this.syncOnce().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async syncOnce(): Promise<void> {
    const meta = await this.store.readMeta();
    if (!meta?.sessionToken) {
      this.syncNote = "Signed out: sign in again to sync";
      return;
    }
    try {
      const api = createApiClient({ baseUrl: meta.serverUrl, token: meta.sessionToken });
      const report = await this.vault.sync(api);
      this.map = undefined;
      this.syncNote = report.conflicts.length ? `Synced · ${report.conflicts.length} conflict(s) kept as copies` : "Synced";
    } catch (e) {
      if (e instanceof ApiError && e.code === "network") this.syncNote = "Offline: changes are kept on this device";
      else if (e instanceof ApiError && e.status === 401) this.syncNote = "This device was signed out. Changes are kept here.";
      else if (isCryptexError(e, "rollback")) this.syncNote = "The server sent older data than this device has seen; nothing was changed.";
      else if (isCryptexError(e, "foreign_key")) this.syncNote = "The server answered for another account; nothing was changed.";
      // swapped, forged or unreadable data: the engine set it aside (quarantine) and kept this device's versions
      else if (e instanceof CryptexError) this.syncNote = "The server sent data that failed its integrity check; nothing was changed.";
      else this.syncNote = `Sync failed: ${e instanceof Error ? e.message.slice(0, 200) : "unknown error"}`;
    }
  }
}
