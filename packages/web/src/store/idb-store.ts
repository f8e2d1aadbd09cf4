// The browser's VaultStore (core sync/ports.ts) on IndexedDB: ciphertexts only, every batch one atomic transaction.
import type { IndexSegment } from "@cryptex/core/formats/vault-index.ts";
import type { ItemId } from "@cryptex/core/ids.ts";
import type { QuarantineEntry, StoreBatch, StoredItem, VaultMeta, VaultStore } from "@cryptex/core/sync/ports.ts";

const VERSION = 1;
const STORES = ["meta", "items", "segments", "quarantine"] as const;

/** Items keep `pending` as 0/1 and a change counter, because IndexedDB cannot index booleans. */
interface ItemRow {
  id: string;
  data: Uint8Array | undefined;
  deleted: boolean;
  revision: number;
  pending: 0 | 1;
  changedAt: number;
  seenRev: number;
}

const req = <T>(r: IDBRequest<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error("IndexedDB request failed"));
  });

const done = (tx: IDBTransaction): Promise<void> =>
  new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error("IndexedDB transaction failed"));
    tx.onabort = () => reject(tx.error ?? new Error("IndexedDB transaction aborted"));
  });

export function openDatabase(name: string): Promise<IDBDatabase> {
  const r = indexedDB.open(name, VERSION);
  r.onupgradeneeded = () => {
    const db = r.result;
    db.createObjectStore("meta");
    const items = db.createObjectStore("items", { keyPath: "id" });
    items.createIndex("pending", ["pending", "changedAt"]);
    db.createObjectStore("segments", { keyPath: "seq" });
    db.createObjectStore("quarantine", { autoIncrement: true });
  };
  return req(r);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const isCount = (n: unknown) => typeof n === "number" && Number.isSafeInteger(n) && n >= 0;

/** Refuses a malformed batch before any write, so a bad entry cannot leave a half-applied one behind. */
function checkBatch(batch: StoreBatch): void {
  const bad = (what: string): never => {
    throw new TypeError(`invalid store batch: ${what}`);
  };
  for (const it of batch.putItems ?? []) {
    if (typeof it.id !== "string" || !UUID.test(it.id)) bad("item id");
    if (it.data !== undefined && !(it.data instanceof Uint8Array)) bad("item data");
    if (typeof it.deleted !== "boolean" || typeof it.pending !== "boolean") bad("item flags");
    if (!isCount(it.revision) || !isCount(it.seenRev)) bad("item revision");
  }
  for (const id of batch.removeItems ?? []) if (typeof id !== "string" || !UUID.test(id)) bad("removed id");
  const segs = [...(batch.index?.replace ? [batch.index.replace] : []), ...(batch.index?.append ?? [])];
  for (const s of segs) if (!isCount(s.generation) || !isCount(s.seq) || !(s.bytes instanceof Uint8Array)) bad("index segment");
}

const toStored = (r: ItemRow): StoredItem => ({
  id: r.id as ItemId,
  data: r.data,
  deleted: r.deleted,
  revision: r.revision,
  pending: r.pending === 1,
  seenRev: r.seenRev,
});

/** Under this key of the meta store: a fresh random value written with every change of the index segments. */
const INDEX_STAMP = "indexStamp";

export type IdbStore = VaultStore & {
  wipe(): Promise<void>;
  /** The index segments with the stamp of that state of them (undefined when no write has stamped it yet). */
  readIndexStamped(): Promise<{ segments: IndexSegment[]; stamp: string | undefined }>;
  /** The meta record and the stamp of the index segments now (unchanged: no segment changed since it was read). */
  readMetaAndIndexStamp(): Promise<{ meta: VaultMeta | undefined; stamp: string | undefined }>;
};

/** The app's database (tests open others beside it). */
export const STORE_NAME = "cryptex";

export async function openIdbStore(name = STORE_NAME): Promise<IdbStore> {
  const db = await openDatabase(name);
  let changeCounter = Date.now() * 1000;
  const read = (stores: readonly string[]) => db.transaction(stores as string[], "readonly");

  return {
    async readMeta() {
      return (await req(read(["meta"]).objectStore("meta").get("meta"))) as VaultMeta | undefined;
    },
    async readItem(id) {
      const r = (await req(read(["items"]).objectStore("items").get(id))) as ItemRow | undefined;
      return r && toStored(r);
    },
    async readItems(ids) {
      const store = read(["items"]).objectStore("items");
      const rows = await Promise.all(ids.map((id) => req(store.get(id)) as Promise<ItemRow | undefined>));
      const out = new Map<ItemId, StoredItem>();
      for (const r of rows) if (r) out.set(r.id as ItemId, toStored(r));
      return out;
    },
    async readPending(limit) {
      const index = read(["items"]).objectStore("items").index("pending");
      const rows = (await req(index.getAll(IDBKeyRange.bound([1, -Infinity], [1, Infinity]), limit))) as ItemRow[];
      return rows.map(toStored);
    },
    async readAllItems() {
      return ((await req(read(["items"]).objectStore("items").getAll())) as ItemRow[]).map(toStored);
    },
    async readIndex() {
      return (await req(read(["segments"]).objectStore("segments").getAll())) as IndexSegment[];
    },
    async readIndexStamped() {
      const tx = read(["segments", "meta"]);
      const [segments, stamp] = await Promise.all([
        req(tx.objectStore("segments").getAll()) as Promise<IndexSegment[]>,
        req(tx.objectStore("meta").get(INDEX_STAMP)) as Promise<string | undefined>,
      ]);
      return { segments, stamp };
    },
    async readMetaAndIndexStamp() {
      const metaStore = read(["meta"]).objectStore("meta");
      const [meta, stamp] = await Promise.all([
        req(metaStore.get("meta")) as Promise<VaultMeta | undefined>,
        req(metaStore.get(INDEX_STAMP)) as Promise<string | undefined>,
      ]);
      return { meta, stamp };
    },
    async readQuarantine() {
      return (await req(read(["quarantine"]).objectStore("quarantine").getAll())) as QuarantineEntry[];
    },
    async write(batch: StoreBatch) {
      checkBatch(batch);
      // One readwrite transaction over every store: IndexedDB commits it all or nothing; "strict" asks the
      // browser to flush before reporting completion, so a saved item survives a crash.
      const tx = db.transaction([...STORES], "readwrite", { durability: "strict" });
      const finished = done(tx);
      try {
        if (batch.meta) {
          const metaStore = tx.objectStore("meta");
          const current = (await req(metaStore.get("meta"))) as VaultMeta | undefined;
          metaStore.put({ ...(current ?? {}), ...batch.meta }, "meta");
        }
        const items = tx.objectStore("items");
        for (const it of batch.putItems ?? []) {
          const row: ItemRow = {
            id: it.id,
            data: it.data,
            deleted: it.deleted,
            revision: it.revision,
            pending: it.pending ? 1 : 0,
            changedAt: changeCounter++,
            seenRev: it.seenRev,
          };
          items.put(row);
        }
        for (const id of batch.removeItems ?? []) items.delete(id);
        const segments = tx.objectStore("segments");
        if (batch.index?.replace) {
          segments.clear();
          segments.put(batch.index.replace);
        }
        for (const s of batch.index?.append ?? []) segments.put(s);
        if (batch.index) tx.objectStore("meta").put(crypto.randomUUID(), INDEX_STAMP);
        const q = tx.objectStore("quarantine");
        if (batch.clearQuarantine?.length) {
          const drop = new Set(batch.clearQuarantine);
          const [entries, keys] = await Promise.all([req(q.getAll()), req(q.getAllKeys())]);
          (entries as QuarantineEntry[]).forEach((e, i) => {
            if (drop.has(e.id)) q.delete(keys[i] as IDBValidKey);
          });
        }
        for (const e of batch.quarantine ?? []) q.put(e);
        tx.commit();
      } catch (e) {
        try {
          tx.abort();
        } catch {
          // already finished
        }
        await finished.catch(() => undefined);
        throw e;
      }
      await finished;
    },
    async close() {
      db.close();
    },
    async wipe() {
      const tx = db.transaction([...STORES], "readwrite", { durability: "strict" });
      for (const s of STORES) tx.objectStore(s).clear();
      await done(tx);
    },
  };
}
