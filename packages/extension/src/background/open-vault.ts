// The unlocked vault in the worker: core's Vault over the web app's IndexedDB store, the origin map for
// page lookups, and sync with the same engine and checks as every other client.

import type { AccountKeys, IndexEntry, ItemId } from "@cryptex/core";
import { createApiClient } from "@cryptex/core/client/api-client.ts";
import { type SaveResult, Vault } from "@cryptex/core/sync/engine.ts";
import { SyncLoop, type SyncState } from "@cryptex/core/sync/sync-loop.ts";
import type { Item } from "@cryptex/core/vault/item.ts";
import type { IdbStore } from "@cryptex/web/src/store/idb-store.ts";
import { OriginMap } from "./origin-map.ts";

export class OpenVault {
  readonly vault: Vault;
  readonly store: IdbStore;
  private map: OriginMap | undefined;
  private readonly loop: SyncLoop;

  private constructor(vault: Vault, store: IdbStore) {
    this.vault = vault;
    this.store = store;
    this.loop = new SyncLoop({
      vault,
      server: async () => {
        const meta = await store.readMeta();
        return meta?.sessionToken ? createApiClient({ baseUrl: meta.serverUrl, token: meta.sessionToken }) : undefined;
      },
      onReport: () => {
        this.map = undefined;
      },
    });
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

  /** One sync at a time (core's loop); errors become a note for the popup, never an exception. */
  sync(): Promise<void> {
    return this.loop.sync();
  }

  get syncNote(): string {
    return syncNote(this.loop.state);
  }
}

/** The popup's words for each sync outcome. */
function syncNote(s: SyncState): string {
  switch (s.code) {
    case "not_synced_yet":
      return "Not synced yet";
    case "syncing":
      return "Syncing…";
    case "synced":
      return s.conflicts ? `Synced · ${s.conflicts} conflict(s) kept as copies` : "Synced";
    case "network":
      return "Offline: changes are kept on this device";
    case "signed_out":
    case "account_erased":
      return "This device was signed out. Changes are kept here.";
    case "key_rotated":
      return "The Account Key was replaced on another device: sign in again with the new QR code.";
    case "account_reset":
      return "The account was reset on another device. Sign in again.";
    case "rollback":
      return "The server sent older data than this device has seen; nothing was changed.";
    case "foreign_key":
      return "The server answered for another account; nothing was changed.";
    // swapped, forged or unreadable data: the engine set it aside (quarantine) and kept this device's versions
    case "integrity":
      return "The server sent data that failed its integrity check; nothing was changed.";
    case "rotation_pending":
      return "Replacing the Account Key was interrupted: finish it in the web app (nothing is lost).";
    case "failed":
      return `Sync failed: ${s.detail ?? "unknown error"}`;
  }
}
