// List filters and search as you type over the in-memory index (search needs no decryption). The query
// language and the scores are core's (parseSearchQuery, textScore); this adds what a keystroke a frame
// needs: ties keep the list's title order (no sort per keystroke), typing that extends the query searches
// only the last matches, and entries' search text is prepared when the page is idle.
import type { IndexEntry } from "@cryptex/core/formats/vault-index.ts";
import { compareTitles } from "@cryptex/core/vault/compare-titles.ts";
import { prepareEntryText, type SearchContext, textScore } from "@cryptex/core/vault/deep-search/deep-search.ts";
import { parseSearchQuery } from "@cryptex/core/vault/deep-search/search-query.ts";
import { isInFolder } from "@cryptex/core/vault/folders.ts";

export type Filter =
  | { kind: "all" }
  | { kind: "favorites" }
  | { kind: "trash" }
  | { kind: "type"; type: string }
  | { kind: "tag"; tag: string }
  | { kind: "folder"; folder: string };

export function matchesFilter(e: IndexEntry, f: Filter): boolean {
  switch (f.kind) {
    case "all":
      return !e.trashed;
    case "favorites":
      return e.favorite && !e.trashed;
    case "trash":
      return e.trashed;
    case "type":
      return e.type === f.type && !e.trashed;
    case "tag":
      return e.tags.includes(f.tag) && !e.trashed;
    case "folder":
      return isInFolder(e.folder, f.folder) && !e.trashed;
  }
}

const byTitle = (a: IndexEntry, b: IndexEntry) => compareTitles(a.title, b.title);
const NO_CONTEXT: SearchContext = {};

/** Matches of `query` among `list` (in list order) and the same ranked: best score first, ties in list order. */
function searchList(list: readonly IndexEntry[], query: string): { matched: IndexEntry[]; ranked: IndexEntry[] } {
  const q = parseSearchQuery(query);
  const matched: IndexEntry[] = [];
  const scores: number[] = [];
  for (const e of list) {
    const s = textScore(e, q, NO_CONTEXT);
    if (s > 0) {
      matched.push(e);
      scores.push(s + (e.favorite ? 1 : 0));
    }
  }
  // Scores are a few distinct small numbers: bucket them instead of sorting.
  const buckets = new Map<number, IndexEntry[]>();
  for (let i = 0; i < matched.length; i++) {
    const b = buckets.get(scores[i]!);
    if (b) b.push(matched[i]!);
    else buckets.set(scores[i]!, [matched[i]!]);
  }
  const ranked: IndexEntry[] = [];
  for (const s of [...buckets.keys()].sort((a, b) => b - a)) for (const e of buckets.get(s)!) ranked.push(e);
  return { matched, ranked };
}

function filteredByTitle(entries: Iterable<IndexEntry>, filter: Filter): IndexEntry[] {
  const filtered: IndexEntry[] = [];
  for (const e of entries) if (matchesFilter(e, filter)) filtered.push(e);
  return filtered.sort(byTitle);
}

/** The visible list: filtered and sorted by title, then searched (ranked; ties keep title order). */
export function visibleEntries(entries: Iterable<IndexEntry>, filter: Filter, query: string): IndexEntry[] {
  const list = filteredByTitle(entries, filter);
  return query.trim() ? searchList(list, query).ranked : list;
}

export function allTags(entries: Iterable<IndexEntry>): string[] {
  const tags = new Set<string>();
  for (const e of entries) for (const t of e.tags) tags.add(t);
  return [...tags].sort(compareTitles);
}

/**
 * Search as you type. The title-sorted list of a filter is kept per vault version; when the new query only
 * extends the last one (same filter, same version), every match must already be among the last matches, so
 * only those are searched again.
 */
export function createNarrowingSearch(): (entries: Iterable<IndexEntry>, filter: Filter, query: string, version: number) => IndexEntry[] {
  let base: { filter: Filter; version: number; list: IndexEntry[] } | undefined;
  let last: { filter: Filter; query: string; version: number; matched: IndexEntry[] } | undefined;
  return (entries, filter, query, version) => {
    if (!base || base.filter !== filter || base.version !== version) base = { filter, version, list: filteredByTitle(entries, filter) };
    const q = query.toLowerCase();
    if (!q.trim()) {
      last = undefined;
      return base.list;
    }
    const narrow = last && last.filter === filter && last.version === version && q.startsWith(last.query);
    const { matched, ranked } = searchList(narrow ? last!.matched : base.list, q);
    last = { filter, query: q, version, matched };
    return ranked;
  };
}

/** Prepares every entry's search text a slice at a time when the page is idle, so the first keystroke is fast. */
export function prepareWhenIdle(entries: readonly IndexEntry[], signal: { stopped: boolean }): void {
  let i = 0;
  const step = (deadline?: { timeRemaining(): number }) => {
    const until = performance.now() + 8;
    while (i < entries.length && !signal.stopped) {
      prepareEntryText(entries[i++]!);
      if ((i & 255) === 0 && (deadline ? deadline.timeRemaining() < 1 : performance.now() > until)) break;
    }
    if (i < entries.length && !signal.stopped) schedule();
  };
  const schedule = () => {
    if (typeof requestIdleCallback === "function") requestIdleCallback(step, { timeout: 500 });
    else setTimeout(step, 0);
  };
  schedule();
}
