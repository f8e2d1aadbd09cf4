import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { toIndexEntry } from "../../formats/vault-index.ts";
import { createItem } from "../item.ts";
import { DeepIndex } from "./deep-index.ts";
import { searchEntries, textScore } from "./deep-search.ts";
import { parseSearchQuery } from "./search-query.ts";

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

test("the letter-and-digit prefilter never rules out a match: scores equal those computed without it", () => {
  // An entry with deep text is never prefiltered (that text may hold the letters); an empty text matches no
  // word or phrase, so with it the score is the unfiltered one.
  const text = fc.string({ unit: fc.constantFrom(..."abkKxyz019 .-_/@Åäİß\u212a\u00e9"), maxLength: 14 });
  fc.assert(
    fc.property(
      fc.array(fc.record({ title: text, user: text, url: text, tag: text }), { minLength: 1, maxLength: 8 }),
      fc.string({ unit: fc.constantFrom(...'abkKxz019 "İ\u212a'), maxLength: 8 }),
      (rows, query) => {
        const q = parseSearchQuery(query);
        for (const r of rows) {
          const e = toIndexEntry(
            createItem({
              type: "login",
              title: r.title || "t",
              fields: { username: r.user, url: r.url },
              tags: r.tag.trim() ? [r.tag] : [],
            }),
          );
          const unfiltered = { deep: DeepIndex.fromDocs([[e.id, e.rev, ""]]) };
          assert.equal(textScore(e, q, {}), textScore(e, q, unfiltered), `${JSON.stringify(r)} / ${JSON.stringify(query)}`);
        }
      },
    ),
    { numRuns: 2000 },
  );
});
