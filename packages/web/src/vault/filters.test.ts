// The list filters and the narrowing search give exactly what a full search gives, keystroke by keystroke.
import assert from "node:assert/strict";
import { test } from "node:test";
import { toIndexEntry } from "@cryptex/core/formats/vault-index.ts";
import { createItem } from "@cryptex/core/vault/item.ts";
import { createNarrowingSearch, type Filter, matchesFilter, visibleEntries } from "./filters.ts";

const WORDS = ["bank", "mail", "jazz", "home", "work", "shop", "cloud"];
const entries = Array.from({ length: 600 }, (_, i) =>
  toIndexEntry({
    ...createItem({
      type: i % 3 === 0 ? "credit-card" : "login",
      title: `${WORDS[i % 7]} ${WORDS[(i * 3) % 7]} ${i}`,
      fields: { username: `user${i}` },
      tags: [WORDS[i % 4]!],
      favorite: i % 10 === 0,
    }),
    trashedAt: i % 25 === 0 ? 1 : null,
  }),
);

test("filters: trash only in the trash view; favourites, types and tags exclude trashed items", () => {
  const pick = (f: Filter) => entries.filter((e) => matchesFilter(e, f));
  assert.equal(pick({ kind: "trash" }).length, 24);
  assert.equal(pick({ kind: "all" }).length, 576);
  // counts worked out from the generator above: each filter must find exactly its items, not merely no wrong ones
  const favorites = pick({ kind: "favorites" });
  assert.equal(favorites.length, 48); // i % 10 = 0, less i % 50 = 0 in the trash
  assert.ok(favorites.every((e) => e.favorite && !e.trashed));
  const cards = pick({ kind: "type", type: "credit-card" });
  assert.equal(cards.length, 192); // i % 3 = 0, less i % 75 = 0
  assert.ok(cards.every((e) => e.type === "credit-card" && !e.trashed));
  const jazz = pick({ kind: "tag", tag: "jazz" });
  assert.equal(jazz.length, 144); // i % 4 = 2, less i % 100 = 50
  assert.ok(jazz.every((e) => e.tags.includes("jazz") && !e.trashed));
});

test("narrowing search equals a full search at every keystroke, and restarts when the query shrinks", () => {
  const search = createNarrowingSearch();
  const filter: Filter = { kind: "all" };
  const typed = "bank jazz 1";
  const ids = (xs: { id: string }[]) => xs.map((x) => x.id);
  for (let i = 1; i <= typed.length; i++) {
    const q = typed.slice(0, i);
    assert.deepEqual(ids(search(entries, filter, q, 1)), ids(visibleEntries(entries, filter, q)), `query "${q}"`);
  }
  assert.deepEqual(ids(search(entries, filter, "bank", 1)), ids(visibleEntries(entries, filter, "bank")));
  assert.ok(search(entries, filter, "bank j", 1).length > 0);
  assert.equal(search(entries, filter, "zzzz", 1).length, 0);
  assert.equal(search(entries, filter, "", 1).length, 576);
});

test("the list sorts by core's collation: case-insensitive, numbers by value", () => {
  const titled = ["Visa", "amazon", "943", "95", "Bank 10", "bank 9"].map((title) => toIndexEntry(createItem({ type: "login", title })));
  assert.deepEqual(
    visibleEntries(titled, { kind: "all" }, "").map((e) => e.title),
    ["95", "943", "amazon", "bank 9", "Bank 10", "Visa"],
  );
});
