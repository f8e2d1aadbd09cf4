// The signed vault manifest: MAC, layout bounds, and the "judge only what was pulled past" rule.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { isCryptexError } from "../errors.ts";
import { freshAccountKeys } from "../formats/test-keys.ts";
import { type ItemId, newItemId, newUuid } from "../keys/ids.ts";
import { checkManifest, entriesOf, openManifest, sealManifest } from "./manifest.ts";
import { type ItemState, itemState } from "./ports.ts";

const keys = await freshAccountKeys();
const device = newUuid();
const tagOf = (x: number) => new Uint8Array(32).fill(x);
const item = (revision: number, seenRev: number, data = tagOf(revision * 16 + seenRev), id = newItemId()): ItemState =>
  itemState({ id, data, deleted: false, revision, pending: false, seenRev });

test("seal → open round-trips; entries are sorted and pending or unsynced items left out", () => {
  const items = [item(3, 2), item(5, 1), { ...item(7, 1), pending: true }, item(0, 0)];
  const entries = entriesOf(items);
  assert.equal(entries.length, 2);
  const m = openManifest(keys, device, sealManifest(keys, { deviceId: device, counter: 4, revision: 9, entries }));
  assert.equal(m.counter, 4);
  assert.equal(m.revision, 9);
  assert.deepEqual(m.entries.map((e) => e.id).sort(), entries.map((e) => e.id).sort());
});

test("any flipped bit, another device id, another account's key or a truncation is refused with a typed error", async () => {
  const bytes = sealManifest(keys, { deviceId: device, counter: 1, revision: 5, entries: entriesOf([item(5, 1)]) });
  const other = await freshAccountKeys();
  assert.throws(
    () => openManifest(other, device, bytes),
    (e) => isCryptexError(e, "tampered"),
  );
  assert.throws(
    () => openManifest(keys, newUuid(), bytes),
    (e) => isCryptexError(e, "tampered"),
  );
  assert.throws(
    () => openManifest(keys, device, bytes.subarray(0, 40)),
    (e) => isCryptexError(e, "invalid_input"),
  );
  fc.assert(
    fc.property(fc.nat(bytes.length * 8 - 1), (bit) => {
      const bad = bytes.slice();
      bad[bit >> 3]! ^= 1 << (bit & 7);
      assert.throws(
        () => openManifest(keys, device, bad),
        (e) => isCryptexError(e),
      );
    }),
    { numRuns: 300 },
  );
});

test("checkManifest: missing, older, or another ciphertext at the same revision are problems", () => {
  const a = item(4, 2);
  const b = item(6, 3);
  const c = item(8, 1);
  const m = openManifest(keys, device, sealManifest(keys, { deviceId: device, counter: 1, revision: 8, entries: entriesOf([a, b, c]) }));
  const local = new Map<string, ItemState>([
    [a.id, a],
    [b.id, { ...b, revision: 5, seenRev: 2 }], // served an older version
    // c is missing
  ]);
  const problems = checkManifest(m, local, 8);
  assert.deepEqual(
    problems.map((p) => [p.id, p.reason]).sort(),
    [
      [b.id, "rollback"],
      [c.id, "missing"],
    ].sort(),
  );
  const swapped = new Map(local).set(a.id, { ...a, tag: tagOf(9).subarray(16) });
  assert.ok(checkManifest(m, swapped, 8).some((p) => p.id === a.id && p.reason === "tampered"));
});

test("no false alarm: entries above this device's cursor (a concurrent push) and newer local versions pass", () => {
  const a = item(4, 2);
  const b = item(9, 1); // pushed by the other device after this one pulled up to 8
  const m = openManifest(keys, device, sealManifest(keys, { deviceId: device, counter: 1, revision: 9, entries: entriesOf([a, b]) }));
  const local = new Map<string, ItemState>([[a.id, { ...a, revision: 7, seenRev: 5, tag: tagOf(1).subarray(16) }]]);
  assert.deepEqual(checkManifest(m, local, 8), []);
  const deletedLater = new Map<string, ItemState>([[a.id as ItemId, { ...a, deleted: true, revision: 8, seenRev: 3 }]]);
  assert.deepEqual(checkManifest(m, deletedLater, 8), []);
});
