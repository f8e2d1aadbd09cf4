// One unlocked vault behind a single object (issue 11): the keys, core's Vault over the app's store, the sync
// loop and live channel, health, deep search and the sealed sync profile. An app runs it where its keys may
// live (the web app's worker, the extension's service worker) and gives its UI only what this returns: list
// rows, the plaintext of items asked for, reports — never a key. Items leave with their attachments' keys
// blanked (the blobs are sealed and opened here) and get them back when saved.

import { type Attachment, newAttachment } from "../attachments/attachment.ts";
import { type ApiClient, createApiClient } from "../client/api-client.ts";
import { b64uDecode } from "../encoding/base64.ts";
import { CryptexError } from "../errors.ts";
import { isSealedServerToken, openServerToken, sealServerToken } from "../formats/server-token.ts";
import type { IndexEntry } from "../formats/vault-index.ts";
import type { AccountKeys } from "../keys/derive.ts";
import type { AccountId, ItemId } from "../keys/ids.ts";
import { type CurrentEak, currentEak } from "../pairing/device-pairing.ts";
import { type ConflictNote, type RefusedItem, type SaveResult, type SyncReport, Vault } from "../sync/engine.ts";
import type { SyncProfile } from "../sync/log/sync-profile.ts";
import type { QuarantineEntry, VaultMeta, VaultStore } from "../sync/ports.ts";
import { SyncLoop, type SyncState } from "../sync/sync-loop.ts";
import type { DeepIndex } from "../vault/deep-search/deep-index.ts";
import type { LocalKeys } from "../vault/health/health-keys.ts";
import type { HealthReport } from "../vault/health/health-report.ts";
import type { RangeFetch } from "../vault/health/pwned-passwords.ts";
import { addAttachment, type Item, removeAttachment } from "../vault/item.ts";
import { downloadAttachment, uploadAttachment } from "./attachment-transfer.ts";

/** Device-only sealed caches (health, deep search): rebuilt when missing or unreadable. */
export interface LocalBlobs {
  read(key: string): Promise<Uint8Array | undefined>;
  write(key: string, bytes: Uint8Array): Promise<unknown>;
  delete(key: string): Promise<unknown>;
}

/** Everything about the session an app shows besides the list, sent whole on each change. */
export interface SessionState {
  readonly meta: VaultMeta;
  readonly sync: SyncState;
  readonly conflicts: readonly ConflictNote[];
  readonly quarantined: readonly QuarantineEntry[];
  /** local changes the last sync could not send (too large, or refused by the server): kept here, pending */
  readonly refused: readonly RefusedItem[];
  /** another device changed the password: the next unlock needs the new one */
  readonly passwordChanged: boolean;
}

/** A change of the list: entries added or replaced, ids gone. */
export interface RowsChange {
  readonly upserts: readonly IndexEntry[];
  readonly removed: readonly ItemId[];
}

export interface OpenVaultInput {
  readonly store: VaultStore;
  readonly keys: AccountKeys;
  readonly local: LocalKeys;
  readonly meta: VaultMeta;
  /** the name stamped on the item versions this device saves */
  readonly deviceName?: string;
  readonly blobs?: LocalBlobs;
  /** how to reach the server (default: core's client over the global fetch) */
  readonly api?: (meta: VaultMeta) => ApiClient;
  /**
   * Given a copy of the index's decrypted segments before they are checked, so that a UI realm may decode them
   * meanwhile; they stand unless the index was found damaged and rebuilt (`vault.indexRebuilt`: then `rows()`).
   */
  readonly onIndexDecrypted?: (plain: Uint8Array[]) => void;
  /** told after every change of state or list (coalesced by the caller if it wants) */
  readonly onChange?: (state: SessionState, rows: RowsChange | undefined) => void;
}

/**
 * The stored session token opened, sealing it at rest first when it was kept in clear (just signed in, or by an
 * older version): a copy of the browser's storage alone then cannot sync as this device.
 */
async function sealedToken(store: VaultStore, keys: AccountKeys, meta: VaultMeta): Promise<{ meta: VaultMeta; token: string | undefined }> {
  const stored = meta.sessionToken;
  if (stored === undefined) return { meta, token: undefined };
  if (isSealedServerToken(stored)) return { meta, token: await openServerToken(keys, stored).catch(() => undefined) };
  const sealed = await sealServerToken(keys, stored);
  await store.write({ meta: { sessionToken: sealed } });
  return { meta: { ...meta, sessionToken: sealed }, token: stored };
}

const NOT_SYNCED: SyncState = { status: "idle", code: "not_synced_yet", conflicts: 0, at: 0 };

export class OpenVault {
  readonly vault: Vault;
  /** the stored meta, whose session token is sealed at rest */
  private meta: VaultMeta;
  /** the session token, opened (undefined: signed out, or the sealed token no longer opens) */
  private token: string | undefined;
  private api: ApiClient;
  private sync: SyncState = NOT_SYNCED;
  private conflicts: ConflictNote[] = [];
  private quarantined: QuarantineEntry[] = [];
  private refused: RefusedItem[] = [];
  private passwordChanged = false;
  /** the EAK generation of a password change made on this device: seeing it in sync is not "changed elsewhere" */
  private ownGeneration = -1;
  private readonly loop: SyncLoop;
  private readonly input: OpenVaultInput;
  private readonly unwatch: () => void;
  private deep: DeepIndex | undefined;
  private deepRefreshing: Promise<{ index: DeepIndex; changed: boolean }> | undefined;
  /** the deep documents went to the caller once: later answers only when they changed */
  private deepSent = false;
  private healthRunning: Promise<HealthReport> | undefined;
  /** the keys of the attachments of every item handed out, by attachment id, to put back on save */
  private readonly attachmentKeys = new Map<string, string>();

  private constructor(vault: Vault, input: OpenVaultInput, meta: VaultMeta, token: string | undefined, quarantined: QuarantineEntry[]) {
    this.vault = vault;
    this.input = input;
    this.meta = meta;
    this.token = token;
    this.quarantined = quarantined;
    this.api = this.makeApi();
    this.loop = new SyncLoop({
      vault,
      server: () => (this.api.token ? this.api : undefined),
      rotationPending: () => this.meta.pendingEakText !== undefined,
      onReport: (report) => this.took(report),
      onState: (state) => {
        this.sync = state;
        this.emit();
      },
    });
    this.unwatch = vault.index.watch((upserts, removed) => this.emit({ upserts, removed }));
  }

  static async open(input: OpenVaultInput): Promise<OpenVault> {
    const [vault, quarantined, { meta, token }] = await Promise.all([
      Vault.open(input.store, input.keys, undefined, input.onIndexDecrypted),
      input.store.readQuarantine(),
      sealedToken(input.store, input.keys, input.meta),
    ]);
    if (input.deviceName !== undefined) vault.setHistory({ deviceName: input.deviceName });
    return new OpenVault(vault, input, meta, token, quarantined);
  }

  private makeApi(): ApiClient {
    return (this.input.api ?? ((m) => createApiClient({ baseUrl: m.serverUrl, token: m.sessionToken })))(this.shown);
  }

  /** The meta as the app sees it: the session token opened. */
  private get shown(): VaultMeta {
    return { ...this.meta, sessionToken: this.token };
  }

  get state(): SessionState {
    return {
      meta: this.shown,
      sync: this.sync,
      conflicts: this.conflicts,
      quarantined: this.quarantined,
      refused: this.refused,
      passwordChanged: this.passwordChanged,
    };
  }

  private emit(rows?: RowsChange): void {
    this.input.onChange?.(this.state, rows);
  }

  /** What a sync brought: the device's meta, conflicts and quarantine to show, and a password changed elsewhere. */
  private async took(report: SyncReport): Promise<void> {
    this.meta = (await this.vault.store.readMeta()) ?? this.meta;
    if (report.conflicts.length) this.conflicts = [...this.conflicts, ...report.conflicts];
    if (report.quarantined.length) this.quarantined = [...this.quarantined, ...report.quarantined];
    if (report.passwordChanged && this.meta.eakGeneration !== this.ownGeneration) this.passwordChanged = true;
    this.refused = report.refused;
  }

  /**
   * The list as plaintext index segments (formats/index-codec.ts), for VaultIndex.fromPlain in the UI's realm;
   * the caller owns them (a worker transfers them to its page without a copy).
   */
  rows(): Uint8Array[] {
    return this.vault.index.plainLog();
  }

  /** The item's plaintext for the UI: its attachments' keys blanked. */
  async get(id: ItemId): Promise<Item> {
    return this.forUi(await this.vault.get(id));
  }

  private forUi(item: Item): Item {
    if (!item.attachments?.length) return item;
    for (const a of item.attachments) this.attachmentKeys.set(a.id, a.key);
    return { ...item, attachments: item.attachments.map((a) => ({ ...a, key: "" })) };
  }

  /** The UI's item with its attachments' keys back; one whose key this session never handed out is dropped. */
  private withKeys(item: Item): Item {
    if (!item.attachments?.length) return item;
    const attachments: Attachment[] = [];
    for (const a of item.attachments) {
      const key = a.key || this.attachmentKeys.get(a.id);
      if (key) attachments.push({ ...a, key });
    }
    return { ...item, attachments };
  }

  private get accountId(): AccountId {
    return this.input.keys.accountId;
  }

  /** Saves `item`, made from `base` (null for a new item): a newer version saved meanwhile is merged or kept. */
  async save(item: Item, base: Item | null): Promise<SaveResult> {
    const result = await this.vault.save(this.withKeys(item), base && this.withKeys(base));
    void this.loop.sync();
    return result;
  }

  /**
   * Seals and uploads a file (`chunks`: its bytes in order) as a new attachment of item `id`, then saves the
   * item with it; an upload that cannot be saved frees its server bytes. Returns the item as saved (for the UI).
   */
  async attach(
    id: ItemId,
    file: { readonly name: string; readonly size: number; readonly type: string },
    chunks: AsyncIterable<Uint8Array>,
    onBytes?: (sent: number, total: number) => void,
  ): Promise<Item> {
    const a = newAttachment(file.name, file.size, file.type);
    addAttachment(await this.vault.get(id), a); // refuses a duplicate name or too many before anything is sent
    try {
      await uploadAttachment(this.api, this.accountId, a, chunks, onBytes);
      const latest = await this.vault.get(id);
      await this.vault.save(addAttachment(latest, a), latest);
    } catch (e) {
      void this.api.deleteBlob(a.id).catch(() => false);
      throw e;
    }
    void this.loop.sync();
    return this.get(id);
  }

  /** The attachment's plaintext, once every chunk of the server's blob verified. */
  async openAttachment(id: ItemId, attachmentId: string): Promise<Uint8Array[]> {
    const a = (await this.vault.get(id)).attachments?.find((x) => x.id === attachmentId);
    if (!a) throw new CryptexError("invalid_input", "no such attachment");
    return downloadAttachment(this.api, this.accountId, a);
  }

  /** Removes an attachment (an edit); the server's blob is deleted once that edit has synced. */
  async detach(id: ItemId, attachmentId: string): Promise<Item> {
    const latest = await this.vault.get(id);
    await this.vault.save(removeAttachment(latest, attachmentId), latest);
    void this.loop
      .sync()
      .then(async () => {
        if (!(await this.isPending(id))) await this.api.deleteBlob(attachmentId);
      })
      .catch(() => undefined);
    return this.get(id);
  }

  /** An import: every item in one local write, then one sync. */
  async saveNew(items: readonly Item[], onProgress?: (encrypted: number, total: number) => void): Promise<void> {
    await this.vault.saveNew(items, onProgress);
    void this.loop.sync();
  }

  /** Deletes for good the version `base` the person chose; a newer version saved meanwhile survives as a copy. */
  async purge(id: ItemId, base: Item): Promise<SaveResult> {
    const result = await this.vault.purge(id, this.withKeys(base));
    void this.loop.sync();
    return result;
  }

  /** Local changes not yet on the server (new, edited, deleted): what signing out would lose. */
  async unsyncedCount(): Promise<number> {
    return (await this.vault.store.readPending(1_000_000)).length;
  }

  /** Whether the item has a local change not yet synced. */
  async isPending(id: ItemId): Promise<boolean> {
    return (await this.vault.store.readItem(id))?.pending ?? false;
  }

  /** After signing in again (the device had been signed out): the new session token, then sync. */
  async resume(token: string): Promise<void> {
    await this.vault.store.write({ meta: { sessionToken: await sealServerToken(this.input.keys, token) } });
    this.meta = (await this.vault.store.readMeta()) ?? this.meta;
    this.token = token;
    this.api = this.makeApi();
    await this.loop.resume();
  }

  /** The app changed the stored account (a password change, reset, rotation): read it again. */
  async reloadMeta(): Promise<void> {
    const read = await sealedToken(this.vault.store, this.input.keys, (await this.vault.store.readMeta()) ?? this.meta);
    this.meta = read.meta;
    this.token = read.token;
    this.api = this.makeApi();
    this.emit();
  }

  /** Called before this device changes the password, so its own change does not lock it. */
  expectOwnPasswordChange(generation: number): void {
    this.ownGeneration = generation;
  }

  /** Sync now; a call during a running sync asks for one more round after it. */
  syncNow(): Promise<void> {
    return this.loop.sync();
  }

  /** Starts the live channel and a first sync (idempotent): called once the list is on screen. */
  startBackground(): void {
    this.loop.startLive();
    void this.loop.sync();
  }

  /** The account's sync method as its devices sealed it on the server; undefined when none was stored. */
  async syncProfile(): Promise<SyncProfile | undefined> {
    const { openSyncProfile } = await import("../sync/log/sync-profile.ts");
    const { profile } = await this.api.syncProfile();
    const bytes = profile ? b64uDecode(profile.data) : undefined;
    return bytes ? openSyncProfile(this.input.keys, bytes) : undefined;
  }

  /** The server's current EAK as text (encrypted: safe to show or send), for approving a new device. */
  currentEak(): Promise<CurrentEak> {
    return currentEak(this.api, this.input.keys);
  }

  /** The health report of the live items; `breaches` asks the breach endpoint (k-anonymity ranges). */
  health(breaches?: { fetch: RangeFetch; endpoint: string }): Promise<HealthReport> {
    this.healthRunning ??= this.computeHealth(breaches).finally(() => {
      this.healthRunning = undefined;
    });
    return this.healthRunning;
  }

  private async computeHealth(breaches?: { fetch: RangeFetch; endpoint: string }) {
    const [{ HealthCache }, { healthReport }] = await Promise.all([
      import("../vault/health/health-cache.ts"),
      import("../vault/health/health-report.ts"),
    ]);
    const keys = this.input.local;
    const blobs = this.input.blobs;
    const cacheKey = `health:${keys.accountId}`;
    let cache = new HealthCache();
    const stored = await blobs?.read(cacheKey).catch(() => undefined);
    if (stored) cache = await HealthCache.open(keys, stored).catch(() => new HealthCache());
    const items: Item[] = [];
    for (const e of this.vault.index.entries.values()) if (!e.trashed) items.push(await this.vault.get(e.id));
    const report = await healthReport(items, { keys, cache, ...(breaches ? { breaches } : {}) });
    await blobs?.write(cacheKey, await cache.seal(keys)).catch(() => undefined);
    return report;
  }

  /**
   * Loads (first time) and brings the deep-search index to the vault; returns its documents, or undefined when
   * they did not change since the last answer (the caller keeps its copy: no megabytes per keystroke's refresh).
   */
  async deepDocs(): Promise<[ItemId, number, string][] | undefined> {
    const { index, changed } = await this.deepRefresh();
    if (!changed && this.deepSent) return undefined;
    this.deepSent = true;
    return index.toDocs();
  }

  private deepRefresh(): Promise<{ index: DeepIndex; changed: boolean }> {
    this.deepRefreshing ??= (async () => {
      const keys = this.input.local;
      const blobs = this.input.blobs;
      const key = `deep:${keys.accountId}`;
      if (!this.deep) {
        const { DeepIndex } = await import("../vault/deep-search/deep-index.ts");
        const stored = await blobs?.read(key).catch(() => undefined);
        this.deep = (stored && (await DeepIndex.open(keys, stored).catch(() => undefined))) || new DeepIndex();
      }
      const live = [...this.vault.index.entries.values()].filter((e) => !e.trashed);
      const changed = await this.deep.refresh(live, (id) => this.vault.get(id));
      if (changed.updated + changed.removed > 0) await blobs?.write(key, await this.deep.seal(keys)).catch(() => undefined);
      return { index: this.deep, changed: changed.updated + changed.removed > 0 };
    })().finally(() => {
      this.deepRefreshing = undefined;
    });
    return this.deepRefreshing;
  }

  /** Deep search turned off: the sealed index is deleted. */
  async deepForget(): Promise<void> {
    this.deep = undefined;
    this.deepSent = false;
    await this.input.blobs?.delete(`deep:${this.input.local.accountId}`).catch(() => undefined);
  }

  close(): void {
    this.unwatch();
    this.loop.close();
  }
}
