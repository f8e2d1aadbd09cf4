import assert from "node:assert/strict";
import { test } from "node:test";
import { toIndexEntry } from "../../formats/vault-index.ts";
import { createItem } from "../item.ts";
import { searchEntries } from "./deep-search.ts";

test("search with a limit: the same first entries as the whole ranked list (title order, ties in list order)", () => {
  const names = ["Item 10", "item 9", "Item 9", "Bank", "bank", "Ärzte", "Zoo", "Item 100", "Bank", "Mail"];
  const entries = Array.from({ length: 300 }, (_, i) =>
    toIndexEntry(
      createItem({
        type: "login",
        title: `${names[(i * 7) % names.length]}${i % 3 ? "" : ` ${i % 11}`}`,
        fields: { username: `u${i}@example.com` },
        favorite: i % 13 === 0,
      }),
    ),
  );
  for (const q of ["", "i", "item", "bank", "a", "u1", "zzz"])
    for (const limit of [0, 1, 5, 37, 100, 1000]) {
      const whole = searchEntries(entries, q).map((e) => e.id);
      assert.deepEqual(
        searchEntries(entries, q, {}, limit).map((e) => e.id),
        whole.slice(0, limit),
        `${q} / ${limit}`,
      );
    }
});
