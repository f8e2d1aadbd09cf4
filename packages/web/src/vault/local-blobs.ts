// Device-only encrypted blobs of the page (health cache, deep-search index) in their own IndexedDB
// database, apart from the synced vault store: they are caches, rebuilt when missing or unreadable.
const DB = "cryptex-local";
const STORE = "blobs";

let dbp: Promise<IDBDatabase> | undefined;
function db(): Promise<IDBDatabase> {
  dbp ??= new Promise((resolve, reject) => {
    const r = indexedDB.open(DB, 1);
    r.onupgradeneeded = () => r.result.createObjectStore(STORE);
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error("IndexedDB open failed"));
  });
  return dbp;
}

function run<T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  return db().then(
    (d) =>
      new Promise<T>((resolve, reject) => {
        const r = fn(d.transaction(STORE, mode).objectStore(STORE));
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error ?? new Error("IndexedDB request failed"));
      }),
  );
}

export const readBlob = (key: string): Promise<Uint8Array | undefined> =>
  run("readonly", (s) => s.get(key) as IDBRequest<Uint8Array | undefined>);
export const writeBlob = (key: string, bytes: Uint8Array): Promise<unknown> => run("readwrite", (s) => s.put(bytes, key));
export const deleteBlob = (key: string): Promise<unknown> => run("readwrite", (s) => s.delete(key));

/** Forgets every cache of this device (sign-out / forget this device). */
export async function wipeLocalBlobs(): Promise<void> {
  const d = await db().catch(() => undefined);
  d?.close();
  dbp = undefined;
  await new Promise<void>((resolve) => {
    const r = indexedDB.deleteDatabase(DB);
    r.onsuccess = r.onerror = r.onblocked = () => resolve();
  });
}
