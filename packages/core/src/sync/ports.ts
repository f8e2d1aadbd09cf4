// Ports of the client sync engine: the device-local store (SQLite in the CLI, IndexedDB in the browser,
// a folder for folder sync). The engine does all crypto first, then hands the store one batch to apply
// atomically, because an IndexedDB transaction cannot stay open across WebCrypto awaits.
import type { ApiClient } from "../client/api-client.ts";
import type { IndexSegment } from "../formats/vault-index.ts";
import type { ItemId } from "../keys/ids.ts";

/** One item as a device keeps it: the envelope of its newest local version and its sync state. */
export interface StoredItem {
  readonly id: ItemId;
  /** the item envelope (encrypted); undefined for a tombstone */
  readonly data: Uint8Array | undefined;
  readonly deleted: boolean;
  /** server revision of the version this device last saw or pushed (0 = never on the server) */
  readonly revision: number;
  /** a local change not yet acknowledged by the server */
  readonly pending: boolean;
  /** the highest per-item version counter (`rev` inside the ciphertext) ever accepted: rollback detection */
  readonly seenRev: number;
}

/** What manifests need of an item: no ciphertext, only its GCM tag (its last 16 bytes) as a fingerprint. */
export interface ItemState {
  readonly id: ItemId;
  readonly revision: number;
  readonly pending: boolean;
  readonly deleted: boolean;
  readonly seenRev: number;
  /** the last 16 bytes of the envelope (the AES-GCM tag); undefined without data */
  readonly tag: Uint8Array | undefined;
}

export const itemState = (s: StoredItem): ItemState => ({
  id: s.id,
  revision: s.revision,
  pending: s.pending,
  deleted: s.deleted,
  seenRev: s.seenRev,
  tag: s.data && s.data.length >= 16 ? s.data.subarray(s.data.length - 16) : undefined,
});

/** Device-local account state. Secrets are never here in the clear: the EAK is encrypted by design. */
export interface VaultMeta {
  readonly accountId: string;
  readonly email: string;
  readonly serverUrl: string;
  /** the EAK binary (parseEak) */
  readonly eak: Uint8Array;
  readonly eakGeneration: number;
  readonly resetEpoch: number;
  /** last pulled server revision: the next pull asks for changes since it */
  readonly cursor: number;
  /** this device's id for manifests */
  readonly deviceId: string;
  /** the session token for the server (not a vault secret: it grants sync of ciphertexts only) */
  readonly sessionToken: string | undefined;
  /** signed vault manifests: the highest counter seen (or published, for this device) per device id */
  readonly manifestsSeen?: Readonly<Record<string, number>>;
  /**
   * An Account Key rotation under way (sync/rotate-key.ts): the new EAK's text, kept from before anything is sent
   * until this device has switched, so a crash at any point can be resumed with the same new key.
   */
  readonly pendingEakText?: string | undefined;
  /** the last successful manifest check: when (ms) and at which cursor; a sync with nothing new skips it for a while */
  readonly manifestCheck?: { readonly at: number; readonly cursor: number };
}

/** Items the engine refused (tampered, rolled back, invalid): kept out of the vault, shown as warnings. */
export interface QuarantineEntry {
  readonly id: string;
  readonly revision: number;
  readonly reason: string;
  readonly at: number;
}

export interface StoreBatch {
  readonly meta?: Partial<VaultMeta>;
  readonly putItems?: readonly StoredItem[];
  readonly removeItems?: readonly ItemId[];
  /** `replace` drops every stored segment first (compaction); `append` adds segments */
  readonly index?: { readonly replace?: IndexSegment; readonly append?: readonly IndexSegment[] };
  readonly quarantine?: readonly QuarantineEntry[];
  /** item ids whose quarantine entries are dropped (applied before `quarantine` is added) */
  readonly clearQuarantine?: readonly string[];
  /** device-local title lookup (formats/title-tag.ts): `replace` drops every tag first */
  readonly titleTags?: { readonly replace?: boolean; readonly put?: readonly TitleTag[]; readonly remove?: readonly ItemId[] };
}

export interface TitleTag {
  readonly id: ItemId;
  readonly tag: Uint8Array;
}

export interface VaultStore {
  readMeta(): Promise<VaultMeta | undefined>;
  readItem(id: ItemId): Promise<StoredItem | undefined>;
  readItems(ids: readonly ItemId[]): Promise<Map<ItemId, StoredItem>>;
  /** pending items, oldest change first */
  readPending(limit: number): Promise<StoredItem[]>;
  /** every item (used to rebuild the index) */
  readAllItems(): Promise<StoredItem[]>;
  /** every item's state without its ciphertext (manifests); optional: readAllItems is used without it */
  readItemStates?(): Promise<ItemState[]>;
  readIndex(): Promise<IndexSegment[]>;
  readQuarantine(): Promise<QuarantineEntry[]>;
  /** item ids whose title has this tag; optional: a store without it makes readers decode the index */
  findByTitleTag?(tag: Uint8Array): Promise<ItemId[]>;
  /** applies the whole batch atomically and durably, or nothing */
  write(batch: StoreBatch): Promise<void>;
  close(): Promise<void>;
}

/**
 * What the sync engine needs of a server: the account answer (the wrapped EAK's generation), pull, push and
 * the devices' manifests. The API client is one; a test or another driver implements just these five.
 */
export type SyncServer = Pick<ApiClient, "account" | "pull" | "push" | "manifests" | "putManifest">;
