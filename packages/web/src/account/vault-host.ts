// The worker's side of the open vault: the keys an unlock or sign-in derived wait here for the vault the page
// opens next; core's OpenVault then runs here over the IndexedDB store and answers the page's calls
// (vault-protocol.ts). State and list changes go to the page as coalesced events, always before the answer
// of the call that caused them, so a saved item is on the page's list when its save resolves.
import type { AccountKeys } from "@cryptex/core/account-keys.ts";
import { guessMediaType, PREVIEW_TYPES } from "@cryptex/core/attachments/attachment.ts";
import { CryptexError } from "@cryptex/core/errors.ts";
import type { IndexSegment } from "@cryptex/core/formats/vault-index.ts";
import { OpenVault, type RowsChange } from "@cryptex/core/session/open-vault.ts";
import type { VaultMeta } from "@cryptex/core/sync/ports.ts";
import type { LocalKeys } from "@cryptex/core/vault/health/health-keys.ts";
import { type IdbStore, openIdbStore } from "../store/idb-store.ts";
import { deleteBlob, readBlob, writeBlob } from "../vault/local-blobs.ts";
import type { VaultEvent, VaultMethods } from "./vault-protocol.ts";

const READ = 1024 * 1024;

async function* fileChunks(file: File): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < file.size; at += READ) yield new Uint8Array(await file.slice(at, at + READ).arrayBuffer());
}

let held: { keys: AccountKeys; local: LocalKeys } | undefined;
let open: { vault: OpenVault; store: IdbStore } | undefined;
let rows: RowsChange[] = [];
let dirty = false;
let post: (e: VaultEvent, transfer?: Transferable[]) => void = () => {};
/** answers whose buffers go to the page by transfer (no copy), the worker keeping nothing of them */
const handOver = new WeakMap<object, Transferable[]>();

/** The buffers of an answer of vaultHost that move to the page instead of being copied. */
export function transfersOf(value: unknown): Transferable[] {
  return (typeof value === "object" && value && handOver.get(value)) || [];
}

/** The sealed index read ahead of `open` (while Argon2id runs), with the stamp of the segments it read. */
let ahead: { storeName: string; read: Promise<{ store: IdbStore; segments: IndexSegment[]; stamp: string } | undefined> } | undefined;

/**
 * Starts reading the sealed index of IndexedDB `storeName` for the next `open`: ciphertext only, read while the
 * password is stretched instead of after. `open` uses it only if no write changed the segments since.
 */
export function readAhead(storeName: string): void {
  dropAhead();
  const read = (async () => {
    const store = await openIdbStore(storeName);
    const { segments, stamp } = await store.readIndexStamped();
    if (stamp !== undefined) return { store, segments, stamp };
    await store.close(); // never stamped (written before stamps): read again at open
    return undefined;
  })().catch(() => undefined);
  ahead = { storeName, read };
}

/** Forgets what was read ahead (a failed unlock, a lock). */
export function dropAhead(): void {
  const was = ahead;
  ahead = undefined;
  void was?.read.then((a) => a?.store.close());
}

/**
 * The store of `storeName` and its meta record; the store read ahead, if any, its first readIndex answered from
 * what was read when the stamp read with the meta (one transaction) is still the one read with the segments.
 */
async function storeAndMeta(storeName: string): Promise<{ store: IdbStore; meta: VaultMeta | undefined }> {
  const was = ahead;
  ahead = undefined;
  const got = await was?.read;
  if (got && was?.storeName !== storeName) await got.store.close();
  if (!got || was?.storeName !== storeName) {
    const store = await openIdbStore(storeName);
    return { store, meta: await store.readMeta() };
  }
  const { meta, stamp } = await got.store.readMetaAndIndexStamp();
  if (stamp !== got.stamp) return { store: got.store, meta };
  let first: IndexSegment[] | undefined = got.segments;
  const store: IdbStore = {
    ...got.store,
    async readIndex() {
      const segments = first;
      first = undefined;
      return segments ?? got.store.readIndex();
    },
  };
  return { store, meta };
}

/** Keeps the keys of the account just unlocked or signed in, for `open`. */
export function holdKeys(keys: AccountKeys, local: LocalKeys): void {
  held = { keys, local };
}

export function onVaultEvent(fn: (e: VaultEvent, transfer?: Transferable[]) => void): void {
  post = fn;
}

/** Sends what changed since the last event (called before each answer, and soon after each change). */
export function flushVaultEvents(): void {
  if (!dirty || !open) return;
  dirty = false;
  const change = rows;
  rows = [];
  post({ kind: "state", state: open.vault.state, rows: change });
}

function changed(r: RowsChange | undefined): void {
  if (r) rows.push(r);
  if (!dirty) setTimeout(flushVaultEvents, 0);
  dirty = true;
}

/** Closes the open vault (its store too); the held keys stay. */
async function shut(): Promise<void> {
  const was = open;
  open = undefined;
  rows = [];
  dirty = false;
  if (was) {
    was.vault.close();
    await was.store.close();
  }
}

function vault(): OpenVault {
  if (!open) throw new CryptexError("invalid_input", "the vault is locked");
  return open.vault;
}

export const vaultHost: VaultMethods = {
  async open(accountId, storeName, deviceName) {
    if (!held || held.keys.accountId !== accountId) throw new CryptexError("invalid_input", "unlock first");
    const { keys, local } = held;
    await shut().catch(() => undefined);
    const { store, meta } = await storeAndMeta(storeName);
    if (!meta || meta.accountId !== accountId) {
      await store.close();
      throw new CryptexError("invalid_input", "this browser holds no vault of that account");
    }
    let sent = false;
    const v = await OpenVault.open({
      store,
      keys,
      local,
      meta,
      deviceName,
      blobs: { read: readBlob, write: writeBlob, delete: deleteBlob },
      // a copy of the decrypted segments goes to the page at once: it decodes them while this worker checks its own
      onIndexDecrypted: (plain) => {
        sent = true;
        post({ kind: "decrypted", rows: plain }, [...new Set(plain.map((r) => r.buffer))]);
      },
      onChange: (_, r) => changed(r),
    });
    open = { vault: v, store };
    rows = [];
    dirty = false;
    // the page has the list from the "decrypted" event unless the index was rebuilt (or had none); otherwise the
    // opened index segments themselves: the worker reads them no more, so they move to the page uncopied
    const opened = v.rows();
    const answer = { state: v.state, rows: sent && !v.vault.indexRebuilt ? undefined : opened };
    handOver.set(answer, [...new Set((answer.rows ?? []).map((r) => r.buffer))]);
    return answer;
  },
  async close() {
    held = undefined;
    dropAhead();
    await shut();
  },
  get: (id) => vault().get(id),
  save: (item, base) => vault().save(item, base),
  saveNew: (items) => vault().saveNew(items, (done, total) => post({ kind: "progress", done, total })),
  purge: (id, base) => vault().purge(id, base),
  unsyncedCount: () => vault().unsyncedCount(),
  isPending: (id) => vault().isPending(id),
  resume: (token) => vault().resume(token),
  reloadMeta: () => vault().reloadMeta(),
  expectOwnPasswordChange: async (generation) => vault().expectOwnPasswordChange(generation),
  sync: () => vault().syncNow(),
  startBackground: async () => vault().startBackground(),
  syncProfile: () => vault().syncProfile(),
  currentEak: () => vault().currentEak(),
  health: (endpoint) =>
    vault().health(
      endpoint === undefined
        ? undefined
        : { endpoint, fetch: (url, init) => globalThis.fetch(url, { ...init, referrerPolicy: "no-referrer", credentials: "omit" }) },
    ),
  deepDocs: () => vault().deepDocs(),
  deepForget: () => vault().deepForget(),
  attach: (id, file) =>
    vault().attach(
      id,
      { name: file.name, size: file.size, type: file.type || guessMediaType(file.name) },
      fileChunks(file),
      (done, total) => post({ kind: "progress", done, total }),
    ),
  async openAttachment(id, attachmentId) {
    const v = vault();
    const a = (await v.get(id)).attachments?.find((x) => x.id === attachmentId);
    const parts = await v.openAttachment(id, attachmentId);
    return new Blob(parts as BlobPart[], { type: a && PREVIEW_TYPES.includes(a.type) ? a.type : "application/octet-stream" });
  },
  detach: (id, attachmentId) => vault().detach(id, attachmentId),
  async testSeed(n) {
    if (import.meta.env.MODE !== "test" || !open) throw new CryptexError("invalid_input", "test builds only");
    const { seedItems } = await import("../vault/test-seed.ts");
    await seedItems(open.vault.vault, open.store, n);
  },
};
