// The unlocked vault in the worker: core's open vault (the same facade the web app's worker runs: core's Vault
// over the web app's IndexedDB store, the sync loop with the same engine and checks as every other client, the
// session token sealed at rest), plus the origin map for page lookups and the popup's words for sync outcomes.

import type { AccountKeys, IndexEntry, ItemId } from "@cryptex/core";
import { OpenVault as CoreOpenVault } from "@cryptex/core/session/open-vault.ts";
import type { SaveResult, Vault } from "@cryptex/core/sync/engine.ts";
import type { SyncState } from "@cryptex/core/sync/sync-loop.ts";
import type { LocalKeys } from "@cryptex/core/vault/health/health-keys.ts";
import type { Item } from "@cryptex/core/vault/item.ts";
import type { IdbStore } from "@cryptex/web/src/store/idb-store.ts";
import { OriginMap } from "./origin-map.ts";

export class OpenVault {
  readonly store: IdbStore;
  private readonly session: CoreOpenVault;
  private map: OriginMap | undefined;

  private constructor(session: CoreOpenVault, store: IdbStore) {
    this.session = session;
    this.store = store;
  }

  static async open(store: IdbStore, keys: AccountKeys, local: LocalKeys): Promise<OpenVault> {
    const meta = await store.readMeta();
    if (!meta) throw new Error("no vault on this device");
    let opened: OpenVault | undefined;
    const session = await CoreOpenVault.open({
      store,
      keys,
      local,
      meta,
      deviceName: "Browser extension", // the name shown on the item versions it saves
      // a changed list (a save, a pull) makes the origin map stale
      onChange: (_state, rows) => {
        if (rows && opened) opened.map = undefined;
      },
    });
    opened = new OpenVault(session, store);
    return opened;
  }

  get vault(): Vault {
    return this.session.vault;
  }

  get entries(): ReadonlyMap<ItemId, IndexEntry> {
    return this.session.vault.index.entries;
  }

  /** Built on first use after open or a change, then a map lookup per page. */
  get origins(): OriginMap {
    this.map ??= new OriginMap(this.entries.values());
    return this.map;
  }

  get(id: ItemId): Promise<Item> {
    return this.session.get(id);
  }

  /** `base` is the version the change started from (null for a new item): see Vault.save. Syncs after. */
  async save(item: Item, base: Item | null): Promise<SaveResult> {
    const result = await this.session.save(item, base);
    this.map = undefined;
    return result;
  }

  /** One sync at a time (core's loop); errors become a note for the popup, never an exception. */
  sync(): Promise<void> {
    return this.session.syncNow();
  }

  get syncNote(): string {
    return syncNote(this.session.state.sync);
  }

  close(): void {
    this.session.close();
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
