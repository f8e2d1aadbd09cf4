// The open vault's calls between the page and the account worker: the worker holds the keys and core's
// OpenVault (session/open-vault.ts); the page calls these by name and gets rows, items and reports back.
import type { ItemId } from "@cryptex/core/ids.ts";
import type { RowsChange, SessionState } from "@cryptex/core/session/open-vault.ts";
import type { SaveResult } from "@cryptex/core/sync/engine.ts";
import type { SyncProfile } from "@cryptex/core/sync/log/sync-profile.ts";
import type { HealthReport } from "@cryptex/core/vault/health/health-report.ts";
import type { Item } from "@cryptex/core/vault/item.ts";

/** What the worker answers to each call (the page awaits these). */
export interface VaultMethods {
  /** opens the vault of `accountId` in IndexedDB `storeName` with the keys the last unlock or sign-in left */
  /** `rows` undefined: the list is the "decrypted" event's, sent before the worker checked it (and found it whole) */
  open(accountId: string, storeName: string, deviceName: string): Promise<{ state: SessionState; rows: Uint8Array[] | undefined }>;
  /** closes the vault and forgets its keys (lock, sign-out, before a rotation) */
  close(): Promise<void>;
  get(id: ItemId): Promise<Item>;
  save(item: Item, base: Item | null): Promise<SaveResult>;
  /** progress comes as "progress" events */
  saveNew(items: readonly Item[]): Promise<void>;
  purge(id: ItemId, base: Item): Promise<SaveResult>;
  unsyncedCount(): Promise<number>;
  isPending(id: ItemId): Promise<boolean>;
  resume(token: string): Promise<void>;
  reloadMeta(): Promise<void>;
  expectOwnPasswordChange(generation: number): Promise<void>;
  sync(): Promise<void>;
  startBackground(): Promise<void>;
  syncProfile(): Promise<SyncProfile | undefined>;
  currentEak(): Promise<{ accountId: string; eakGeneration: number; eakText: string }>;
  /** `breachEndpoint`: ask it (k-anonymity ranges) from the worker */
  health(breachEndpoint: string | undefined): Promise<HealthReport>;
  /** undefined: unchanged since the last answer */
  deepDocs(): Promise<[ItemId, number, string][] | undefined>;
  /** seals and uploads `file` (read in the worker) as an attachment of item `id`; progress as "progress" events */
  attach(id: ItemId, file: File): Promise<Item>;
  /** the attachment's bytes, once every chunk verified */
  openAttachment(id: ItemId, attachmentId: string): Promise<Blob>;
  detach(id: ItemId, attachmentId: string): Promise<Item>;
  deepForget(): Promise<void>;
  /** test build only (?testhooks): adds `n` local items and a fresh index snapshot */
  testSeed(n: number): Promise<void>;
}

export type VaultMethod = keyof VaultMethods;
export type VaultCall = { [K in VaultMethod]: { op: "vault"; method: K; args: Parameters<VaultMethods[K]> } }[VaultMethod];

/**
 * Pushed by the worker: the session's state with the list changes since the last event, an import's progress, or
 * (during `open`) the index's decrypted segments before the worker has checked them, for the page to decode meanwhile.
 */
export type VaultEvent =
  | { kind: "state"; state: SessionState; rows: readonly RowsChange[] }
  | { kind: "decrypted"; rows: Uint8Array[] }
  | { kind: "progress"; done: number; total: number };
