// The unlocked vault in the page (long-lived state): core's Vault (index in memory, items decrypted when
// opened), sync with the server, the live channel, and a version counter the screens re-render on.
import { type ApiClient, ApiError, createApiClient } from "@cryptex/core/client/api-client.ts";
import { isCryptexError } from "@cryptex/core/errors.ts";
import type { IndexEntry } from "@cryptex/core/formats/vault-index.ts";
import type { ItemId } from "@cryptex/core/ids.ts";
import { type ConflictNote, type RefusedItem, type SaveResult, Vault } from "@cryptex/core/sync/engine.ts";
import type { QuarantineEntry, VaultMeta, VaultStore } from "@cryptex/core/sync/ports.ts";
import type { Item } from "@cryptex/core/vault/item.ts";
import type { OpenKeys } from "../account/account-protocol.ts";
import { deviceName } from "../account/device-name.ts";

export type SyncStatus = "idle" | "syncing" | "offline" | "error" | "signed-out";
export interface SyncState {
  readonly status: SyncStatus;
  readonly message: string;
  readonly at: number;
}

export class VaultSession {
  readonly vault: Vault;
  /** keys derived from the Account Key, which stays in the account worker (signed actions ask for the password again) */
  readonly unlocked: OpenKeys;
  meta: VaultMeta;
  api: ApiClient;
  version = 0;
  syncState: SyncState = { status: "idle", message: "Not synced yet", at: 0 };
  conflicts: ConflictNote[] = [];
  quarantined: QuarantineEntry[] = [];
  /** local changes the last sync could not send (too large, or refused by the server): kept here, pending */
  refused: RefusedItem[] = [];
  /** set when another device changed the password: the next unlock needs the new one */
  passwordChanged = false;
  private listeners = new Set<() => void>();
  private running: Promise<void> | undefined;
  private again = false;
  private live: AbortController | undefined;
  private closed = false;
  /** the EAK generation of a password change made on this device: seeing it in sync is not "changed elsewhere" */
  private ownGeneration = -1;

  private constructor(vault: Vault, unlocked: OpenKeys, meta: VaultMeta) {
    this.vault = vault;
    this.unlocked = unlocked;
    this.meta = meta;
    this.api = createApiClient({ baseUrl: meta.serverUrl, token: meta.sessionToken });
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
    this.setState("syncing", "Syncing…");
    this.live?.abort();
    this.live = undefined;
    this.startLive();
    await this.sync();
  }

  private setState(status: SyncStatus, message: string): void {
    this.syncState = { status, message, at: Date.now() };
    this.emit();
  }

  /** Sync now; a call during a running sync asks for one more round after it. */
  sync(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.syncOnce();
        } while (this.again && !this.closed);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  private async syncOnce(): Promise<void> {
    // signed out stays signed out until resume(): a sync with the dead token would flip the status through
    // "Syncing…" and back, remounting the sign-in-again form under the person typing their password
    if (this.syncState.status === "signed-out") return;
    if (!this.api.token) return this.setState("signed-out", "Signed out: sign in again to sync");
    if (this.meta.pendingEakText !== undefined)
      return this.setState("error", "Replacing the Account Key was interrupted: finish it in Settings (nothing is lost).");
    this.setState("syncing", "Syncing…");
    try {
      const report = await this.vault.sync(this.api);
      this.meta = (await this.vault.store.readMeta()) ?? this.meta;
      if (report.conflicts.length) this.conflicts = [...this.conflicts, ...report.conflicts];
      if (report.quarantined.length) this.quarantined = [...this.quarantined, ...report.quarantined];
      if (report.passwordChanged && this.meta.eakGeneration !== this.ownGeneration) this.passwordChanged = true;
      this.refused = report.refused;
      const note = report.conflicts.length ? ` · ${report.conflicts.length} conflict(s) kept as copies` : "";
      this.setState("idle", `Synced${note}`);
    } catch (e) {
      if (e instanceof ApiError && e.code === "network") this.setState("offline", "Offline: changes are kept on this device");
      else if (e instanceof ApiError && e.code === "account_reset")
        this.setState(
          "error",
          "The account was reset or erased on another device. Your items are kept here: export them, then sign in again.",
        );
      else if (e instanceof ApiError && e.code === "key_rotated")
        this.setState("signed-out", "The Account Key was replaced on another device: sign in again with the new QR code.");
      else if (e instanceof ApiError && e.status === 401) this.setState("signed-out", "This device was signed out. Changes are kept here.");
      else if (isCryptexError(e, "account_reset"))
        this.setState("error", "The account was reset on another device. Sign out and sign in again.");
      else if (isCryptexError(e, "rollback"))
        this.setState("error", "The server sent older data than this device has seen; nothing was changed.");
      else this.setState("error", `Sync failed: ${e instanceof Error ? e.message.slice(0, 200) : "unknown error"}`);
    }
  }

  /** Starts syncing and the live channel (idempotent). Called after the list has been painted: the first
   * sync may read every stored item (manifest checks), which must not delay showing the vault. */
  startBackground(): void {
    if (this.live || this.closed) return;
    this.startLive();
    void this.sync();
  }

  /** Listens to the server's live channel and syncs on each new revision; reconnects with back-off. */
  startLive(): void {
    if (this.live || this.closed) return;
    const ctl = new AbortController();
    this.live = ctl;
    void (async () => {
      let delay = 1000;
      while (!ctl.signal.aborted) {
        try {
          for await (const ev of this.api.events(ctl.signal)) {
            delay = 1000;
            if (ev.type === "revision" && ev.revision > this.meta.cursor) void this.sync();
            if (ev.type === "account") void this.sync();
          }
        } catch (e) {
          if (ctl.signal.aborted) return;
          if (e instanceof ApiError && e.status === 401) {
            this.setState("signed-out", "This device was signed out. Changes are kept here.");
            return;
          }
        }
        if (ctl.signal.aborted) return;
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 30_000);
        void this.sync();
      }
    })();
  }

  close(): void {
    this.closed = true;
    this.live?.abort();
    this.listeners.clear();
  }
}
