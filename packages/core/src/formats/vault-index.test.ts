import assert from "node:assert/strict";
import { test } from "node:test";
import { concat, u32be } from "../encoding/bytes.ts";
import { compareTitles } from "../vault/compare-titles.ts";
import { createItem } from "../vault/item.ts";
import { searchIndex } from "../vault/search.ts";
import { aad } from "./aad.ts";
import { sealEnvelope } from "./envelope.ts";
import { freshAccountKeys } from "./test-keys.ts";
import { type IndexSegment, toIndexEntry, VaultIndex } from "./vault-index.ts";

const items = (n: number) =>
  Array.from({ length: n }, (_, i) =>
    createItem({
      type: "login",
      title: `Site ${i}`,
      fields: { username: `user${i}@example.com`, url: `https://s${i}.example.com/login` },
      tags: i % 2 ? ["work"] : [],
    }),
  );

test("index: snapshot + deltas reopen to the same entries; compaction", async () => {
  const keys = await freshAccountKeys();
  const idx = VaultIndex.empty();
  const all = items(50);
  for (const it of all) idx.entries.set(it.id, toIndexEntry(it));
  const log: IndexSegment[] = [await idx.snapshot(keys)];
  const extra = items(3);
  log.push(await idx.change(keys, extra.map(toIndexEntry), [all[0]!.id]));
  log.push(await idx.change(keys, [], [all[1]!.id]));
  const again = await VaultIndex.open(keys, log);
  assert.equal(again.entries.size, 51);
  assert.ok(!again.entries.has(all[0]!.id));
  assert.equal(again.entries.get(extra[2]!.id)?.subtitle, extra[2]!.fields[0]!.value);
  assert.deepEqual(again.position, { generation: 0, nextSeq: 3 });
  const snap = await again.snapshot(keys);
  assert.equal(snap.generation, 1);
  assert.equal((await VaultIndex.open(keys, [snap])).entries.size, 51);
});

test("index: conflict copies keep their original's id through the binary format", async () => {
  const keys = await freshAccountKeys();
  const [orig] = items(1);
  const copy = { ...items(1)[0]!, conflictOf: orig!.id };
  const idx = VaultIndex.empty();
  idx.entries.set(orig!.id, toIndexEntry(orig!));
  idx.entries.set(copy.id, toIndexEntry(copy));
  const again = await VaultIndex.open(keys, [await idx.snapshot(keys)]);
  assert.equal(again.entries.get(copy.id)?.conflictOf, orig!.id);
  assert.equal(again.entries.get(orig!.id)?.conflictOf, undefined);
});

test("index: reordered, mixed or foreign segments are rejected", async () => {
  const keys = await freshAccountKeys();
  const idx = VaultIndex.empty();
  const s0 = await idx.snapshot(keys);
  const s1 = await idx.change(keys, items(1).map(toIndexEntry), []);
  const s2 = await idx.change(keys, items(1).map(toIndexEntry), []);
  await assert.rejects(VaultIndex.open(keys, [s0, { ...s2, seq: 1 }, { ...s1, seq: 2 }]), { code: "tampered" });
  await assert.rejects(VaultIndex.open(keys, [s0, s2]), { code: "tampered" });
  await assert.rejects(VaultIndex.open(await freshAccountKeys(), [s0]), { code: "tampered" });
});

test("search: substring, subsequence, tags and hosts; ranking", () => {
  const entries = items(20).map(toIndexEntry);
  assert.equal(searchIndex(entries, "site 13")[0]?.title, "Site 13");
  assert.ok(searchIndex(entries, "s7.example").some((e) => e.title === "Site 7"));
  assert.equal(searchIndex(entries, "work").length, 10);
  assert.equal(searchIndex(entries, "zzz").length, 0);
});

test("index: a keyless copy from plainLog() equals the index, and follows its watched changes via mirror()", async () => {
  const keys = await freshAccountKeys();
  const idx = VaultIndex.empty();
  const all = items(20);
  for (const it of all) idx.entries.set(it.id, toIndexEntry(it));
  const log: IndexSegment[] = [await idx.snapshot(keys)];
  log.push(await idx.change(keys, items(2).map(toIndexEntry), [all[0]!.id]));
  const sorted = (m: ReadonlyMap<string, unknown>) => [...m.entries()].sort(([a], [b]) => a.localeCompare(b));

  // opened and not yet built: the opened segments themselves; built: one segment made from the entries
  const opened = await VaultIndex.open(keys, log);
  const plain = opened.plainLog();
  assert.equal(plain.length, 2, "the opened segments, not re-encoded");
  const copy = VaultIndex.fromPlain(plain);
  assert.deepEqual(sorted(copy.entries), sorted(opened.entries));
  assert.equal(opened.plainLog().length, 1);
  assert.deepEqual(sorted(VaultIndex.fromPlain(opened.plainLog()).entries), sorted(opened.entries));

  const seen: number[] = [];
  const stop = opened.watch((upserts, removed) => {
    seen.push(upserts.length + removed.length);
    copy.mirror(upserts, removed);
  });
  const added = items(3).map(toIndexEntry);
  await opened.change(keys, added, [all[1]!.id, all[2]!.id]);
  assert.deepEqual(seen, [5]);
  assert.deepEqual(sorted(copy.entries), sorted(opened.entries));
  stop();
  await opened.change(keys, items(1).map(toIndexEntry), []);
  assert.deepEqual(seen, [5], "no call after stopping");
  assert.equal(copy.entries.size + 1, opened.entries.size);

  // what the copy is made from is checked like any segment
  assert.throws(() => VaultIndex.fromPlain([new Uint8Array([9, 9, 9])]), /unsupported|damaged/);
});

test("index: listHead gives the live count and first rows by title without building the entries, deltas included", async () => {
  const keys = await freshAccountKeys();
  const idx = VaultIndex.empty();
  // titles out of order, with ties, numbers, case and a non-ASCII one; every third in the trash
  const all = items(60).map((it, i) => ({
    ...toIndexEntry(it),
    title: ["delta", "Alpha", "item 10", "item 9", "Ébène", "alpha", "zulu"][i % 7]!,
    trashed: i % 3 === 2,
  }));
  for (const e of all) idx.entries.set(e.id, e);
  const log: IndexSegment[] = [await idx.snapshot(keys)];
  const expected = (index: VaultIndex, n: number) => {
    const live = [...index.entries.values()].filter((e) => !e.trashed);
    const sorted = [...live].sort((a, b) => compareTitles(a.title, b.title));
    return { count: live.length, head: sorted.slice(0, n) };
  };
  const check = async (what: string) => {
    for (const n of [0, 1, 5, 100]) {
      const fresh = await VaultIndex.open(keys, log);
      const head = fresh.listHead(n);
      assert.equal(fresh.plainLog().length, log.length, `${what}: no entry was built`);
      assert.deepEqual(head, expected(await VaultIndex.open(keys, log), n), `${what}, n = ${n}`);
    }
  };
  await check("a snapshot");
  // a renamed entry, one trashed, one restored, one removed, one new (sorting first)
  const renamed = { ...all[0]!, title: "aardvark" };
  const trashed = { ...all[3]!, trashed: true };
  const restored = { ...all[2]!, trashed: false };
  const added = { ...toIndexEntry(items(1)[0]!), title: "Aaa" };
  log.push(await idx.change(keys, [renamed, trashed], [all[6]!.id]));
  log.push(await idx.change(keys, [restored, added], []));
  await check("a snapshot and deltas");
  // once the entries are built, the same from them
  const built = await VaultIndex.open(keys, log);
  assert.ok(built.entries.size > 0);
  assert.deepEqual(built.listHead(7), expected(built, 7));
});

test("index: onDecrypted gets copies of the decrypted segments before the check, which still refuses a damaged one", async () => {
  const keys = await freshAccountKeys();
  const idx = VaultIndex.empty();
  for (const it of items(5)) idx.entries.set(it.id, toIndexEntry(it));
  const log: IndexSegment[] = [await idx.snapshot(keys), await idx.change(keys, items(1).map(toIndexEntry), [])];
  let got: Uint8Array[] = [];
  const opened = await VaultIndex.open(keys, log, (plain) => {
    got = plain;
  });
  assert.equal(got.length, 2);
  const copy = VaultIndex.fromPlain(got);
  for (const b of got) b.fill(0); // the receiver's bytes are its own: the index does not read them
  assert.deepEqual([...copy.entries.values()], [...opened.entries.values()]);
  assert.equal(opened.entries.size, 6);

  // sealed right (key and AAD), the format's byte right, but one row announced and none there: handed out, then refused
  const aadOf = (seq: number) => aad("index", keys.accountId, undefined, concat(u32be(0), u32be(seq)));
  const bad = {
    generation: 0,
    seq: 0,
    bytes: await sealEnvelope(keys.index, Uint8Array.of(2, 0, 0, 0, 1, ...new Array(12).fill(0)), aadOf(0)),
  };
  let handed = 0;
  await assert.rejects(
    VaultIndex.open(keys, [bad], () => handed++),
    { code: "tampered" },
  );
  assert.equal(handed, 1);
});
