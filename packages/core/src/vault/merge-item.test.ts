// The three-way item merge, table-driven: which pairs of changes combine and which are conflicts.
import assert from "node:assert/strict";
import { test } from "node:test";
import { createItem, editItem, fieldValue, type Item, restoreItem, trashItem } from "./item.ts";
import { mergeItems, replacedSecrets, unionHistory } from "./merge-item.ts";

const base = createItem(
  { type: "login", title: "Mail", fields: { username: "alice", password: "base-pw", website: "https://mail.example" }, tags: ["work"] },
  1000,
);
type Change = (it: Item) => Item;
const pw =
  (v: string): Change =>
  (it) =>
    editItem(it, { fields: { password: v } }, 2000);
const user =
  (v: string): Change =>
  (it) =>
    editItem(it, { fields: { username: v } }, 2000);
const title =
  (v: string): Change =>
  (it) =>
    editItem(it, { title: v }, 2000);
const fav: Change = (it) => editItem(it, { favorite: !it.favorite }, 2000);
const trash: Change = (it) => trashItem(it, 3000);
const trashLater: Change = (it) => trashItem(it, 4000);
const restore: Change = (it) => restoreItem(it, 5000);
const addField =
  (n: string, v: string): Change =>
  (it) =>
    editItem(it, { fields: { [n]: v } }, 2000);
const dropField =
  (n: string): Change =>
  (it) =>
    editItem(it, { fields: { [n]: null } }, 2000);

interface Row {
  readonly name: string;
  readonly start?: Change;
  readonly theirs: Change;
  readonly mine: Change;
  readonly expect: "conflict" | ((it: Item) => void);
}

const rows: Row[] = [
  { name: "edit/edit, same field, different values", theirs: pw("theirs-pw"), mine: pw("my-pw"), expect: "conflict" },
  {
    name: "edit/edit, same field, same value",
    theirs: pw("same"),
    mine: pw("same"),
    expect: (it) => assert.equal(fieldValue(it, "password"), "same"),
  },
  {
    name: "edit/edit, different fields",
    theirs: pw("theirs-pw"),
    mine: user("bob"),
    expect: (it) => {
      assert.equal(fieldValue(it, "password"), "theirs-pw");
      assert.equal(fieldValue(it, "username"), "bob");
      assert.ok(
        it.history.some((h) => h.value === "base-pw"),
        "the replaced password is in the history",
      );
    },
  },
  {
    name: "title/password",
    theirs: title("Webmail"),
    mine: pw("my-pw"),
    expect: (it) => {
      assert.equal(it.title, "Webmail");
      assert.equal(fieldValue(it, "password"), "my-pw");
    },
  },
  { name: "title/title", theirs: title("A"), mine: title("B"), expect: "conflict" },
  {
    name: "edit/delete (trash): the edit is kept, in the trash",
    theirs: trash,
    mine: pw("my-pw"),
    expect: (it) => {
      assert.notEqual(it.trashedAt, null);
      assert.equal(fieldValue(it, "password"), "my-pw");
    },
  },
  {
    name: "delete/delete at different times agree",
    theirs: trash,
    mine: trashLater,
    expect: (it) => assert.notEqual(it.trashedAt, null),
  },
  {
    name: "restore/restore",
    start: trash,
    theirs: restore,
    mine: restore,
    expect: (it) => assert.equal(it.trashedAt, null),
  },
  {
    name: "restore/edit in the trash",
    start: trash,
    theirs: restore,
    mine: pw("my-pw"),
    expect: (it) => {
      assert.equal(it.trashedAt, null);
      assert.equal(fieldValue(it, "password"), "my-pw");
    },
  },
  {
    name: "favourite/password",
    theirs: fav,
    mine: pw("my-pw"),
    expect: (it) => {
      assert.equal(it.favorite, true);
      assert.equal(fieldValue(it, "password"), "my-pw");
    },
  },
  {
    name: "added field/added other field: both kept",
    theirs: addField("pin", "1234"),
    mine: addField("recovery", "abcd"),
    expect: (it) => {
      assert.equal(fieldValue(it, "pin"), "1234");
      assert.equal(fieldValue(it, "recovery"), "abcd");
    },
  },
  { name: "added field/same field other value", theirs: addField("pin", "1"), mine: addField("pin", "2"), expect: "conflict" },
  {
    name: "removed field/edited other field",
    start: addField("pin", "1"),
    theirs: dropField("pin"),
    mine: pw("my-pw"),
    expect: (it) => {
      assert.equal(fieldValue(it, "pin"), undefined);
      assert.equal(fieldValue(it, "password"), "my-pw");
    },
  },
  {
    name: "removed field/edited same field",
    start: addField("pin", "1"),
    theirs: dropField("pin"),
    mine: addField("pin", "2"),
    expect: "conflict",
  },
];

for (const row of rows) {
  test(`merge: ${row.name}`, () => {
    const start = row.start ? row.start(base) : base;
    const theirs = row.theirs(start);
    const mine = row.mine(start);
    const out = mergeItems(start, theirs, mine, 9000);
    if (row.expect === "conflict") {
      assert.equal(out.kind, "conflict");
      return;
    }
    assert.equal(out.kind, "merged");
    if (out.kind !== "merged") return;
    assert.ok(out.item.rev > theirs.rev && out.item.rev > mine.rev, "the merged version is above both");
    assert.equal(out.item.id, base.id);
    row.expect(out.item);
    // merging is symmetric in content: the same slots win whichever side is "mine"
    const swapped = mergeItems(start, mine, theirs, 9000);
    assert.equal(swapped.kind, "merged");
    if (swapped.kind === "merged") row.expect(swapped.item);
  });
}

test("merge: the conflict names the slots both sides changed", () => {
  const out = mergeItems(base, title("A")(pw("x")(base)), title("B")(pw("y")(base)), 9000);
  assert.deepEqual(out.kind === "conflict" ? out.slots.sort() : [], ["field:password", "title"]);
});

test("replacedSecrets: hidden values the newer version dropped, once", () => {
  const older = pw("older-pw")(base);
  const newer = pw("newer-pw")(base);
  assert.deepEqual(replacedSecrets(older, newer, 7), [{ field: "password", value: "older-pw", changedAt: 7 }]);
  assert.deepEqual(replacedSecrets(older, older, 7), []);
  assert.deepEqual(replacedSecrets(older, pw("x")(older), 7), [], "already in the newer history");
  assert.deepEqual(replacedSecrets(user("bob")(base), base, 7), [], "text fields are not secrets");
});

test("unionHistory: each entry once, newest first", () => {
  const a = { field: "password", value: "a", changedAt: 1 };
  const b = { field: "password", value: "b", changedAt: 2 };
  assert.deepEqual(unionHistory([a], [b, a]), [b, a]);
});
