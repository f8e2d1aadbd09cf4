// The unlocked vault in the page (long-lived state): core's Vault (index in memory, items decrypted when
// opened), sync with the server, the live channel, and a version counter the screens re-render on.
import { type ApiClient, createApiClient } from "@cryptex/core/client/api-client.ts";
import type { IndexEntry } from "@cryptex/core/formats/vault-index.ts";
import type { ItemId } from "@cryptex/core/ids.ts";
import { type ConflictNote, type RefusedItem, type SaveResult, type SyncReport, Vault } from "@cryptex/core/sync/engine.ts";
import type { QuarantineEntry, VaultMeta, VaultStore } from "@cryptex/core/sync/ports.ts";
import { type SyncState as LoopState, SyncLoop, type SyncStatus } from "@cryptex/core/sync/sync-loop.ts";
import type { Item } from "@cryptex/core/vault/item.ts";
import type { OpenKeys } from "../account/account-protocol.ts";
import { deviceName } from "../account/device-name.ts";

export type { SyncStatus };
export interface SyncState {
  readonly status: SyncStatus;
  readonly message: string;
  readonly at: number;
}

/** The words the vault bar shows for each sync outcome. */
export function syncMessage(s: LoopState): string {
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
      return "This device was signed out. Changes are kept here.";
    case "key_rotated":
      return "The Account Key was replaced on another device: sign in again with the new QR code.";
    case "account_erased":
      return "The account was reset or erased on another device. Your items are kept here: export them, then sign in again.";
    case "account_reset":
      return "The account was reset on another device. Sign out and sign in again.";
    case "rollback":
      return "The server sent older data than this device has seen; nothing was changed.";
    case "foreign_key":
      return "The server answered for another account; nothing was changed.";
    case "integrity":
      return "The server sent data that failed its integrity check; nothing was changed.";
    case "rotation_pending":
      return "Replacing the Account Key was interrupted: finish it in Settings (nothing is lost).";
    case "failed":
      return `Sync failed: ${s.detail ?? "unknown error"}`;
  }
}

export class VaultSession {
  readonly vault: Vault;
  /** keys derived from the Account Key, which stays in the account worker (signed actions ask for the password again) */
  readonly unlocked: OpenKeys;
  meta: VaultMeta;
  api: ApiClient;
  version = 0;
  syncState: SyncState = { status: "idle", message: syncMessage({ status: "idle", code: "not_synced_yet", conflicts: 0, at: 0 }), at: 0 };
  conflicts: ConflictNote[] = [];
  quarantined: QuarantineEntry[] = [];
  /** local changes the last sync could not send (too large, or refused by the server): kept here, pending */
  refused: RefusedItem[] = [];
  /** set when another device changed the password: the next unlock needs the new one */
  passwordChanged = false;
  private listeners = new Set<() => void>();
  private readonly loop: SyncLoop;
  /** the EAK generation of a password change made on this device: seeing it in sync is not "changed elsewhere" */
  private ownGeneration = -1;

  private constructor(vault: Vault, unlocked: OpenKeys, meta: VaultMeta) {
    this.vault = vault;
    this.unlocked = unlocked;
    this.meta = meta;
    this.api = createApiClient({ baseUrl: meta.serverUrl, token: meta.sessionToken });
    this.loop = new SyncLoop({
      vault,
      server: () => (this.api.token ? this.api : undefined),
      rotationPending: () => this.meta.pendingEakText !== undefined,
      onReport: (report) => this.took(report),
      onState: (state) => {
        this.syncState = { status: state.status, message: syncMessage(state), at: state.at };
        this.emit();
      },
    });
  }

  /** What a sync brought: the device's meta, conflicts and quarantine to show, and a password changed elsewhere. */
  private async took(report: SyncReport): Promise<void> {
    this.meta = (await this.vault.store.readMeta()) ?? this.meta;
    if (report.conflicts.length) this.conflicts = [...this.conflicts, ...report.conflicts];
    if (report.quarantined.length) this.quarantined = [...this.quarantined, ...report.quarantined];
    if (report.passwordChanged && this.meta.eakGeneration !== this.ownGeneration) this.passwordChanged = true;
    this.refused = report.refused;
  }

  static async open(store: VaultStore, unlocked: OpenKeys, meta: VaultMeta): Promise<VaultSession> {
    const [vault, quarantined] = await Promise.all([Vault.open(store, unlocked.keys), store.readQuarantine()]);
    vault.setHistory({ deviceName: deviceName() }); // the name shown on the item versions this browser saves
    const s = new VaultSession(vault, unlocked, meta);
    s.quarantined = quarantined;
    return s;
  }

  /** Called before this device changes the password, so its own change does not lock it. */
  expectOwnPasswordChange(generation: number): void {
    this.ownGeneration = generation;
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private emit(): void {
    this.version++;
    for (const fn of this.listeners) fn();
  }

  get entries(): ReadonlyMap<ItemId, IndexEntry> {
    return this.vault.index.entries;
  }

  readItem(id: ItemId): Promise<Item> {
    return this.vault.get(id);
  }

  /** Saves `item`, made from `base` (null for a new item): a newer version saved meanwhile is merged or kept. */
  async save(item: Item, base: Item | null): Promise<SaveResult> {
    const result = await this.vault.save(item, base);
    this.emit();
    void this.sync();
    return result;
  }

  /** An import: every item in one local write, then one sync. */
  async saveNew(items: readonly Item[], onProgress?: (encrypted: number, total: number) => void): Promise<void> {
    await this.vault.saveNew(items, onProgress);
    this.emit();
    void this.sync();
  }

  /** Deletes for good the version `base` the person chose; a newer version saved meanwhile survives as a copy. */
  async purge(id: ItemId, base: Item): Promise<SaveResult> {
    const result = await this.vault.purge(id, base);
    this.emit();
    void this.sync();
    return result;
  }

  /** Local changes not yet on the server (new, edited, deleted): what signing out would lose. */
  async unsyncedCount(): Promise<number> {
    return (await this.vault.store.readPending(1_000_000)).length;
  }

  /** After signing in again (the device had been signed out): the new session token, then sync. */
  async resume(token: string): Promise<void> {
    await this.vault.store.write({ meta: { sessionToken: token } });
    this.meta = (await this.vault.store.readMeta()) ?? this.meta;
    this.api = createApiClient({ baseUrl: this.meta.serverUrl, token });
    await this.loop.resume();
  }

  /** Sync now; a call during a running sync asks for one more round after it. */
  sync(): Promise<void> {
    return this.loop.sync();
  }

  /** Starts syncing and the live channel (idempotent). Called after the list has been painted: the first
   * sync may read every stored item (manifest checks), which must not delay showing the vault. */
  startBackground(): void {
    this.startLive();
    void this.sync();
  }

  /** Listens to the server's live channel and syncs on each new revision; reconnects with back-off. */
  startLive(): void {
    this.loop.startLive();
  }

  close(): void {
    this.loop.close();
    this.listeners.clear();
  }
}
