import assert from "node:assert/strict";
import { test } from "node:test";
import { freshAccountKeys } from "../../formats/test-keys.ts";
import { type IndexSegment, toIndexEntry, VaultIndex } from "../../formats/vault-index.ts";
import { createItem } from "../item.ts";
import { searchEntries } from "./deep-search.ts";
import { searchPrefilter } from "./search-prefilter.ts";
import { parseSearchQuery } from "./search-query.ts";

const titles = ["GitHub", "Gitlab work", "Bänk of Zürich", "ΟΔΟΣ ΣΟΦΙΑΣ", "straße", "Mail", "mail archive", "Router 99", "Site 919"];
const make = (title: string, i: number) =>
  createItem({
    type: "login",
    title,
    fields: { username: `user${i}@example.com`, url: `https://host${i}.example.org/path?q=${i}` },
    tags: i % 2 ? ["work"] : ["home"],
  });

type Variant = "ASCII only" | "accents" | "accents and a capital sigma";
const isAscii = (t: string) => [...t].every((c) => c.charCodeAt(0) < 128);

async function openedWithDeltas(variant: Variant) {
  const keys = await freshAccountKeys();
  const all = titles.filter((t) => (variant === "ASCII only" ? isAscii(t) : variant === "accents" ? !t.includes("Σ") : true)).map(make);
  const idx = VaultIndex.empty();
  for (const it of all) idx.entries.set(it.id, toIndexEntry(it));
  const log: IndexSegment[] = [await idx.snapshot(keys)];
  const renamed = { ...all[0]!, title: "Codeberg", rev: 2 };
  log.push(await idx.change(keys, [toIndexEntry(renamed), toIndexEntry(make("New Bank", 40))], [all[5]!.id]));
  return { keys, log, expected: [...idx.entries.values()] };
}

const queries = [
  "git",
  "github",
  "codeberg",
  "bänk",
  "zürich",
  "σοφ",
  "οδος",
  "σοφιας",
  "strasse",
  "straße",
  "mail",
  "host3",
  "99",
  "s919",
  '"mail arch"',
  "work",
  "gh",
  "zzz",
  "new",
  "type:login git",
];

for (const variant of ["ASCII only", "accents", "accents and a capital sigma"] as const)
  test(`search sieve: same results as searching every entry, snapshot + delta (${variant})`, async () => {
    const { keys, log, expected } = await openedWithDeltas(variant);
    for (const text of queries) {
      const q = parseSearchQuery(text);
      const sieve = searchPrefilter(q);
      assert.ok(sieve, text);
      const candidates = (await VaultIndex.open(keys, log)).entriesWhere(sieve);
      const want = searchEntries(expected, q).map((e) => e.title);
      assert.deepEqual(
        searchEntries(candidates, q).map((e) => e.title),
        want,
        text,
      );
      if (variant !== "accents and a capital sigma" && text === "zzz") assert.equal(candidates.length, 0);
    }
  });

test("search sieve: leaves most rows unbuilt, and is off for deep search and operator-only queries", async () => {
  const { keys, log } = await openedWithDeltas("accents");
  const some = (await VaultIndex.open(keys, log)).entriesWhere(searchPrefilter(parseSearchQuery("zürich"))!);
  assert.deepEqual(
    some.map((e) => e.title),
    ["Bänk of Zürich"],
  );
  const ascii = await openedWithDeltas("ASCII only");
  assert.deepEqual(
    (await VaultIndex.open(ascii.keys, ascii.log)).entriesWhere(searchPrefilter(parseSearchQuery("ROUTER"))!).map((e) => e.title),
    ["Router 99"],
  );
  assert.equal(searchPrefilter(parseSearchQuery("git"), { deep: true }), undefined);
  assert.equal(searchPrefilter(parseSearchQuery("tag:work is:favorite")), undefined);
});
