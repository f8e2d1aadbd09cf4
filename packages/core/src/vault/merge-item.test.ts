// The three-way item merge, table-driven: which pairs of changes combine and which are conflicts.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { newAttachment } from "../attachments/attachment.ts";
import { addAttachment, createItem, editItem, fieldValue, type Item, removeAttachment, restoreItem, trashItem } from "./item.ts";
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
    name: "folder/password",
    theirs: (it) => editItem(it, { folder: "Work" }, 2000),
    mine: pw("my-pw"),
    expect: (it) => assert.deepEqual([it.folder, fieldValue(it, "password")], ["Work", "my-pw"]),
  },
  {
    name: "folder/folder",
    theirs: (it) => editItem(it, { folder: "Work" }, 2000),
    mine: (it) => editItem(it, { folder: "Home" }, 2000),
    expect: "conflict",
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

test("merge: attachments added on two devices are both kept; one removed on one side stays removed", () => {
  const kept = newAttachment("kept.pdf", 10, "application/pdf");
  const base = addAttachment(createItem({ type: "login", title: "Bank" }), kept);
  const mine = addAttachment(base, newAttachment("mine.png", 20, "image/png"));
  const theirs = removeAttachment(addAttachment(base, newAttachment("theirs.txt", 30, "text/plain")), kept.id);
  const r = mergeItems(base, theirs, mine, 5);
  assert.equal(r.kind, "merged");
  if (r.kind !== "merged") return;
  assert.deepEqual(
    r.item.attachments?.map((a) => a.name),
    ["mine.png", "theirs.txt"],
  );
  // both removed the last one: no empty list is left behind
  const both = mergeItems(base, removeAttachment(base, kept.id), removeAttachment(base, kept.id), 6);
  assert.equal(both.kind === "merged" && both.item.attachments, undefined);
});

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

// ---- property: for any two sets of changes made from one base, the merge keeps every change or says conflict ----

type Slot = "title" | "notes" | "favorite" | "trash" | "username" | "password" | "pin";
const SLOTS: Slot[] = ["title", "notes", "favorite", "trash", "username", "password", "pin"];
type Changes = Partial<Record<Slot, string | boolean | null>>;

function apply(it: Item, c: Changes): Item {
  let out = editItem(
    it,
    {
      ...(c.title !== undefined ? { title: c.title as string } : {}),
      ...(c.notes !== undefined ? { notes: c.notes as string } : {}),
      ...(c.favorite !== undefined ? { favorite: c.favorite as boolean } : {}),
      fields: Object.fromEntries(
        (["username", "password", "pin"] as const).filter((k) => c[k] !== undefined).map((k) => [k, c[k] as string | null]),
      ),
    },
    2000,
  );
  if (c.trash !== undefined) out = c.trash ? trashItem(out, 3000) : restoreItem(out, 3000);
  return out;
}

const read = (it: Item, s: Slot): string | boolean | null =>
  s === "title"
    ? it.title
    : s === "notes"
      ? it.notes
      : s === "favorite"
        ? it.favorite
        : s === "trash"
          ? it.trashedAt !== null
          : (fieldValue(it, s) ?? null);

const value = fc.constantFrom("a", "b", "c");
const changes: fc.Arbitrary<Changes> = fc.record(
  {
    title: value,
    notes: value,
    favorite: fc.boolean(),
    trash: fc.boolean(),
    username: value,
    password: value,
    pin: fc.option(value, { nil: null }),
  },
  { requiredKeys: [] },
);

test("merge property: changes on different slots all survive; a conflict only when both changed one slot differently", () => {
  fc.assert(
    fc.property(changes, changes, (mc, tc) => {
      const mine = apply(base, mc);
      const theirs = apply(base, tc);
      const out = mergeItems(base, theirs, mine, 9000);
      const changed = (it: Item, s: Slot) => read(it, s) !== read(base, s);
      const clash = SLOTS.filter((s) => changed(mine, s) && changed(theirs, s) && read(mine, s) !== read(theirs, s));
      if (clash.length > 0) {
        assert.equal(out.kind, "conflict");
        return;
      }
      assert.equal(out.kind, "merged");
      if (out.kind !== "merged") return;
      for (const s of SLOTS) {
        const want = changed(mine, s) ? read(mine, s) : read(theirs, s);
        assert.deepEqual(read(out.item, s), want, `slot ${s}`);
      }
      // no password either side ever held is lost: it is the item's password or in its history
      const held = new Set([fieldValue(out.item, "password"), ...out.item.history.map((h) => h.value)]);
      for (const v of [read(base, "password"), read(mine, "password"), read(theirs, "password")])
        assert.ok(held.has(v as string), `password ${v} kept`);
    }),
    { numRuns: 500 },
  );
});
