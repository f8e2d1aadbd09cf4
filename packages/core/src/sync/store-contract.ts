// The behaviour every VaultStore (SQLite in the CLI, IndexedDB in the browser) must show, as a reusable
// node:test suite. Core is isomorphic, so the runner and assertions are passed in rather than imported.
import type { IndexSegment } from "../formats/vault-index.ts";
import { type ItemId, newItemId, newUuid } from "../keys/ids.ts";
import type { StoredItem, VaultMeta, VaultStore } from "./ports.ts";

/** The subset of node:test and node:assert/strict the suite uses. */
export interface ContractRunner {
  test(name: string, fn: () => Promise<void>): unknown;
  assert: {
    equal(actual: unknown, expected: unknown, message?: string): void;
    deepEqual(actual: unknown, expected: unknown, message?: string): void;
    ok(value: unknown, message?: string): void;
    rejects(fn: () => Promise<unknown>, message?: string): Promise<void>;
  };
}

/** A fresh, empty store, and a way to open the same storage again (as a new process would). */
export interface StoreFixture {
  readonly store: VaultStore;
  reopen(): Promise<VaultStore>;
  dispose?(): Promise<void>;
}

const sampleMeta = (): VaultMeta => ({
  accountId: newUuid(),
  email: "a@example.test",
  serverUrl: "https://127.0.0.1:8443",
  eak: new Uint8Array([1, 2, 3, 250]),
  eakGeneration: 0,
  resetEpoch: 0,
  cursor: 0,
  deviceId: newUuid(),
  sessionToken: undefined,
});

const item = (over: Partial<StoredItem> = {}): StoredItem => ({
  id: newItemId(),
  data: new Uint8Array([9, 8, 7, 0, 255]),
  deleted: false,
  revision: 0,
  pending: true,
  seenRev: 1,
  ...over,
});

const seg = (generation: number, seq: number, fill: number): IndexSegment => ({ generation, seq, bytes: new Uint8Array(40).fill(fill) });

/** Normalises for deep comparison: a Buffer and a Uint8Array of the same bytes compare equal. */
const plain = (x: StoredItem | undefined) => x && { ...x, data: x.data ? Array.from(x.data) : undefined };
const plainSegs = (s: IndexSegment[]) =>
  s.map((x) => ({ generation: x.generation, seq: x.seq, bytes: Array.from(x.bytes) })).sort((a, b) => a.seq - b.seq);

export function storeContract(name: string, makeStore: () => Promise<StoreFixture>, { test, assert }: ContractRunner): void {
  const withStore = (title: string, fn: (f: StoreFixture) => Promise<void>) =>
    test(`${name}: ${title}`, async () => {
      const f = await makeStore();
      try {
        await fn(f);
      } finally {
        await f.store.close().catch(() => {});
        await f.dispose?.();
      }
    });

  withStore("an empty store has no meta, items, index or quarantine", async ({ store }) => {
    assert.equal(await store.readMeta(), undefined);
    assert.equal(await store.readItem(newItemId()), undefined);
    assert.deepEqual(await store.readAllItems(), []);
    assert.deepEqual(await store.readPending(10), []);
    assert.deepEqual(await store.readIndex(), []);
    assert.deepEqual(await store.readQuarantine(), []);
  });

  withStore("meta round-trips and partial meta updates merge", async ({ store }) => {
    const m = sampleMeta();
    await store.write({ meta: m });
    const got = await store.readMeta();
    assert.deepEqual({ ...got, eak: Array.from(got!.eak) }, { ...m, eak: Array.from(m.eak) });
    await store.write({ meta: { cursor: 42, sessionToken: "tok" } });
    const merged = await store.readMeta();
    assert.equal(merged!.cursor, 42);
    assert.equal(merged!.sessionToken, "tok");
    assert.equal(merged!.email, m.email);
    assert.deepEqual(Array.from(merged!.eak), Array.from(m.eak));
    await store.write({ meta: { sessionToken: undefined } });
    assert.equal((await store.readMeta())!.sessionToken, undefined, "an explicit undefined clears the token");
  });

  withStore("items round-trip byte for byte, tombstones without data", async ({ store }) => {
    const a = item();
    const t = item({ data: undefined, deleted: true, revision: 7, pending: false, seenRev: 3 });
    await store.write({ putItems: [a, t] });
    assert.deepEqual(plain(await store.readItem(a.id)), plain(a));
    assert.deepEqual(plain(await store.readItem(t.id)), plain(t));
    const many = await store.readItems([a.id, t.id, newItemId()]);
    assert.equal(many.size, 2);
    assert.deepEqual(plain(many.get(t.id)), plain(t));
    assert.equal((await store.readAllItems()).length, 2);
  });

  withStore("a put replaces the item; remove deletes it", async ({ store }) => {
    const a = item();
    await store.write({ putItems: [a] });
    const a2 = { ...a, data: new Uint8Array([1]), revision: 5, pending: false, seenRev: 2 };
    await store.write({ putItems: [a2] });
    assert.deepEqual(plain(await store.readItem(a.id)), plain(a2));
    assert.equal((await store.readAllItems()).length, 1);
    await store.write({ removeItems: [a.id] });
    assert.equal(await store.readItem(a.id), undefined);
  });

  withStore("pending items come oldest change first, bounded by the limit", async ({ store }) => {
    const ids: ItemId[] = [];
    for (let i = 0; i < 5; i++) {
      const x = item({ pending: i !== 2 });
      ids.push(x.id);
      await store.write({ putItems: [x] });
    }
    const pending = await store.readPending(10);
    assert.deepEqual(
      pending.map((x) => x.id),
      [ids[0], ids[1], ids[3], ids[4]],
    );
    assert.deepEqual(
      (await store.readPending(2)).map((x) => x.id),
      [ids[0], ids[1]],
    );
    // acknowledging clears pending
    await store.write({ putItems: [{ ...pending[0]!, pending: false, revision: 1 }] });
    assert.deepEqual(
      (await store.readPending(10)).map((x) => x.id),
      [ids[1], ids[3], ids[4]],
    );
  });

  withStore("index segments append and replace (compaction drops every older segment)", async ({ store }) => {
    await store.write({ index: { replace: seg(0, 0, 1) } });
    await store.write({ index: { append: [seg(0, 1, 2), seg(0, 2, 3)] } });
    assert.deepEqual(plainSegs(await store.readIndex()), plainSegs([seg(0, 0, 1), seg(0, 1, 2), seg(0, 2, 3)]));
    await store.write({ index: { replace: seg(1, 0, 4), append: [seg(1, 1, 5)] } });
    assert.deepEqual(plainSegs(await store.readIndex()), plainSegs([seg(1, 0, 4), seg(1, 1, 5)]));
  });

  withStore("quarantine entries accumulate", async ({ store }) => {
    const q = { id: newUuid(), revision: 3, reason: "tampered", at: 1700000000000 };
    await store.write({ quarantine: [q] });
    await store.write({ quarantine: [{ ...q, revision: 4 }] });
    const got = await store.readQuarantine();
    assert.equal(got.length, 2);
    assert.deepEqual(got[0], q);
  });

  withStore("item states (when offered) match the items, with the envelope's last 16 bytes as tag", async ({ store }) => {
    if (!store.readItemStates) return;
    const data = new Uint8Array(40).map((_, i) => i);
    const a = { id: newUuid() as ItemId, data, deleted: false, revision: 3, pending: false, seenRev: 2 };
    const b = { id: newUuid() as ItemId, data: undefined, deleted: true, revision: 4, pending: true, seenRev: 2 };
    await store.write({ putItems: [a, b] });
    const states = new Map((await store.readItemStates()).map((x) => [x.id, x]));
    assert.deepEqual([...(states.get(a.id)?.tag ?? [])], [...data.subarray(24)]);
    assert.equal(states.get(b.id)?.tag, undefined);
    assert.equal(states.get(b.id)?.pending, true);
    assert.equal(states.get(a.id)?.seenRev, 2);
  });

  withStore("clearing an id's quarantine entries happens before new ones are added, in one write", async ({ store }) => {
    const a = { id: newUuid(), revision: 3, reason: "tampered", at: 1700000000000 };
    const b = { id: newUuid(), revision: 5, reason: "rollback", at: 1700000000001 };
    await store.write({ quarantine: [a, { ...a, revision: 4 }, b] });
    await store.write({ clearQuarantine: [a.id], quarantine: [{ ...a, revision: 9 }] });
    const got = await store.readQuarantine();
    assert.deepEqual(
      got.map((e) => [e.id, e.revision]).sort(),
      [
        [a.id, 9],
        [b.id, 5],
      ].sort(),
    );
  });

  withStore("a batch is all or nothing", async ({ store }) => {
    const good = item();
    await store.write({ meta: sampleMeta() });
    const bad = { ...item(), id: 42 as unknown as ItemId };
    await assert.rejects(() => store.write({ meta: { cursor: 99 }, putItems: [good, bad], index: { replace: seg(0, 0, 1) } }));
    assert.equal(await store.readItem(good.id), undefined, "the good item of a failed batch is not stored");
    assert.equal((await store.readMeta())!.cursor, 0, "meta of a failed batch is not stored");
    assert.deepEqual(await store.readIndex(), []);
  });

  withStore("everything survives closing and reopening", async (f) => {
    const m = sampleMeta();
    const a = item({ pending: false, revision: 3 });
    await f.store.write({ meta: m, putItems: [a], index: { replace: seg(0, 0, 7) } });
    await f.store.close();
    const again = await f.reopen();
    try {
      assert.equal((await again.readMeta())!.accountId, m.accountId);
      assert.deepEqual(plain(await again.readItem(a.id)), plain(a));
      assert.equal((await again.readIndex()).length, 1);
    } finally {
      await again.close();
    }
  });
}
