import assert from "node:assert/strict";
import { test } from "node:test";
import { compareTitles, sortByTitle } from "./compare-titles.ts";

test("titles sort case-insensitively and numbers by value", () => {
  const titles = ["Visa", "amazon", "943", "95", "Item 10", "item 9", "Zeta", "bank"];
  assert.deepEqual([...titles].sort(compareTitles), ["95", "943", "amazon", "bank", "item 9", "Item 10", "Visa", "Zeta"]);
});

test("the order is total: strings equal but for case keep a stable order", () => {
  assert.ok(compareTitles("github", "GitHub") !== 0);
  assert.equal(Math.sign(compareTitles("github", "GitHub")), -Math.sign(compareTitles("GitHub", "github")));
});

test("sortByTitle sorts entries by their title", () => {
  const list = [{ title: "b2" }, { title: "B10" }, { title: "a" }];
  assert.deepEqual(
    sortByTitle(list).map((x) => x.title),
    ["a", "b2", "B10"],
  );
});
