// The folding tests answer, over any range of ASCII text, what the plain tests answer on its lower-cased copy.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { foldIncludes, foldStartsWith, foldSubsequence } from "./fold-match.ts";

const inOrder = (needle: string, hay: string) => {
  let i = 0;
  for (let j = 0; j < hay.length && i < needle.length; j++) if (hay.charCodeAt(j) === needle.charCodeAt(i)) i++;
  return i === needle.length;
};

test("fold tests over a range of ASCII text equal the plain tests on the lower-cased range", () => {
  const hay = fc.string({ unit: fc.constantFrom(..."abcABC@[`{09 ./"), maxLength: 16 });
  fc.assert(
    fc.property(hay, fc.nat(), fc.nat(), fc.nat(), fc.nat(5), (h, a, b, at, n) => {
      const [from, to] = [a % (h.length + 1), b % (h.length + 1)].sort((x, y) => x - y) as [number, number];
      const lower = h.slice(from, to).toLowerCase();
      // needles: a piece of the range, every other character of it (a subsequence), or a piece of the whole text
      const piece = lower.slice(at % (lower.length + 1), (at % (lower.length + 1)) + n);
      const needles = [
        piece,
        [...piece].filter((_, i) => i % 2 === 0).join(""),
        h
          .toLowerCase()
          .slice(at % (h.length + 1))
          .slice(0, n),
      ];
      for (const w of needles) {
        const why = JSON.stringify({ h, from, to, w });
        assert.equal(foldStartsWith(h, from, to, w), lower.startsWith(w), why);
        assert.equal(foldIncludes(h, from, to, w), lower.includes(w), why);
        assert.equal(foldSubsequence(w, h, from, to), inOrder(w, lower), why);
      }
    }),
    { numRuns: 5000 },
  );
});
