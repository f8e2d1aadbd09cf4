import assert from "node:assert/strict";
import { test } from "node:test";
import { createItem } from "../vault/item.ts";
import { encodeIndexSegment, readIndexSegment } from "./index-codec.ts";
import { toIndexEntry } from "./vault-index.ts";

const rows = [
  toIndexEntry(createItem({ type: "login", title: "Bänk ✓", fields: { username: "ann", url: "https://a.example/" }, tags: ["x", "y"] })),
  { ...toIndexEntry(createItem({ type: "secure-note", title: "Plain", fields: {} })), folder: "Work/Dev", favorite: true },
];
const removed = [rows[0]!.id];

test("index codec: rows built on demand equal the rows encoded, each call fresh", () => {
  const view = readIndexSegment(encodeIndexSegment(rows, removed));
  assert.equal(view.rowCount, 2);
  assert.deepEqual(view.removed, removed);
  assert.deepEqual(view.rows(), rows);
  assert.notEqual(view.rows()[0], view.rows()[0]);
  // checked by the sender: only decoded here, the same rows
  assert.deepEqual(readIndexSegment(encodeIndexSegment(rows, removed), true).rows(), rows);
});

test("index codec: a damaged segment is refused when read, before any row is built", () => {
  const good = encodeIndexSegment(rows, []);
  const lensAt = 17 + rows.length * 16;
  const cases: Array<[string, (b: Uint8Array) => void]> = [
    ["unknown item type", (b) => (b[17] = 250)],
    ["one more url than strings", (b) => (b[17 + 2] = b[17 + 2]! + 1)],
    ["a string length off by one", (b) => (b[lensAt + 3] = b[lensAt + 3]! + 1)],
    ["invalid UTF-8 in the blob", (b) => (b[b.length - 1] = 0xff)],
    ["truncated", () => {}],
  ];
  for (const [name, damage] of cases) {
    const b = name === "truncated" ? good.slice(0, -1) : good.slice();
    damage(b);
    assert.throws(() => readIndexSegment(b), { code: "tampered" }, name);
  }
  assert.throws(() => readIndexSegment(Uint8Array.of(9, 0, 0)), { code: "unsupported_format" });
});
