// The search box with core's operators (type: tag: folder: url: is:favorite is:weak "phrase") and, when deep
// search is on, notes and custom fields. Plain words without deep search keep the narrowing search of
// filters.ts; anything else searches the whole list each keystroke, with the same core ListSearch.
import type { IndexEntry } from "@cryptex/core/formats/vault-index.ts";
import type { SearchContext } from "@cryptex/core/vault/deep-search/deep-search.ts";
import { ListSearch } from "@cryptex/core/vault/deep-search/list-search.ts";
import { parseSearchQuery } from "@cryptex/core/vault/deep-search/search-query.ts";
import { type Filter, visibleEntries } from "./filters.ts";

export const usesAdvancedSearch = (query: string, deepOn: boolean): boolean => query.trim() !== "" && (deepOn || /[":]/.test(query));

/** True when the query asks is:weak (the page must have a health report for it). */
export const asksWeak = (query: string): boolean => parseSearchQuery(query).weak;

let base: { version: number; filter: Filter; search: ListSearch } | undefined;

/** `version` names the state of `entries`: the filtered, title-sorted list is made once per version and filter. */
export function advancedSearch(
  entries: Iterable<IndexEntry>,
  filter: Filter,
  query: string,
  ctx: SearchContext,
  version: number,
): IndexEntry[] {
  if (!base || base.version !== version || base.filter !== filter)
    base = { version, filter, search: new ListSearch(visibleEntries(entries, filter, "")) };
  return base.search.search(query, undefined, ctx).ranked;
}
