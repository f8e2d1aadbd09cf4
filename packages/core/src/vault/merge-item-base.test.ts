// Sync's merge of two concurrent versions (a pulled one and a local edit), with the base found in their
// histories: table cases, then a fast-check property over random edits on two devices (nothing either side
// saved is lost; merge(a, b) is merge(b, a)).
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { newAttachment } from "../attachments/attachment.ts";
import { keepBoth } from "../sync/merge-path.ts";
import { addAttachment, createItem, editItem, fieldValue, type Item, type ItemChanges, restoreItem, trashItem } from "./item.ts";
import { snapshotOf, versionId, withVersionOf } from "./item-versions.ts";
import { sameContent } from "./merge-item.ts";
import { commonBase, mergeConcurrent } from "./merge-item-base.ts";

/** A save on a device, as Vault.save makes it: the edit, with the version it was made from among its versions. */
const save = (from: Item, change: (it: Item) => Item, device: string): Item => ({ ...withVersionOf(change(from), from), savedBy: device });
const edit = (changes: ItemChanges, at: number) => (it: Item) => editItem(it, changes, at);

const created: Item = {
  ...createItem({ type: "login", title: "Mail", fields: { username: "alice", password: "first-pw" }, tags: ["work"], notes: "n0" }, 500),
  savedBy: "laptop",
};
// the version both devices start from, itself saved once after the item was made
const base = save(created, edit({ fields: { password: "base-pw" } }, 1000), "laptop");
const ids = (it: Item) => new Set((it.versions ?? []).map(versionId));

interface Row {
  readonly name: string;
  readonly a: () => Item;
  readonly b: () => Item;
  /** undefined: no merge (the caller keeps both, as before) */
  readonly expect: ((m: Item, a: Item, b: Item) => void) | undefined;
}

const rows: Row[] = [
  {
    name: "A changed the password, B added a tag: one item with both",
    a: () => save(base, edit({ fields: { password: "from-A" } }, 2000), "A"),
    b: () => save(base, edit({ tags: ["work", "bank"] }, 2100), "B"),
    expect: (m, a, b) => {
      assert.equal(fieldValue(m, "password"), "from-A");
      assert.deepEqual([...m.tags].sort(), ["bank", "work"]);
      assert.ok(m.rev > a.rev && m.rev > b.rev, "above both");
      assert.equal(m.updatedAt, 2100, "the newer side's time, not a clock of the merging device");
      for (const v of [base, a, b]) assert.ok(ids(m).has(versionId(snapshotOf(v))), "both lines' versions and the base are in the history");
      assert.ok(
        m.history.some((h) => h.value === "base-pw"),
        "the replaced password is in the password history",
      );
    },
  },
  {
    name: "notes on one side, the password on the other",
    a: () => save(base, edit({ notes: "n-A" }, 2000), "A"),
    b: () => save(base, edit({ fields: { password: "from-B" } }, 2000), "B"),
    expect: (m) => assert.deepEqual([m.notes, fieldValue(m, "password")], ["n-A", "from-B"]),
  },
  {
    name: "a folder move on one side, a title on the other",
    a: () => save(base, edit({ folder: "Work/Mail" }, 2000), "A"),
    b: () => save(base, edit({ title: "Webmail" }, 2000), "B"),
    expect: (m) => assert.deepEqual([m.folder, m.title], ["Work/Mail", "Webmail"]),
  },
  {
    name: "trashed on one side, edited on the other: the edit is kept, in the trash",
    a: () => save(base, (it) => trashItem(it, 2000), "A"),
    b: () => save(base, edit({ fields: { username: "bob" } }, 2000), "B"),
    expect: (m) => assert.deepEqual([m.trashedAt, fieldValue(m, "username")], [2000, "bob"]),
  },
  {
    // an attachment-only edit adds no version (versions hold what a person edits): its content still names the base
    name: "an attachment added on one side, the password on the other",
    a: () => save(base, (it) => addAttachment(it, newAttachment("scan.pdf", 10, "application/pdf", 2000), 2000), "A"),
    b: () => save(base, edit({ fields: { password: "from-B" } }, 2000), "B"),
    expect: (m) => assert.deepEqual([m.attachments?.map((x) => x.name), fieldValue(m, "password")], [["scan.pdf"], "from-B"]),
  },
  {
    name: "the same field to the same value",
    a: () => save(base, edit({ fields: { password: "same" } }, 2000), "A"),
    b: () => save(base, edit({ fields: { password: "same" } }, 2200), "B"),
    expect: (m) => assert.equal(fieldValue(m, "password"), "same"),
  },
  {
    name: "the same field to other values: no merge",
    a: () => save(base, edit({ fields: { password: "from-A" } }, 2000), "A"),
    b: () => save(base, edit({ fields: { password: "from-B" } }, 2000), "B"),
    expect: undefined,
  },
  {
    name: "one side is made from the other (a push whose answer was lost): the newer content, no copy",
    a: () => save(base, edit({ fields: { password: "from-A" } }, 2000), "A"),
    b: () => save(save(base, edit({ fields: { password: "from-A" } }, 2000), "A"), edit({ notes: "n-B" }, 3000), "B"),
    expect: (m) => assert.deepEqual([fieldValue(m, "password"), m.notes], ["from-A", "n-B"]),
  },
  {
    name: "old items without versions: no common base, no merge",
    a: () => ({ ...edit({ fields: { password: "from-A" } }, 2000)(base), versions: undefined }),
    b: () => ({ ...edit({ tags: ["x"] }, 2000)(base), versions: undefined }),
    expect: undefined,
  },
  {
    name: "histories trimmed past the base: no merge",
    a: () => ({ ...save(base, edit({ fields: { password: "from-A" } }, 2000), "A"), versions: [] }),
    b: () => save(base, edit({ tags: ["x"] }, 2000), "B"),
    expect: undefined,
  },
  {
    name: "the type changed on one side: no merge",
    a: () => ({ ...save(base, edit({ notes: "n-A" }, 2000), "A"), type: "secure-note" }),
    b: () => save(base, edit({ tags: ["x"] }, 2000), "B"),
    expect: undefined,
  },
];

for (const r of rows) {
  test(`mergeConcurrent: ${r.name}`, () => {
    const a = r.a();
    const b = r.b();
    const m = mergeConcurrent(a, b);
    assert.deepEqual(mergeConcurrent(b, a), m, "the same result whichever side merges");
    if (!r.expect) {
      assert.equal(m, undefined);
      return;
    }
    assert.ok(m, "merged");
    assert.equal(m.id, base.id);
    r.expect(m, a, b);
  });
}

test("commonBase: the newest version both lines hold, found after a merge too", () => {
  const a1 = save(base, edit({ fields: { password: "a1" } }, 2000), "A");
  const b1 = save(base, edit({ tags: ["b1"] }, 2000), "B");
  assert.equal(commonBase(a1, b1)?.rev, base.rev);
  assert.equal(
    commonBase(a1, { ...b1, versions: b1.versions?.slice(1) })?.rev,
    created.rev,
    "the base trimmed on one side: the one before",
  );
  const m = mergeConcurrent(a1, b1)!;
  // A and B each edit the merged item again, other fields: the base is now the merged version
  const a2 = save(m, edit({ notes: "a2" }, 4000), "A");
  const b2 = save(m, edit({ title: "b2" }, 4100), "B");
  assert.equal(commonBase(a2, b2)?.rev, m.rev);
  const m2 = mergeConcurrent(a2, b2)!;
  assert.deepEqual([fieldValue(m2, "password"), m2.tags, m2.notes, m2.title], ["a1", ["b1"], "a2", "b2"]);
  // a device still on a1 (never saw the merge) meets b2: their common version is the original base
  assert.equal(commonBase(a1, b2)?.rev, a1.rev, "b2's history holds a1 itself (it came through the merge)");
});

test("two devices that merge the same pair store the same item, so neither has anything new to send the other", () => {
  const a = save(base, edit({ fields: { password: "from-A" } }, 2000), "A");
  const b = save(base, edit({ notes: "n-B" }, 2000), "B");
  const onA = mergeConcurrent(a, b)!;
  const onB = mergeConcurrent(b, a)!;
  assert.deepEqual(onA, onB);
  // each then meets the other's merge (both pushed): the same version on both sides, merged to itself
  const again = mergeConcurrent(onA, onB)!;
  assert.ok(sameContent(again, onA));
  assert.equal(commonBase(onA, onB)?.rev, onA.rev);
});

// ---- property: any two edits of one base, on two devices ----

const value = fc.constantFrom("a", "b", "c");
const changes = fc.record(
  {
    title: value,
    notes: value,
    favorite: fc.boolean(),
    folder: fc.constantFrom("", "Work", "Home"),
    tags: fc.subarray(["work", "bank", "home"]),
    username: value,
    password: value,
    pin: fc.option(value, { nil: null }),
    trash: fc.boolean(),
  },
  { requiredKeys: [] },
);
type Changes = typeof changes extends fc.Arbitrary<infer T> ? T : never;

function apply(it: Item, c: Changes, at: number): Item {
  const { trash, username, password, pin, ...rest } = c;
  const fields = Object.fromEntries(
    Object.entries({ username, password, pin }).filter(([, v]) => v !== undefined) as [string, string | null][],
  );
  const out = editItem(it, { ...rest, fields }, at);
  return trash === undefined ? out : trash ? trashItem(out, at) : restoreItem(out, at);
}

/** What a person sees of a version, slot by slot, to check no value is lost. */
const slots = (it: Pick<Item, "title" | "notes" | "favorite" | "tags" | "folder" | "fields"> & { trashed: boolean }) => [
  `title=${it.title}`,
  `notes=${it.notes}`,
  `favorite=${it.favorite}`,
  `folder=${it.folder ?? ""}`,
  `tags=${[...it.tags].sort().join(",")}`,
  `trash=${it.trashed}`,
  ...["username", "password", "pin"].map((n) => `${n}=${it.fields.find((f) => f.name === n)?.value ?? "-"}`),
];
const itemSlots = (it: Item) => slots({ ...it, trashed: it.trashedAt !== null });

test("merge property: nothing either side saved is lost, and merge(a, b) == merge(b, a)", () => {
  fc.assert(
    fc.property(changes, changes, fc.integer({ min: 0, max: 2000 }), (ca, cb, skew) => {
      const a = save(base, (it) => apply(it, ca, 2000), "A");
      const b = save(base, (it) => apply(it, cb, 2000 + skew), "B");
      const m = mergeConcurrent(a, b);
      assert.deepEqual(mergeConcurrent(b, a), m);
      const baseSlots = itemSlots(base);
      if (!m) {
        // the fallback keeps both whole: one keeps the id, the other is the copy
        const { winner, copy } = keepBoth(a, b, 5000, { theirHistory: false });
        assert.ok(sameContent(winner, a));
        assert.deepEqual(itemSlots(copy).slice(1), itemSlots(b).slice(1));
        const changedBoth = itemSlots(a).some((s, i) => s !== baseSlots[i] && itemSlots(b)[i] !== baseSlots[i] && itemSlots(b)[i] !== s);
        assert.ok(changedBoth, "no merge only when both sides changed one slot differently");
        return;
      }
      const got = itemSlots(m);
      for (const side of [a, b]) {
        const mine = itemSlots(side);
        // a slot this side changed holds its value (the other side left it alone or agreed)
        for (const [i, s] of mine.entries()) if (s !== baseSlots[i]) assert.equal(got[i], s, `${side.savedBy}'s ${s}`);
        // and the whole version stays readable in the merged item's history
        assert.ok(
          (m.versions ?? []).some((v) => versionId(v) === versionId(snapshotOf(side))) || sameContent(m, side),
          "each side's version is in the history",
        );
      }
    }),
    { numRuns: 1000 },
  );
});
