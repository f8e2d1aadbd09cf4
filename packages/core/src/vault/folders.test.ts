// Folders: path normalisation, the tree with counts, subtree membership, edits, and the folder in the
// encrypted index (segments written before folders existed still decode).
import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeIndexSegment, encodeIndexSegment } from "../formats/index-codec.ts";
import { toIndexEntry } from "../formats/vault-index.ts";
import { folderTree, isInFolder } from "./folders.ts";
import { createItem, editItem, normaliseFolder } from "./item.ts";

test("folder paths are normalised; edits move and clear them", () => {
  assert.equal(normaliseFolder(" Work / Dev/ "), "Work/Dev");
  assert.equal(normaliseFolder("//"), "");
  const item = createItem({ type: "login", title: "a", folder: "Work//Dev" });
  assert.equal(item.folder, "Work/Dev");
  assert.equal(editItem(item, { folder: "Home" }).folder, "Home");
  assert.equal("folder" in editItem(item, { folder: "" }), false, "no empty folder key: the item schema wants none or a path");
  assert.equal(editItem(item, { title: "b" }).folder, "Work/Dev", "other edits keep the folder");
  assert.equal("folder" in createItem({ type: "login", title: "x" }), false);
});

test("the tree counts items in and below each folder; trash does not count", () => {
  const e = (folder: string | undefined, trashed = false) => ({ folder, trashed });
  assert.deepEqual(folderTree([e("Work/Dev"), e("Work/Dev"), e("Work"), e("Home"), e(undefined), e("Old", true)]), [
    { path: "Home", name: "Home", depth: 0, items: 1, total: 1 },
    { path: "Work", name: "Work", depth: 0, items: 1, total: 3 },
    { path: "Work/Dev", name: "Dev", depth: 1, items: 2, total: 2 },
  ]);
  assert.ok(isInFolder("Work/Dev", "Work"));
  assert.ok(isInFolder("Work", "Work"));
  assert.ok(!isInFolder("Workshop", "Work"), "a prefix of a name is not a parent");
  assert.ok(!isInFolder(undefined, "Work"));
});

test("the index keeps the folder; a row without one (as every older segment) decodes unchanged", () => {
  const a = toIndexEntry(createItem({ type: "login", title: "in", folder: "Work/Dev 🗂" }));
  const b = toIndexEntry(createItem({ type: "login", title: "out" }));
  const { rows } = decodeIndexSegment(encodeIndexSegment([a, b], []));
  assert.equal(rows[0]!.folder, "Work/Dev 🗂");
  assert.equal("folder" in rows[1]!, false);
  assert.deepEqual(rows, [a, b]);
});
