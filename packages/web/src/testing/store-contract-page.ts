// Test page (served by Vite's dev server in e2e/web-store-contract.test.ts): core's VaultStore contract suite
// run in the browser against the IndexedDB store, with a small in-page runner; results land on `window`.
import { storeContract } from "@cryptex/core/sync/store-contract.ts";
import { openIdbStore } from "../store/idb-store.ts";

interface Result {
  name: string;
  ok: boolean;
  error?: string;
}

function same(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b) || Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (a instanceof Map && b instanceof Map) return a.size === b.size && [...a].every(([k, v]) => b.has(k) && same(v, b.get(k)));
  if (ArrayBuffer.isView(a) && ArrayBuffer.isView(b)) return same(Array.from(a as Uint8Array), Array.from(b as Uint8Array));
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return (
    ka.length === kb.length &&
    ka.every((k) => Object.hasOwn(b, k) && same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}

const fail = (msg: string | undefined, what: string): never => {
  throw new Error(msg ? `${msg} (${what})` : what);
};

const assert = {
  equal: (x: unknown, y: unknown, m?: string) => void (Object.is(x, y) || fail(m, `${String(x)} !== ${String(y)}`)),
  deepEqual: (x: unknown, y: unknown, m?: string) =>
    void (same(x, y) || fail(m, `${JSON.stringify(x)} not deep-equal ${JSON.stringify(y)}`)),
  ok: (x: unknown, m?: string) => void (x || fail(m, "not truthy")),
  async rejects(fn: () => Promise<unknown>, m?: string) {
    try {
      await fn();
    } catch {
      return;
    }
    fail(m, "did not reject");
  },
};

const tests: { name: string; fn: () => Promise<void> }[] = [];
let dbCounter = 0;
storeContract(
  "idb",
  async () => {
    const name = `contract-${Date.now()}-${dbCounter++}`;
    return {
      store: await openIdbStore(name),
      reopen: () => openIdbStore(name),
      dispose: () =>
        new Promise<void>((resolve) => {
          const r = indexedDB.deleteDatabase(name);
          r.onsuccess = r.onerror = r.onblocked = () => resolve();
        }),
    };
  },
  { test: (name, fn) => tests.push({ name, fn }), assert },
);

// Beyond core's contract: the stamp the account worker checks before using an index it read ahead of opening.
tests.push({
  name: "idb: the index stamp moves with every write of index segments and with nothing else",
  async fn() {
    const name = `stamp-${Date.now()}-${dbCounter++}`;
    const store = await openIdbStore(name);
    const seg = (seq: number) => ({ generation: 0, seq, bytes: Uint8Array.of(seq) });
    try {
      assert.equal((await store.readMetaAndIndexStamp()).stamp, undefined, "no index written yet");
      await store.write({ index: { replace: seg(0) } });
      const first = await store.readIndexStamped();
      assert.ok(typeof first.stamp === "string", "a replaced index is stamped");
      assert.equal(first.segments.length, 1);
      assert.equal((await store.readMetaAndIndexStamp()).stamp, first.stamp, "reading does not move it");
      await store.write({ meta: { cursor: 7 }, quarantine: [] });
      const withMeta = await store.readMetaAndIndexStamp();
      assert.equal(withMeta.stamp, first.stamp, "a write without index segments does not move it");
      assert.equal(withMeta.meta?.cursor, 7, "read with the meta record");
      await store.write({ index: { append: [seg(1)] } });
      const second = await store.readIndexStamped();
      assert.ok(second.stamp !== first.stamp && second.segments.length === 2, "an appended segment moves it");
      await store.wipe();
      assert.equal((await store.readMetaAndIndexStamp()).stamp, undefined, "wiped");
    } finally {
      await store.close();
      indexedDB.deleteDatabase(name);
    }
  },
});

const results: Result[] = [];
for (const t of tests) {
  try {
    await t.fn();
    results.push({ name: t.name, ok: true });
  } catch (e) {
    results.push({ name: t.name, ok: false, error: e instanceof Error ? e.message : String(e) });
  }
}
(globalThis as unknown as { storeContractResults: Result[] }).storeContractResults = results;
