// Every path of the engine's merge decisions, table-driven over the pure functions (no store, no crypto):
// edit/edit (same field, other fields), edit/delete, delete/edit, delete/delete, replay of an old version,
// rollback onto a delete, our own echo, versions we built on, unreadable and absent versions, and saves
// made from an older base version (the lost-update fix).
import assert from "node:assert/strict";
import { test } from "node:test";
import { newItemId } from "../keys/ids.ts";
import { createItem, editItem, fieldValue, type Item, itemSize, LIMITS, trashItem } from "../vault/item.ts";
import { withVersionOf } from "../vault/item-versions.ts";
import { mergeConcurrent } from "../vault/merge-item-base.ts";
import {
  builtOn,
  judgeBothEdited,
  judgeRemote,
  judgeSave,
  keepBoth,
  type LocalState,
  movedSinceBase,
  type PullDecision,
  type RemoteVersion,
  survivingEdit,
} from "./merge-path.ts";

const base = createItem({ type: "login", title: "Mail", fields: { username: "alice", password: "base-pw" } }, 1000);
const v = (it: Item, rev: number): Item => ({ ...it, rev });
const item = (rev: number): RemoteVersion => ({ kind: "item", item: v(base, rev) });
const tomb = (rev: number): RemoteVersion => ({ kind: "tombstone", rev });
const clean = (seenRev: number, revision = 10): LocalState => ({ pending: false, deleted: false, revision, seenRev, hasData: true });
const deletedSynced = (seenRev: number): LocalState => ({ pending: false, deleted: true, revision: 10, seenRev, hasData: true });
const editedHere = (seenRev: number, revision = 10): LocalState => ({ pending: true, deleted: false, revision, seenRev, hasData: true });
const deletedHere = (seenRev: number): LocalState => ({ pending: true, deleted: true, revision: 10, seenRev, hasData: true });

interface PullRow {
  readonly name: string;
  readonly local: LocalState | undefined;
  readonly revision?: number;
  readonly remote: RemoteVersion;
  readonly sameData?: boolean;
  readonly expect: PullDecision["kind"];
  readonly check?: (d: PullDecision) => void;
}

const pullRows: PullRow[] = [
  { name: "new item from elsewhere", local: undefined, remote: item(1), expect: "accept" },
  {
    name: "plain remote edit of a clean item: seenRev moves up",
    local: clean(2),
    remote: item(3),
    expect: "accept",
    check: (d) => assert.equal(d.kind === "accept" && d.seenRev, 3),
  },
  { name: "replay of an older version than one accepted", local: clean(3), remote: item(2), expect: "quarantine" },
  { name: "replay of the same version with other bytes", local: clean(3), remote: item(3), expect: "accept" },
  { name: "our own echo, even of an older counter, is not a replay", local: clean(3), remote: item(2), sameData: true, expect: "accept" },
  { name: "rollback: a version not above a delete", local: deletedSynced(4), remote: item(4), expect: "quarantine" },
  { name: "an edit above a delete synced here is news", local: deletedSynced(4), remote: item(5), expect: "accept" },
  { name: "replay of an old tombstone", local: clean(5), remote: tomb(4), expect: "quarantine" },
  { name: "delete of a clean item", local: clean(3), remote: tomb(4), expect: "delete" },
  {
    name: "delete/delete: both devices deleted; one delete is kept",
    local: deletedHere(3),
    remote: tomb(4),
    expect: "delete",
    check: (d) => assert.equal(d.kind === "delete" && d.seenRev, 4),
  },
  { name: "delete/delete: the same tombstone again", local: deletedSynced(4), remote: tomb(4), expect: "quarantine" },
  {
    name: "edit/delete: edited here, deleted there: the edit survives",
    local: editedHere(3),
    remote: tomb(4),
    expect: "mine-survives-delete",
    check: (d) => assert.equal(d.kind === "mine-survives-delete" && d.deletedAt, 4),
  },
  {
    name: "delete/edit: deleted here, edited there: the edit survives, noted",
    local: deletedHere(3),
    remote: item(4),
    expect: "accept",
    check: (d) => assert.equal(d.kind === "accept" && d.deletedHere, true),
  },
  {
    name: "edit/edit: both edited, other bytes: mine keeps the id, theirs is a copy",
    local: editedHere(3),
    remote: item(4),
    expect: "mine-and-copy",
  },
  { name: "edit/edit: the server echoes my pending bytes", local: editedHere(3), remote: item(4), sameData: true, expect: "accept" },
  {
    name: "a version at the base of my pending edit was built on",
    local: editedHere(3, 10),
    revision: 10,
    remote: item(9),
    expect: "skip",
  },
  { name: "a version below the base of my pending edit", local: editedHere(3, 10), revision: 7, remote: tomb(9), expect: "skip" },
  { name: "absent on the server while held here: refused", local: clean(3), remote: { kind: "absent" }, expect: "quarantine" },
  { name: "absent on the server, deleted here too", local: deletedSynced(3), remote: { kind: "absent" }, expect: "skip" },
  { name: "absent on the server, unknown here", local: undefined, remote: { kind: "absent" }, expect: "skip" },
  {
    name: "unreadable (tampered) version",
    local: clean(3),
    remote: { kind: "unreadable", reason: "tampered" },
    expect: "quarantine",
    check: (d) => assert.equal(d.kind === "quarantine" && d.reason, "tampered"),
  },
];

test("pull: what each remote version does to the local one", () => {
  for (const r of pullRows) {
    const d = judgeRemote(r.local, r.revision ?? 11, r.remote, r.sameData ?? false);
    assert.equal(d.kind, r.expect, r.name);
    r.check?.(d);
  }
  const reasons = pullRows.map((r) => judgeRemote(r.local, r.revision ?? 11, r.remote, r.sameData ?? false));
  assert.deepEqual([...new Set(reasons.flatMap((d) => (d.kind === "quarantine" ? [d.reason] : [])))].sort(), [
    "rollback",
    "tampered",
    "unauthenticated_delete",
  ]);
  assert.equal(builtOn({ pending: false, revision: 10 }, 9), false, "a clean item builds on nothing");
});

test("edit/delete: the surviving edit's version is above the tombstone's", () => {
  const mine = editItem(base, { title: "Mine" }, 2000);
  assert.equal(survivingEdit(mine, 7).rev, 8);
  assert.equal(survivingEdit(v(mine, 12), 7).rev, 13);
  assert.equal(survivingEdit(mine, 7).title, "Mine");
});

test("edit/edit on pull: mine wins the id above both versions; theirs is a copy; its replaced secret is in my history", () => {
  const theirs = v(editItem(base, { fields: { password: "their-pw" } }, 2000), 6);
  const mine = editItem(base, { fields: { password: "my-pw" } }, 2500);
  const { winner, copy } = keepBoth(mine, theirs, 3000, { theirHistory: false });
  assert.equal(winner.id, base.id);
  assert.equal(winner.rev, 7);
  assert.equal(fieldValue(winner, "password"), "my-pw");
  assert.ok(winner.history.some((h) => h.value === "their-pw"));
  assert.equal(winner.history.length, 2, "their-pw, and my own base-pw; their history stays with the copy");
  assert.equal(keepBoth(mine, theirs, 3000, { theirHistory: true }).winner.history.length, 3, "a save keeps both histories");
  assert.notEqual(copy.id, base.id);
  assert.equal(copy.conflictOf, base.id);
  assert.equal(copy.title, "Mail (conflict copy)");
  assert.equal(fieldValue(copy, "password"), "their-pw");
  assert.deepEqual([copy.createdAt, copy.updatedAt, copy.rev], [3000, 3000, 1]);
});

// ---- a pulled version meets a pending local edit (`mine-and-copy`): merged when the histories allow ----

/** A save on a device as Vault.save makes it: the version it was made from joins its versions. */
const savedOn = (from: Item, changes: Parameters<typeof editItem>[1], at: number, device: string): Item => ({
  ...withVersionOf(editItem(from, changes, at), from),
  savedBy: device,
});

/** `n` custom fields of the largest value a field may hold */
const big = (name: string, n: number) =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`${name}-${i}`, "x".repeat(LIMITS.fieldValue)]));

interface BothRow {
  readonly name: string;
  readonly mine: () => Item;
  readonly theirs: () => Item;
  readonly expect: "merged" | "conflict";
  readonly check?: (out: Item, mine: Item, theirs: Item) => void;
}

const bothRows: BothRow[] = [
  {
    name: "password here, tag there: one item with both, above both, pushed as a new edit",
    mine: () => savedOn(base, { fields: { password: "mine" } }, 2000, "A"),
    theirs: () => savedOn(base, { tags: ["bank"] }, 2100, "B"),
    expect: "merged",
    check: (out, mine, theirs) => {
      assert.deepEqual([fieldValue(out, "password"), out.tags], ["mine", ["bank"]]);
      assert.equal(out.rev, Math.max(mine.rev, theirs.rev) + 1);
    },
  },
  {
    name: "notes here, password there",
    mine: () => savedOn(base, { notes: "mine" }, 2000, "A"),
    theirs: () => savedOn(base, { fields: { password: "theirs" } }, 2000, "B"),
    expect: "merged",
    check: (out) => assert.deepEqual([out.notes, fieldValue(out, "password")], ["mine", "theirs"]),
  },
  {
    name: "the same field to other values: a conflict copy, exactly as before",
    mine: () => savedOn(base, { fields: { password: "mine" } }, 2000, "A"),
    theirs: () => savedOn(base, { fields: { password: "theirs" } }, 2000, "B"),
    expect: "conflict",
  },
  {
    name: "both sides added large notes and fields that do not fit one item together: a conflict copy",
    mine: () => savedOn(base, { notes: "m".repeat(LIMITS.notes), fields: big("mine", 6) }, 2000, "A"),
    theirs: () => savedOn(base, { fields: big("theirs", 8) }, 2000, "B"),
    expect: "conflict",
    check: (_, mine, theirs) => {
      for (const it of [mine, theirs]) assert.ok(itemSize(it) <= LIMITS.itemBytes, "each side alone fits");
      assert.ok(mergeConcurrent(mine, theirs), "they would merge, were it not for the size");
    },
  },
  {
    name: "no common version (items saved before versions existed): a conflict copy",
    mine: () => editItem(base, { fields: { password: "mine" } }, 2000),
    theirs: () => editItem(base, { tags: ["bank"] }, 2000),
    expect: "conflict",
  },
];

test("both edited on pull: two devices that merged one pair hold the same version: no new revision", () => {
  const a = savedOn(base, { fields: { password: "mine" } }, 2000, "A");
  const b = savedOn(base, { notes: "theirs" }, 2000, "B");
  const onA = judgeBothEdited(a, b, 5000);
  const onB = judgeBothEdited(b, a, 7000);
  assert.ok(onA.kind === "merged" && onB.kind === "merged");
  assert.deepEqual(judgeBothEdited(onA.item, structuredClone(onB.item), 9000), { kind: "same" });
});

test("both edited on pull: merged from the common version, or kept both as before", () => {
  for (const r of bothRows) {
    const [mine, theirs] = [r.mine(), r.theirs()];
    const copyId = newItemId();
    const d = judgeBothEdited(mine, theirs, 5000, copyId);
    assert.equal(d.kind, r.expect, r.name);
    if (d.kind === "merged") {
      assert.equal(d.item.id, base.id);
      assert.deepEqual(judgeBothEdited(theirs, mine, 6000), d, `${r.name}: the same item whichever device merges, whenever`);
      r.check?.(d.item, mine, theirs);
    } else {
      const today = keepBoth(mine, theirs, 5000, { theirHistory: false, copyId });
      assert.deepEqual(d, { kind: "conflict", ...today }, `${r.name}: today's rule`);
      r.check?.(d.winner, mine, theirs);
    }
  }
});

interface SaveRow {
  readonly name: string;
  readonly stored: (b: Item) => Item | { tombstone: number } | undefined;
  readonly mine: (b: Item) => Item;
  readonly seenRev?: number;
  readonly expect: "saved" | "merged" | "conflict";
  readonly check: (out: Item, stored: Item | undefined) => void;
}
const pw = (x: string) => (it: Item) => editItem(it, { fields: { password: x } }, 2000);
const user = (x: string) => (it: Item) => editItem(it, { fields: { username: x } }, 2000);
const twice = (f: (it: Item) => Item, g: (it: Item) => Item) => (it: Item) => g(f(it));

const saveRows: SaveRow[] = [
  {
    name: "nothing moved since the base: saved as is, above the stored version",
    stored: (b) => b,
    mine: pw("mine"),
    expect: "saved",
    check: (out) => assert.deepEqual([out.rev, fieldValue(out, "password")], [2, "mine"]),
  },
  {
    name: "base-version edit, other fields: merged, both changes kept, version above both",
    stored: twice(user("bob"), user("carol")),
    mine: pw("mine"),
    expect: "merged",
    check: (out, s) => {
      assert.deepEqual([fieldValue(out, "username"), fieldValue(out, "password")], ["carol", "mine"]);
      assert.ok(out.rev > s!.rev);
    },
  },
  {
    name: "base-version edit, same field, same value: merged",
    stored: pw("same"),
    mine: pw("same"),
    expect: "merged",
    check: (out) => assert.equal(fieldValue(out, "password"), "same"),
  },
  {
    name: "base-version edit, same field, other values: conflict, my value keeps the id",
    stored: twice(pw("theirs"), user("bob")),
    mine: pw("mine"),
    expect: "conflict",
    check: (out, s) => {
      assert.equal(fieldValue(out, "password"), "mine");
      assert.ok(out.rev > s!.rev, "no lost update: above the stored version");
      assert.ok(
        out.history.some((h) => h.value === "theirs"),
        "the replaced secret is in the history",
      );
    },
  },
  {
    name: "edited while trashed elsewhere: merged, still in the trash",
    stored: (b) => trashItem(b, 3000),
    mine: user("bob"),
    expect: "merged",
    check: (out) => assert.deepEqual([out.trashedAt, fieldValue(out, "username")], [3000, "bob"]),
  },
  {
    name: "edited while deleted for good elsewhere: the edit survives above the tombstone",
    stored: () => ({ tombstone: 9 }),
    mine: pw("mine"),
    expect: "saved",
    check: (out) => assert.equal(out.rev, 10),
  },
  {
    name: "edited while the stored copy is unreadable: the edit survives above every version seen",
    stored: () => undefined,
    seenRev: 5,
    mine: pw("mine"),
    expect: "saved",
    check: (out) => assert.equal(out.rev, 6),
  },
];

test("save: an edit over the stored version, from the base it was made from", () => {
  for (const r of saveRows) {
    const s = r.stored(base);
    const stored =
      s === undefined
        ? undefined
        : "tombstone" in s
          ? { kind: "tombstone" as const, rev: s.tombstone }
          : { kind: "item" as const, item: s };
    const copyId = newItemId();
    const d = judgeSave(stored, r.seenRev ?? 1, base, r.mine(base), 4000, copyId);
    assert.equal(d.kind, r.expect, r.name);
    const out = d.kind === "conflict" ? d.winner : d.item;
    assert.equal(out.id, base.id, r.name);
    r.check(out, stored?.kind === "item" ? stored.item : undefined);
    if (d.kind === "conflict") {
      assert.equal(d.copy.id, copyId);
      assert.equal(
        fieldValue(d.copy, "password"),
        fieldValue(stored?.kind === "item" ? stored.item : base, "password"),
        "the copy is the stored version",
      );
      assert.ok(d.winner.history.length >= (stored?.kind === "item" ? stored.item.history.length : 0), "a save keeps the stored history");
    }
  }
});

test("purge: a version that moved since the chosen one, with other content, is not deleted unseen", () => {
  const moved = pw("new")(base);
  assert.equal(movedSinceBase({ kind: "item", item: base }, base), undefined);
  assert.equal(movedSinceBase({ kind: "item", item: moved }, base), moved);
  assert.equal(movedSinceBase({ kind: "item", item: v(base, 5) }, base), undefined, "a new counter with the same content");
  assert.equal(movedSinceBase({ kind: "tombstone", rev: 5 }, base), undefined);
  assert.equal(movedSinceBase(undefined, base), undefined);
});
