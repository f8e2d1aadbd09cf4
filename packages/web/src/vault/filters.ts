// List filters and search as you type over the in-memory index (search needs no decryption). The query
// language, the scores and the order are core's (ListSearch: ties keep the list's title order, typing that
// extends the query searches only the last matches); this keeps one title-sorted list per filter and vault
// version, and prepares its search when the page is idle.
import type { IndexEntry } from "@cryptex/core/formats/vault-index.ts";
import { compareTitles } from "@cryptex/core/vault/compare-titles.ts";
import { type ListMatches, ListSearch, warmUpSearch } from "@cryptex/core/vault/deep-search/list-search.ts";
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

function filteredByTitle(entries: Iterable<IndexEntry>, filter: Filter): IndexEntry[] {
  const filtered: IndexEntry[] = [];
  for (const e of entries) if (matchesFilter(e, filter)) filtered.push(e);
  return filtered.sort(byTitle);
}

/** The visible list: filtered and sorted by title, then searched (ranked; ties keep title order). */
export function visibleEntries(entries: Iterable<IndexEntry>, filter: Filter, query: string): IndexEntry[] {
  const list = filteredByTitle(entries, filter);
  return query.trim() ? new ListSearch(list).search(query).ranked : list;
}

export function allTags(entries: Iterable<IndexEntry>): string[] {
  const tags = new Set<string>();
  for (const e of entries) for (const t of e.tags) tags.add(t);
  return [...tags].sort(compareTitles);
}

export interface NarrowingSearch {
  (entries: Iterable<IndexEntry>, filter: Filter, query: string, version: number): IndexEntry[];
  /** Prepares the current list's search a slice at a time when the page is idle, so the first keystroke is fast. */
  prepareWhenIdle(signal: { stopped: boolean }): void;
}

/**
 * Search as you type. The title-sorted list of a filter, and its ListSearch, are kept per vault version; when the
 * new query only extends the last one, ListSearch searches only the last matches.
 */
export function createNarrowingSearch(): NarrowingSearch {
  let base: { filter: Filter; version: number; list: IndexEntry[]; search: ListSearch } | undefined;
  let last: ListMatches | undefined;
  const search = (entries: Iterable<IndexEntry>, filter: Filter, query: string, version: number) => {
    if (!base || base.filter !== filter || base.version !== version) {
      const list = filteredByTitle(entries, filter);
      base = { filter, version, list, search: new ListSearch(list) };
      last = undefined;
    }
    if (!query.trim()) {
      last = undefined;
      return base.list;
    }
    last = base.search.search(query, last);
    return last.ranked;
  };
  search.prepareWhenIdle = (signal: { stopped: boolean }) => {
    const list = base?.search;
    if (!list) return;
    const step = (deadline?: { timeRemaining(): number }) => {
      const until = performance.now() + 8;
      const more = () => !signal.stopped && (deadline ? deadline.timeRemaining() > 1 : performance.now() < until);
      // the masks first, then (in a later slice if this one is spent) the scorer compiled on a few entries
      if (list.prepare(more) && more()) warmUpSearch(list.entries);
      else if (!signal.stopped) schedule();
    };
    const schedule = () => {
      if (typeof requestIdleCallback === "function") requestIdleCallback(step, { timeout: 500 });
      else setTimeout(step, 0);
    };
    schedule();
  };
  return search;
}
