import assert from "node:assert/strict";
import { test } from "node:test";
import { isEmptyQuery, parseSearchQuery, type SearchQuery } from "./search-query.ts";

const none: SearchQuery = { words: [], phrases: [], types: [], tags: [], folders: [], urls: [], favorite: false, weak: false };

const table: [string, Partial<SearchQuery>][] = [
  ["", {}],
  ["   ", {}],
  ["GitHub", { words: ["github"] }],
  ["bank  card", { words: ["bank", "card"] }],
  ['"recovery codes"', { phrases: ["recovery codes"] }],
  ['"Recovery   Codes" backup', { phrases: ["recovery codes"], words: ["backup"] }],
  ['"unterminated phrase', { phrases: ["unterminated phrase"] }],
  ["type:login", { types: ["login"] }],
  ["TYPE:Credit", { types: ["credit"] }],
  ["tag:work tag:#urgent", { tags: ["work", "urgent"] }],
  ['tag:"road trip" car', { tags: ["road trip"], words: ["car"] }],
  ["folder:Finance/Banks/", { folders: ["finance/banks"] }],
  ["url:example.com", { urls: ["example.com"] }],
  ["is:favorite", { favorite: true }],
  ["is:favourite", { favorite: true }],
  ["is:weak", { weak: true }],
  ["is:nonsense", { words: ["is:nonsense"] }],
  ["foo:bar", { words: ["foo:bar"] }],
  ["tag:", {}],
  ['type: ""', {}],
  ['is:weak type:login "pin code" mail', { weak: true, types: ["login"], phrases: ["pin code"], words: ["mail"] }],
];

for (const [input, want] of table) {
  test(`parseSearchQuery(${JSON.stringify(input)})`, () => {
    assert.deepEqual(parseSearchQuery(input), { ...none, ...want });
  });
}

test("isEmptyQuery is true only when nothing is asked", () => {
  assert.equal(isEmptyQuery(parseSearchQuery("tag:")), true);
  assert.equal(isEmptyQuery(parseSearchQuery("is:weak")), false);
  assert.equal(isEmptyQuery(parseSearchQuery("x")), false);
});

test("a huge query is bounded", () => {
  const q = parseSearchQuery("a ".repeat(100_000));
  assert.ok(q.words.length <= 512);
});
