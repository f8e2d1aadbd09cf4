// Full item history, pure: versions recorded per save, bounded by count and bytes, merged from two sides,
// diffed field by field, restored as a new edit.
import assert from "node:assert/strict";
import { test } from "node:test";
import { parse } from "../schema/shape.ts";
import { createItem, editItem, fieldValue, type Item, itemShape, itemSize, LIMITS, trashItem } from "./item.ts";
import { boundVersions, itemHistory, withVersionOf } from "./item-versions.ts";
import { mergeItems } from "./merge-item.ts";
import { diffVersions, restoreVersion } from "./version-diff.ts";

/** What `Vault.save(edited, base)` does to history: the base joins the edited item's versions. */
const save = (base: Item, edit: (it: Item) => Item, by = "laptop"): Item => ({ ...withVersionOf(edit(base), base), savedBy: by });

const login = createItem({ type: "login", title: "Mail", fields: { username: "alice", password: "pw-1", website: "mail.example" } }, 1000);

test("each save keeps the version it replaced, numbered oldest first, ending with the current one", () => {
  const v2 = save(login, (it) => editItem(it, { fields: { password: "pw-2" } }, 2000));
  const v3 = save(v2, (it) => editItem(it, { notes: "hello", title: "Webmail" }, 3000), "phone");
  const h = itemHistory(v3);
  assert.deepEqual(
    h.map((e) => [e.number, e.current, e.version.title, e.version.savedAt, e.version.savedBy ?? ""]),
    [
      [1, false, "Mail", 1000, ""],
      [2, false, "Mail", 2000, "laptop"],
      [3, true, "Webmail", 3000, "phone"],
    ],
  );
  assert.equal(fieldValue({ ...login, fields: h[0]!.version.fields }, "password"), "pw-1", "the first password is kept whole");
  // a save that changes nothing adds no version
  assert.equal(save(v3, (it) => editItem(it, { notes: "hello" }, 4000)).versions?.length, 2);
  // the item with its versions is one the schema accepts (what a device decrypting it checks)
  assert.deepEqual(parse(itemShape, JSON.parse(JSON.stringify(v3))), v3);
});

test("the count kept is bounded (default 50, configurable), oldest dropped first", () => {
  let it = login;
  for (let i = 1; i <= 60; i++) it = boundVersions(save(it, (x) => editItem(x, { notes: `edit ${i}` }, 1000 + i)));
  const h = itemHistory(it);
  assert.equal(h.length, 51, "50 earlier versions and the current one");
  assert.equal(h[0]!.version.notes, "edit 10", "the ten oldest were dropped");
  assert.equal(h.at(-1)!.version.notes, "edit 60");
  const five = boundVersions(it, 5);
  assert.deepEqual(
    itemHistory(five).map((e) => e.version.notes),
    ["edit 55", "edit 56", "edit 57", "edit 58", "edit 59", "edit 60"],
  );
  assert.equal(boundVersions(it, 0).versions?.length, 0);
});

test("the versions are bounded in bytes too: the whole item fits LIMITS.itemBytes, newest versions kept", () => {
  let it = login;
  const big = (i: number) => `${i} `.padEnd(LIMITS.notes - 10, "x");
  for (let i = 1; i <= 8; i++) it = boundVersions(save(it, (x) => editItem(x, { notes: big(i) }, 1000 + i)));
  assert.ok(itemSize(it) <= LIMITS.itemBytes, `${itemSize(it)} bytes`);
  const notes = itemHistory(it).map((e) => e.version.notes.split(" ")[0]);
  assert.ok(notes.length >= 3 && notes.length < 9, `kept ${notes.length}`);
  assert.deepEqual(notes.slice(-2), ["7", "8"], "the newest versions stay");
  assert.ok(itemSize(boundVersions(save(it, (x) => editItem(x, { notes: big(9) }, 2000)))) <= LIMITS.itemBytes);
});

test("two devices editing concurrently: the merge keeps the base and both saved versions", () => {
  const onA = save(login, (it) => editItem(it, { fields: { password: "from-a" } }, 2000), "A");
  const onB = save(login, (it) => editItem(it, { fields: { username: "bob" } }, 2100), "B");
  const merged = mergeItems(login, onA, onB, 3000);
  assert.equal(merged.kind, "merged");
  if (merged.kind !== "merged") return;
  const h = itemHistory(merged.item);
  const saved = h.map((e) => [fieldValue({ ...login, fields: e.version.fields }, "password"), e.version.fields[0]!.value]);
  assert.deepEqual(saved, [
    ["pw-1", "alice"], // the base, once though both sides held it
    ["from-a", "alice"], // A's save
    ["pw-1", "bob"], // B's save
    ["from-a", "bob"], // the merge
  ]);
  // versions already on both sides are not doubled when they meet again
  const again = mergeItems(login, merged.item, merged.item, 4000);
  assert.equal(again.kind === "merged" && again.item.versions?.length, merged.item.versions?.length);
});

test("the diff names added, removed and changed fields and parts, secrets marked", () => {
  const before = itemHistory(login)[0]!.version;
  const edited = editItem(
    login,
    { title: "Webmail", fields: { password: "pw-2", username: null, pin: "1234" }, tags: ["home"], folder: "Personal" },
    2000,
  );
  const after = itemHistory({ ...edited, fields: edited.fields.filter((f) => f.name !== "username") })[0]!.version;
  const d = diffVersions(before, after);
  const by = (name: string) => d.find((c) => c.name === name);
  assert.deepEqual(by("title"), { part: "title", name: "title", change: "changed", before: "Mail", after: "Webmail", secret: false });
  assert.deepEqual(by("password"), { part: "field", name: "password", change: "changed", before: "pw-1", after: "pw-2", secret: true });
  assert.deepEqual(by("pin"), { part: "field", name: "pin", change: "added", after: "1234", secret: false });
  assert.deepEqual(by("username"), { part: "field", name: "username", change: "removed", before: "alice", secret: false });
  assert.deepEqual(by("folder"), { part: "folder", name: "folder", change: "added", after: "Personal", secret: false });
  assert.equal(by("tags")?.after, "home");
  assert.equal(by("website"), undefined, "unchanged fields are not listed");
  assert.deepEqual(diffVersions(after, after), []);
});

test("restoring a version is a new edit of the current one: content back, counter up, replaced secret in history", () => {
  const v2 = save(login, (it) => editItem(it, { fields: { password: "pw-2" }, title: "Webmail", notes: "n" }, 2000));
  const trashed = save(v2, (it) => trashItem(it, 2500));
  const first = itemHistory(trashed)[0]!.version;
  const restored = restoreVersion(trashed, first, 3000);
  assert.equal(restored.id, login.id);
  assert.equal(restored.rev, trashed.rev + 1);
  assert.equal(restored.title, "Mail");
  assert.equal(restored.notes, "");
  assert.equal(fieldValue(restored, "password"), "pw-1");
  assert.equal(restored.trashedAt, trashed.trashedAt, "the trash state is the current one's");
  assert.ok(restored.history.some((h) => h.field === "password" && h.value === "pw-2"));
  assert.deepEqual(restored.versions, trashed.versions, "the save records the replaced version, not the restore");
  assert.equal(itemHistory(save(trashed, () => restored)).length, 4, "three earlier versions and the restored one");
});
