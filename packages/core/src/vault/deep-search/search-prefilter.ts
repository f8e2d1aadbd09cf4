// A first sieve for a search over an index that is not built yet: an entry can match the free text only if
// every word and phrase is, at least, an in-order subsequence of one of its list strings (the weakest way
// searchEntries accepts a word), so rows failing it need no objects. searchEntries then ranks the rest.
import type { RowTextTest } from "../../formats/index-codec.ts";
import { foldSubsequence } from "./fold-match.ts";
import type { SearchQuery } from "./search-query.ts";

/** The sieve for `q`, or undefined when it has no free text (or searches deep text the index does not hold). */
export function searchPrefilter(q: SearchQuery, opts: { deep?: boolean } = {}): RowTextTest | undefined {
  const needles = [...q.words, ...q.phrases];
  if (needles.length === 0 || opts.deep) return undefined;
  return (lower, at, n) => {
    for (const w of needles) {
      let found = false;
      for (let k = 0; k < n && !found; k++) found = foldSubsequence(w, lower, at[k]!, at[k + 1]!);
      if (!found) return false;
    }
    return true;
  };
}
