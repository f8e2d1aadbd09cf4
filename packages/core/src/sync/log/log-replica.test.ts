import assert from "node:assert/strict";
import { test } from "node:test";
import { freshAccountKeys } from "../../formats/test-keys.ts";
import type { AccountKeys } from "../../keys/derive.ts";
import { type ItemId, newUuid } from "../../keys/ids.ts";
import { createItem, editItem, type Item } from "../../vault/item.ts";
import { parseLogPath } from "./blob-store.ts";
import { HostileBlobStore, SharedFolder, seededRandom } from "./hostile-blob-store.ts";
import { LogReplica } from "./log-replica.ts";
import { MemoryBlobStore } from "./memory-blob-store.ts";

const note = (title: string, notes = "") => createItem({ type: "secure-note", title, notes });
const notesOf = (r: LogReplica) => [...r.items().values()].map((i) => i.notes).sort();
const same = (a: LogReplica, b: LogReplica) =>
  assert.deepEqual(
    [...a.items()].sort(([x], [y]) => (x < y ? -1 : 1)),
    [...b.items()].sort(([x], [y]) => (x < y ? -1 : 1)),
  );

async function pair(keys?: AccountKeys) {
  const k = keys ?? (await freshAccountKeys());
  return { keys: k, a: new LogReplica(k, newUuid()), b: new LogReplica(k, newUuid()) };
}

test("two devices over one store: create, edit, delete travel; nothing is pushed twice", async () => {
  const { a, b } = await pair();
  const store = new MemoryBlobStore();
  const item = note("bank", "v1");
  await a.save(item);
  assert.equal((await a.sync(store)).pushed, 1);
  assert.equal((await b.sync(store)).pulled, 1);
  assert.equal(b.items().get(item.id)?.notes, "v1");
  await b.save(editItem(b.items().get(item.id)!, { notes: "v2" }));
  await b.sync(store);
  const r = await a.sync(store);
  assert.equal(r.pulled, 1);
  assert.equal(a.items().get(item.id)?.notes, "v2");
  assert.equal((await a.sync(store)).pulled, 0, "a file already read is not read again");
  await a.remove(item.id);
  await a.sync(store);
  await b.sync(store);
  assert.equal(b.items().size, 0);
  same(a, b);
});

test("concurrent edits converge on every device, the other value kept as the same conflict copy", async () => {
  const { a, b } = await pair();
  const store = new MemoryBlobStore();
  const item = note("mail", "v1");
  await a.save(item);
  await a.sync(store);
  await b.sync(store);
  await a.save(editItem(item, { notes: "from a" }));
  await b.save(editItem(item, { notes: "from b" }));
  await a.sync(store);
  await b.sync(store);
  await a.sync(store);
  same(a, b);
  assert.deepEqual(notesOf(a), ["from a", "from b"]);
  const copy = [...a.items().values()].find((i) => i.conflictOf === item.id);
  assert.ok(copy, "one value is a conflict copy of the item");
  assert.match(copy.title, /\(conflict copy\)$/);
  // editing the item with the conflict showing keeps the copy as a real item everywhere
  await b.save(editItem(b.items().get(item.id)!, { notes: "resolved" }));
  await b.sync(store);
  await a.sync(store);
  same(a, b);
  assert.equal(notesOf(a).length, 2);
  assert.ok(notesOf(a).includes("resolved"));
  assert.ok(a.items().has(copy.id), "the copy kept its id once published");
});

test("an edit beats a concurrent delete", async () => {
  const { a, b } = await pair();
  const store = new MemoryBlobStore();
  const item = note("wifi", "v1");
  await a.save(item);
  await a.sync(store);
  await b.sync(store);
  await a.remove(item.id);
  await b.save(editItem(item, { notes: "kept" }));
  await a.sync(store);
  await b.sync(store);
  await a.sync(store);
  same(a, b);
  assert.equal(a.items().get(item.id)?.notes, "kept");
});

test("hostile folder: duplicates, stubs, EBUSY, cut files and foreign files are data in transit, never losses", async () => {
  const { keys, a } = await pair();
  const folder = new SharedFolder();
  const viewA = new HostileBlobStore(folder);
  const viewB = new HostileBlobStore(folder, { stub: 1 / 4, truncate: 1 / 3, busy: 1 / 2, duplicate: 1 / 4 }, seededRandom(7));
  const b = new LogReplica(keys, newUuid());
  const saved: Item[] = [];
  for (let i = 0; i < 12; i++) {
    const it = note(`n${i}`, `value ${i}`);
    saved.push(it);
    await a.save(it);
    await a.sync(viewA);
  }
  viewB.deliver();
  const first = await b.sync(viewB);
  assert.deepEqual(first.quarantined, []);
  assert.ok(first.unavailable.length > 0, "some files were not readable yet");
  assert.deepEqual(first.rollbacks, []);
  // the next rounds of the sync client complete every file; names with conflict suffixes add nothing
  for (let round = 0; round < 3; round++) {
    viewB.deliver();
    const r = await b.sync(viewB);
    assert.deepEqual(r.quarantined, []);
  }
  assert.deepEqual(notesOf(b), saved.map((s) => s.notes).sort());
  const last = await b.sync(viewB);
  assert.deepEqual([last.unavailable, last.missing, last.rollbacks], [[], [], []]);
  // every listed duplicate is recognised as the file it copies
  const dups = (await viewB.list("")).filter((p) => p.includes("conflicted copy") || p.includes("sync-conflict"));
  assert.ok(dups.length > 0);
  assert.ok(dups.every((p) => parseLogPath(p) !== undefined));
});

test("a damaged file that authenticates nowhere is waited for, not quarantined; a dropped file is reported missing", async () => {
  const { keys, a } = await pair();
  const folder = new SharedFolder();
  const viewA = new HostileBlobStore(folder);
  const viewB = new HostileBlobStore(folder);
  const b = new LogReplica(keys, newUuid());
  const x = note("x", "x");
  const y = note("y", "y");
  await a.save(x);
  await a.sync(viewA);
  const dropped = (await viewA.list("log/")).find((p) => parseLogPath(p)?.seq === 1)!;
  await a.save(y);
  await a.sync(viewA);
  viewB.drop(dropped);
  viewB.deliver();
  const r = await b.sync(viewB);
  assert.deepEqual(r.missing, [{ deviceId: a.deviceId, seq: 1 }]);
  assert.deepEqual(r.quarantined, []);
  assert.deepEqual(notesOf(b), ["y"]);
  // the same file under a conflict-copy name is as good as the original
  viewB.duplicate(dropped, folder.files.get(dropped)!);
  assert.deepEqual((await b.sync(viewB)).missing, []);
  assert.deepEqual(notesOf(b), ["x", "y"]);
});

test("a device's files rolled back to an older copy are reported, and what was read stays", async () => {
  const { keys, a } = await pair();
  const folder = new SharedFolder();
  const viewA = new HostileBlobStore(folder);
  const viewB = new HostileBlobStore(folder);
  const b = new LogReplica(keys, newUuid());
  await a.save(note("one", "1"));
  await a.sync(viewA);
  const at = folder.history.length;
  await a.save(note("two", "2"));
  await a.sync(viewA);
  viewB.deliver();
  await b.sync(viewB);
  viewB.rollBack(a.deviceId, at);
  const r = await b.sync(viewB);
  assert.deepEqual(r.rollbacks, [{ deviceId: a.deviceId, reason: "older_manifest" }]);
  assert.deepEqual(notesOf(b), ["1", "2"], "absence is never deletion");
  // its manifests withheld altogether: reported too
  viewB.rollBack(a.deviceId, 0);
  assert.deepEqual((await b.sync(viewB)).rollbacks, [{ deviceId: a.deviceId, reason: "manifest_withheld" }]);
  // the device itself notices its own files went back
  viewA.rollBack(a.deviceId, at);
  assert.deepEqual((await a.sync(viewA)).rollbacks, [{ deviceId: a.deviceId, reason: "own_files_rolled_back" }]);
  // ... and publishes again what the lost files held: a fresh device reading that folder gets everything
  const c = new LogReplica(keys, newUuid());
  const fresh = await c.sync(viewA);
  assert.deepEqual([fresh.missing, fresh.rollbacks], [[], []]);
  assert.deepEqual(notesOf(c), ["1", "2"]);
  assert.deepEqual((await a.sync(viewA)).rollbacks, [], "reported once");
});

test("a file of another account, or a version that does not open, never enters the vault", async () => {
  const { a } = await pair();
  const store = new MemoryBlobStore();
  const other = new LogReplica(await freshAccountKeys(), newUuid());
  await other.save(note("foreign", "foreign"));
  await other.sync(store);
  await a.save(note("mine", "mine"));
  const r = await a.sync(store);
  assert.deepEqual(notesOf(a), ["mine"]);
  assert.ok(r.unavailable.length > 0, "the foreign files are reported as unreadable");
  assert.deepEqual(r.quarantined, []);
});

test("compaction: a snapshot replaces a device's own old segments after the grace period; tombstones stay", async () => {
  let now = 0;
  const keys = await freshAccountKeys();
  const a = new LogReplica(keys, newUuid(), { now: () => now, graceMs: 1000 });
  const b = new LogReplica(keys, newUuid());
  const store = new MemoryBlobStore();
  const gone = note("gone", "gone");
  await b.save(gone);
  await b.sync(store);
  await a.sync(store);
  await a.remove(gone.id);
  const kept: ItemId[] = [];
  for (let i = 0; i < 5; i++) {
    const it = note(`k${i}`, `k${i}`);
    kept.push(it.id);
    await a.save(it);
    await a.sync(store);
  }
  const own = () => [...store.files.keys()].filter((p) => p.includes(a.deviceId) && !p.startsWith("mf/"));
  assert.equal(own().length, 5);
  assert.equal((await a.compact(store)).removed, 0, "no segment is removed inside the grace period");
  now = 2000;
  const { removed } = await a.compact(store);
  assert.equal(removed, 6, "the older snapshot, and the segments the settled snapshot covers");
  assert.equal(own().length, 1);
  // a fresh device reads the snapshot and b's old segment: the deleted item is not resurrected
  const c = new LogReplica(keys, newUuid());
  const r = await c.sync(store);
  assert.deepEqual([r.missing, r.quarantined, r.rollbacks], [[], [], []]);
  assert.equal(c.items().has(gone.id), false);
  assert.deepEqual([...c.items().keys()].sort(), [...kept].sort());
  await b.sync(store);
  same(b, c);
});

test("saved state: a restarted device goes on where it stopped; a damaged state is refused cleanly", async () => {
  const { keys, a, b } = await pair();
  const store = new MemoryBlobStore();
  const item = note("kept", "v1");
  await a.save(item);
  await a.sync(store);
  await b.sync(store);
  await a.save(editItem(item, { notes: "a" }));
  await b.save(editItem(item, { notes: "b" }));
  await b.sync(store);
  // a stops with a pending edit and restarts from its saved state
  const again = await LogReplica.restore(keys, a.exportState());
  assert.equal(again.pendingCount, 1);
  assert.deepEqual([...again.items()], [...a.items()]);
  const r = await again.sync(store);
  assert.deepEqual([r.pushed, r.pulled, r.rollbacks], [1, 1, []], "no file is read twice, nothing reported");
  await b.sync(store);
  same(again, b);
  assert.deepEqual(notesOf(b), ["a", "b"]);
  const text = new TextDecoder().decode(again.exportState());
  for (const damaged of ["", "{", '{"v":2}', text.replace('"seq":', '"seq":-'), text.slice(0, text.length / 2)])
    await assert.rejects(LogReplica.restore(keys, new TextEncoder().encode(damaged)), { code: "invalid_input" });
  // another account's keys cannot open the saved versions
  await assert.rejects(LogReplica.restore(await freshAccountKeys(), again.exportState()), { code: "tampered" });
});

test("a device that switched method leaves a signed marker; the others are told, and nothing is removed", async () => {
  const { a, b } = await pair();
  const store = new MemoryBlobStore();
  await a.save(note("stays", "stays"));
  await a.sync(store);
  const marker = await a.leaveMovedMarker(store);
  assert.match(marker, /^moved\//);
  const r = await b.sync(store);
  assert.deepEqual(r.moved, [a.deviceId]);
  assert.deepEqual(notesOf(b), ["stays"]);
  // a marker of another account is not believed
  const other = new LogReplica(await freshAccountKeys(), newUuid());
  const lone = new MemoryBlobStore();
  await other.leaveMovedMarker(lone);
  assert.deepEqual((await b.sync(lone)).moved, []);
});
