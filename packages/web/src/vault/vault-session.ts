// The unlocked vault as the page sees it (long-lived state): a proxy of core's OpenVault, which runs in the
// account worker with every key (account/vault-host.ts). The page holds a keyless copy of the list (rows,
// kept current by the worker's events), the state to show, and asks for items, saves and reports by call.
import { type ApiClient, createApiClient } from "@cryptex/core/client/api-client.ts";
import { CryptexError } from "@cryptex/core/errors.ts";
import type { ListHead } from "@cryptex/core/formats/index-codec.ts";
import { type IndexEntry, VaultIndex } from "@cryptex/core/formats/vault-index.ts";
import type { AccountId, ItemId } from "@cryptex/core/ids.ts";
import type { SessionState } from "@cryptex/core/session/open-vault.ts";
import type { ConflictNote, RefusedItem, SaveResult } from "@cryptex/core/sync/engine.ts";
import type { QuarantineEntry, VaultMeta } from "@cryptex/core/sync/ports.ts";
import type { SyncState as LoopState, SyncStatus } from "@cryptex/core/sync/sync-loop.ts";
import type { Item } from "@cryptex/core/vault/item.ts";
import { callVault, onVaultEvents } from "../account/account-client.ts";
import { deviceName } from "../account/device-name.ts";
import type { VaultEvent } from "../account/vault-protocol.ts";

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

/** Rows of the first screen of a long list: more than a tall window shows. */
export const FIRST_SCREEN_ROWS = 60;

export class VaultSession {
  #meta: VaultMeta;
  api: ApiClient;
  version = 0;
  /** bumped only when the entries change (a sync status alone leaves it): what a list made from them depends on */
  rowsVersion = 0;
  syncState: SyncState = { status: "idle", message: syncMessage({ status: "idle", code: "not_synced_yet", conflicts: 0, at: 0 }), at: 0 };
  conflicts: readonly ConflictNote[] = [];
  quarantined: readonly QuarantineEntry[] = [];
  /** local changes the last sync could not send (too large, or refused by the server): kept here, pending */
  refused: readonly RefusedItem[] = [];
  /** set when another device changed the password: the next unlock needs the new one */
  passwordChanged = false;
  private listeners = new Set<() => void>();
  /** the first screen of the list (firstScreen) */
  #head: ListHead | undefined;
  /** the list: a keyless copy of the worker's index */
  private readonly rows: VaultIndex;
  private progress: ((done: number, total: number) => void) | undefined;
  private closed = false;

  private constructor(rows: VaultIndex, state: SessionState) {
    this.rows = rows;
    this.#meta = state.meta;
    this.api = createApiClient({ baseUrl: state.meta.serverUrl, token: state.meta.sessionToken });
    this.took(state);
  }

  /** Opens the vault of the account in the worker, with the keys its last unlock or sign-in left there. */
  static async open(storeName: string, accountId: string): Promise<VaultSession> {
    let session: VaultSession | undefined;
    const early: VaultEvent[] = [];
    // The decrypted index arrives before the answer: decoded here, and its first screen picked, while the
    // worker checks its own copy; the answer then says whether it stands (no rows) or was rebuilt (new rows).
    let decoded: { index: VaultIndex; head: ListHead } | undefined;
    onVaultEvents((e) => {
      if (e.kind === "decrypted") {
        try {
          const index = VaultIndex.fromPlain(e.rows, { checkedElsewhere: true });
          decoded = { index, head: index.listHead(FIRST_SCREEN_ROWS) };
        } catch {
          decoded = undefined; // damaged: the worker rebuilds the index and answers with the new one
        }
      } else if (session) session.on(e);
      else early.push(e);
    });
    const opened = await callVault("open", accountId, storeName, deviceName());
    const rows = opened.rows ? { index: VaultIndex.fromPlain(opened.rows), head: undefined } : decoded;
    if (!rows) throw new CryptexError("tampered", "the vault's list did not reach the page whole");
    session = new VaultSession(rows.index, opened.state);
    session.#head = rows.head;
    for (const e of early) session.on(e);
    return session;
  }

  private on(e: VaultEvent): void {
    if (this.closed) return;
    if (e.kind === "decrypted") return;
    if (e.kind === "progress") {
      this.progress?.(e.done, e.total);
      return;
    }
    if (e.rows.length) this.#head = undefined;
    for (const r of e.rows) this.rows.mirror(r.upserts, r.removed);
    if (e.rows.length > 0) this.rowsVersion++;
    this.took(e.state);
    this.emit();
  }

  private took(s: SessionState): void {
    if (s.meta.sessionToken !== this.#meta.sessionToken || s.meta.serverUrl !== this.#meta.serverUrl)
      this.api = createApiClient({ baseUrl: s.meta.serverUrl, token: s.meta.sessionToken });
    this.#meta = s.meta;
    this.syncState = { status: s.sync.status, message: syncMessage(s.sync), at: s.sync.at };
    this.conflicts = s.conflicts;
    this.quarantined = s.quarantined;
    this.refused = s.refused;
    this.passwordChanged = s.passwordChanged;
  }

  get meta(): VaultMeta {
    return this.#meta;
  }

  /** The page wrote the stored account (password change, reset, rotation): the worker reads it again. */
  set meta(m: VaultMeta) {
    this.#meta = m;
    if (!this.closed) void callVault("reloadMeta").catch(() => undefined);
  }

  get accountId(): AccountId {
    return this.#meta.accountId as AccountId;
  }

  /** Called before this device changes the password, so its own change does not lock it. */
  expectOwnPasswordChange(generation: number): Promise<void> {
    return callVault("expectOwnPasswordChange", generation);
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
    return this.rows.entries;
  }

  /**
   * How many items are not in the trash, and the first FIRST_SCREEN_ROWS by title, without building every entry
   * (core's listHead): picked when the list arrived, or now if it changed since.
   */
  firstScreen(): ListHead {
    this.#head ??= this.rows.listHead(FIRST_SCREEN_ROWS);
    return this.#head;
  }

  /** The item's plaintext, decrypted in the worker for the view or form asking. */
  readItem(id: ItemId): Promise<Item> {
    return callVault("get", id);
  }

  /** Saves `item`, made from `base` (null for a new item): a newer version saved meanwhile is merged or kept. */
  save(item: Item, base: Item | null): Promise<SaveResult> {
    return callVault("save", item, base);
  }

  /** An import: every item in one local write, then one sync. */
  async saveNew(items: readonly Item[], onProgress?: (encrypted: number, total: number) => void): Promise<void> {
    this.progress = onProgress;
    try {
      await callVault("saveNew", items);
    } finally {
      this.progress = undefined;
    }
  }

  /** Deletes for good the version `base` the person chose; a newer version saved meanwhile survives as a copy. */
  purge(id: ItemId, base: Item): Promise<SaveResult> {
    return callVault("purge", id, base);
  }

  /** Local changes not yet on the server (new, edited, deleted): what signing out would lose. */
  unsyncedCount(): Promise<number> {
    return callVault("unsyncedCount");
  }

  /** Whether the item has a local change not yet on the server. */
  isPending(id: ItemId): Promise<boolean> {
    return callVault("isPending", id);
  }

  /** After signing in again (the device had been signed out): the new session token, then sync. */
  resume(token: string): Promise<void> {
    return callVault("resume", token);
  }

  /** Sync now; a call during a running sync asks for one more round after it. */
  sync(): Promise<void> {
    return callVault("sync");
  }

  /** Starts syncing and the live channel (idempotent). Called after the list has been painted: the first
   * sync may read every stored item (manifest checks), which must not delay showing the vault. */
  startBackground(): void {
    void callVault("startBackground").catch(() => undefined);
  }

  /** The account's sync method, opened in the worker. */
  syncProfile() {
    return callVault("syncProfile");
  }

  /** The server's current EAK as text (encrypted), for approving a new device. */
  currentEak() {
    return callVault("currentEak");
  }

  /** Seals and uploads `file` in the worker as an attachment of item `id`; returns the item as saved. */
  async attach(id: ItemId, file: File, onBytes?: (sent: number, total: number) => void): Promise<Item> {
    this.progress = onBytes;
    try {
      return await callVault("attach", id, file);
    } finally {
      this.progress = undefined;
    }
  }

  /** The attachment's verified bytes (decrypted in the worker). */
  openAttachment(id: ItemId, attachmentId: string): Promise<Blob> {
    return callVault("openAttachment", id, attachmentId);
  }

  /** Removes an attachment; its server copy goes once the edit has synced. Returns the item as saved. */
  detach(id: ItemId, attachmentId: string): Promise<Item> {
    return callVault("detach", id, attachmentId);
  }

  /** Locks: the worker closes the vault and forgets its keys. */
  close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    return callVault("close").catch(() => undefined);
  }
}
