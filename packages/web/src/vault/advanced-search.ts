// The search box with core's operators (type: tag: folder: url: is:favorite is:weak "phrase") and, when deep
// search is on, notes and custom fields. Plain words without deep search keep the per-keystroke fast path
// of filters.ts; anything else goes through core's one parser and matcher.
import type { IndexEntry } from "@cryptex/core/formats/vault-index.ts";
import { type SearchContext, searchEntries } from "@cryptex/core/vault/deep-search/deep-search.ts";
import { parseSearchQuery } from "@cryptex/core/vault/deep-search/search-query.ts";
import { type Filter, visibleEntries } from "./filters.ts";

export const usesAdvancedSearch = (query: string, deepOn: boolean): boolean => query.trim() !== "" && (deepOn || /[":]/.test(query));

/** True when the query asks is:weak (the page must have a health report for it). */
export const asksWeak = (query: string): boolean => parseSearchQuery(query).weak;

let base: { version: number; filter: Filter; list: IndexEntry[] } | undefined;

/** `version` names the state of `entries`: the filtered, title-sorted list is made once per version and filter. */
export function advancedSearch(
  entries: Iterable<IndexEntry>,
  filter: Filter,
  query: string,
  ctx: SearchContext,
  version: number,
): IndexEntry[] {
  if (!base || base.version !== version || base.filter !== filter) base = { version, filter, list: visibleEntries(entries, filter, "") };
  return searchEntries(base.list, query, ctx, Infinity, { titleOrdered: true });
}
