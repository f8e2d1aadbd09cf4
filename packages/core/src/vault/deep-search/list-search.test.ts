// The list search against plain references: the score against search as it was written before the ASCII folding
// (every field lower-cased, then `includes` and a subsequence test), the order against a full sort, narrowing
// against a fresh search.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { type IndexEntry, toIndexEntry } from "../../formats/vault-index.ts";
import { createItem } from "../item.ts";
import { DeepIndex } from "./deep-index.ts";
import { matchesOperators, searchEntries, textScore } from "./deep-search.ts";
import { ListSearch, narrows } from "./list-search.ts";
import { parseSearchQuery, type SearchQuery } from "./search-query.ts";

/** Search's score as first written: lower-cased copies of every field, no prefilter. */
function referenceScore(e: IndexEntry, q: SearchQuery, deep?: string): number {
  const host = (u: string) => {
    const s = u.indexOf("://");
    return u.slice(s >= 0 ? s + 3 : 0).split(/[/?#]/)[0]!;
  };
  const title = e.title.toLowerCase();
  const others = [e.subtitle, ...e.urls.map(host), ...e.tags].map((x) => x.toLowerCase());
  const inOrder = (needle: string, hay: string) => {
    let i = 0;
    for (let j = 0; j < hay.length && i < needle.length; j++) if (hay.charCodeAt(j) === needle.charCodeAt(i)) i++;
    return i === needle.length;
  };
  let s = 1;
  for (const w of q.words) {
    const ws =
      title === w
        ? 100
        : title.startsWith(w)
          ? 60
          : title.includes(w)
            ? 40
            : others.some((o) => o.includes(w))
              ? 30
              : inOrder(w, title)
                ? 10
                : others.some((o) => inOrder(w, o))
                  ? 5
                  : deep?.includes(w)
                    ? 3
                    : 0;
    if (ws === 0) return 0;
    s += ws;
  }
  for (const p of q.phrases) {
    const ps = title.includes(p) ? 40 : others.some((o) => o.includes(p)) ? 30 : deep?.includes(p) ? 3 : 0;
    if (ps === 0) return 0;
    s += ps;
  }
  return s;
}

// Capitals, the letters whose lower case is not an ASCII fold (İ grows, Σ depends on its neighbours, the Kelvin
// sign becomes k), a letter outside the basic plane, and the characters that end a URL's host.
const text = fc.string({ unit: fc.constantFrom(..."abkKxAB019 .-_/?#:@ÅäİıßΣσς\u212a\u00e9", "𝒜"), maxLength: 14 });
/** A field as typed, or in capitals (the query is lower-cased, so capitals are where folding must work). */
const field = fc.oneof(
  text,
  text.map((t) => t.toUpperCase()),
);
const url = fc.oneof(
  field,
  field.map((t) => `https://${t}`),
);
const row = fc.record({
  title: field,
  user: field,
  urls: fc.array(url, { maxLength: 3 }),
  tags: fc.array(field, { maxLength: 2 }),
  favorite: fc.boolean(),
  type: fc.constantFrom("login", "secure-note"),
});
/** Query text: pieces of the rows' own fields (so that many queries match, in title or other fields, as
 * substrings or in-order subsequences), random letters, spaces, quotes and operators. */
const queryFrom = (rows: readonly Row[]) => {
  const fields = rows.flatMap((r) => [r.title, r.user, ...r.urls, ...r.tags]).filter((f) => f !== "");
  const noise = fc.oneof(
    fc.string({ unit: fc.constantFrom(..."abkKxAz019İσΣ\u212a."), minLength: 1, maxLength: 3 }),
    fc.constantFrom(" ", " ", '"', "type:lo", "is:fav", "tag:b"),
  );
  const piece =
    fields.length === 0
      ? noise
      : fc.oneof(
          fc
            .tuple(fc.constantFrom(...fields), fc.nat(), fc.nat(6))
            .map(([f, at, n]) => f.slice(at % f.length, (at % f.length) + n + 1))
            .chain((p) => fc.constantFrom(p, [...p].filter((_, i) => i % 2 === 0).join(""))),
          noise,
        );
  return fc.tuple(fc.array(piece, { minLength: 1, maxLength: 4 }), fc.constantFrom(" ", "")).map(([parts, between]) => parts.join(between));
};

type Row = { title: string; user: string; urls: string[]; tags: string[]; favorite: boolean; type: string };
const rowsAndQuery = (max: number) => fc.array(row, { maxLength: max }).chain((rows) => fc.tuple(fc.constant(rows), queryFrom(rows)));
const entryOf = (r: Row): IndexEntry => ({
  ...toIndexEntry(createItem({ type: r.type as "login", title: r.title, fields: { username: r.user } })),
  urls: r.urls,
  tags: r.tags,
  favorite: r.favorite,
});

test("the score reads ASCII text without copies, other text lower-cased: equal to lower-casing every field", () => {
  fc.assert(
    fc.property(
      row.chain((r) => fc.tuple(fc.constant(r), queryFrom([r]), fc.option(text))),
      ([r, query, deepText]) => {
        const e = entryOf(r);
        const q = parseSearchQuery(query);
        const deep = deepText === null ? undefined : deepText.toLowerCase();
        const ctx = deep === undefined ? {} : { deep: DeepIndex.fromDocs([[e.id, e.rev, deep]]) };
        assert.equal(textScore(e, q, ctx), referenceScore(e, q, deep), JSON.stringify({ r, query, deep }));
      },
    ),
    { numRuns: 5000 },
  );
});

test("one-character queries (every first keystroke), answered from the masks: equal to lower-casing every field", () => {
  const keys = [..."abcikxyzABKXZ0159.@-/ İσß\u212a"];
  fc.assert(
    fc.property(row, (r) => {
      const e = entryOf(r);
      for (const k of keys) {
        const q = parseSearchQuery(k);
        assert.equal(textScore(e, q, {}), referenceScore(e, q), JSON.stringify({ r, k }));
      }
    }),
    { numRuns: 2000 },
  );
});

test("list search: the order of a full sort (score, favourite, then list order), and searchEntries' order", () => {
  fc.assert(
    fc.property(rowsAndQuery(40), ([rows, query]) => {
      const entries = rows.map(entryOf);
      const q = parseSearchQuery(query);
      const full = entries
        .map((e, i) => ({ e, i, s: matchesOperators(e, q, {}) ? referenceScore(e, q) : 0 }))
        .filter((x) => x.s > 0)
        .sort((a, b) => b.s + (b.e.favorite ? 1 : 0) - (a.s + (a.e.favorite ? 1 : 0)) || a.i - b.i)
        .map((x) => x.e.id);
      const found = new ListSearch(entries).search(query);
      assert.deepEqual(
        found.ranked.map((e) => e.id),
        full,
      );
      assert.deepEqual(
        searchEntries(entries, query, {}, Infinity, { titleOrdered: true }).map((e) => e.id),
        full,
      );
      assert.deepEqual(
        [...found.positions],
        [...found.positions].sort((a, b) => a - b),
      );
    }),
    { numRuns: 3000 },
  );
});

test("narrows: when it says a query narrows another, every match of the new one matched the old", () => {
  let narrowing = 0;
  fc.assert(
    fc.property(
      rowsAndQuery(20),
      fc.array(fc.tuple(fc.nat(), fc.string({ unit: fc.constantFrom(...'abkK0 İσ".'), minLength: 1, maxLength: 3 })), {
        minLength: 1,
        maxLength: 3,
      }),
      ([rows, before], inserts) => {
        let after = before;
        for (const [at, s] of inserts) {
          const i = at % (after.length + 1);
          after = after.slice(0, i) + s + after.slice(i);
        }
        const [a, b] = [parseSearchQuery(before), parseSearchQuery(after)];
        if (!narrows(a, b)) return;
        narrowing++;
        for (const e of rows.map(entryOf))
          if (matchesOperators(e, b, {}) && referenceScore(e, b) > 0)
            assert.ok(matchesOperators(e, a, {}) && referenceScore(e, a) > 0, JSON.stringify({ e, before, after }));
      },
    ),
    { numRuns: 3000 },
  );
  assert.ok(narrowing > 500, `only ${narrowing} narrowing pairs were tried`);
});

test("narrows: typing on narrows; a phrase that turns into a word, or a changed operator, does not", () => {
  const n = (a: string, b: string) => narrows(parseSearchQuery(a), parseSearchQuery(b));
  assert.ok(n("ban", "bank"));
  assert.ok(n("bank", "bank j"));
  assert.ok(n("ank", "bank"), "a word that gains letters in front");
  assert.ok(n("mail", '"gmail com"'), "a word inside a phrase");
  assert.ok(n('"mail c', '"mail co"'));
  assert.ok(n("type:login ba", "type:login bank"));
  assert.ok(!n('"ab', '""ab'), "a phrase is a substring, a word may be a subsequence: the word can match where the phrase did not");
  assert.ok(!n("bank", "ban"));
  assert.ok(!n("bank", "ba nk"));
  assert.ok(!n("ba", "type:login ba"), "operators must be the same");
  assert.ok(!n("is:fav ba", "ba"));
});

test("list search keystroke by keystroke: searching the last matches gives what a fresh search gives", () => {
  fc.assert(
    fc.property(rowsAndQuery(40), ([rows, typed]) => {
      const entries = rows.map(entryOf);
      const list = new ListSearch(entries);
      let last: ReturnType<ListSearch["search"]> | undefined;
      for (let i = 1; i <= typed.length; i++) {
        last = list.search(typed.slice(0, i), last);
        assert.deepEqual(
          last.ranked.map((e) => e.id),
          new ListSearch(entries).search(typed.slice(0, i)).ranked.map((e) => e.id),
          typed.slice(0, i),
        );
      }
    }),
    { numRuns: 1000 },
  );
});

test("list search: entries left unprepared when idle time ran out are prepared by the search, same results", () => {
  const words = ["Bank", "mail", "Jazz", "home", "Zürich", "ΟΔΟΣ"];
  const entries = Array.from({ length: 1000 }, (_, i) =>
    toIndexEntry(
      createItem({
        type: "login",
        title: `${words[i % 6]} ${words[(i * 5) % 6]} ${i}`,
        fields: { username: `user${i}`, url: `https://${words[i % 4]}${i}.example.test/x` },
        favorite: i % 9 === 0,
      }),
    ),
  );
  const partly = new ListSearch(entries);
  assert.equal(
    partly.prepare(() => false),
    false,
    "one slice of 256 prepared, then stopped",
  );
  assert.equal(partly.ready, false);
  for (const query of ["b", "bank", "ζ", "οδος", "zurich", "zürich", "jazz 1", "home99", "9"]) {
    const want = entries
      .map((e, i) => ({ e, i, s: referenceScore(e, parseSearchQuery(query)) }))
      .filter((x) => x.s > 0)
      .sort((a, b) => b.s + (b.e.favorite ? 1 : 0) - (a.s + (a.e.favorite ? 1 : 0)) || a.i - b.i)
      .map((x) => x.e.id);
    assert.ok(query === "ζ" || query === "zurich" || want.length > 0, query);
    assert.deepEqual(
      partly.search(query).ranked.map((e) => e.id),
      want,
      query,
    );
    assert.equal(partly.ready, true);
  }
});

test("list search with deep text: entries whose list text lacks the query's letters are still found by it", () => {
  const a = toIndexEntry(createItem({ type: "secure-note", title: "Router" }));
  const b = toIndexEntry(createItem({ type: "secure-note", title: "Printer" }));
  const deep = DeepIndex.fromDocs([[b.id, b.rev, "wifi password on the router sticker"]]);
  const list = new ListSearch([a, b]);
  assert.deepEqual(
    list.search("sticker", undefined, { deep }).ranked.map((e) => e.title),
    ["Printer"],
  );
  assert.deepEqual(
    list.search("router", undefined, { deep }).ranked.map((e) => e.title),
    ["Router", "Printer"],
  );
  assert.deepEqual(list.search("sticker").ranked, []);
});
