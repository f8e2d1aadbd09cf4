// Search over index entries for callers that have only a query string: the same parser and scorer as every
// other search (deep-search/deep-search.ts: operators, quoted phrases, words matched as substrings or in-order
// subsequences, title first), without the deep index or the health report's weak set.

import type { IndexEntry } from "../formats/vault-index.ts";
import { searchEntries } from "./deep-search/deep-search.ts";

export { hostOf } from "./url-host.ts";

export function searchIndex(entries: Iterable<IndexEntry>, query: string, limit = 100): IndexEntry[] {
  return searchEntries(entries, query, {}, limit);
}
