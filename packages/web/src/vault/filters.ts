// List filters and search over the in-memory index (DESIGN.md §4: search needs no decryption).
import type { IndexEntry } from "@cryptex/core/formats/vault-index.ts";
import { searchIndex } from "@cryptex/core/vault/search.ts";

export type Filter =
  | { kind: "all" }
  | { kind: "favorites" }
  | { kind: "trash" }
  | { kind: "type"; type: string }
  | { kind: "tag"; tag: string };

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
  }
}

const byTitle = (a: IndexEntry, b: IndexEntry) => (a.title < b.title ? -1 : a.title > b.title ? 1 : 0);

/** The visible list: filtered, then searched (ranked) or sorted by title. */
export function visibleEntries(entries: Iterable<IndexEntry>, filter: Filter, query: string): IndexEntry[] {
  const filtered: IndexEntry[] = [];
  for (const e of entries) if (matchesFilter(e, filter)) filtered.push(e);
  if (query.trim()) return searchIndex(filtered, query, 100_000);
  return filtered.sort(byTitle);
}

export function allTags(entries: Iterable<IndexEntry>): string[] {
  const tags = new Set<string>();
  for (const e of entries) for (const t of e.tags) tags.add(t);
  return [...tags].sort();
}

/**
 * Search as you type: when the new query only extends the last one (same filter, same vault version), every
 * match must already be among the last results, so only those are searched again.
 */
export function createNarrowingSearch(): (entries: Iterable<IndexEntry>, filter: Filter, query: string, version: number) => IndexEntry[] {
  let last: { filter: Filter; query: string; version: number; results: IndexEntry[] } | undefined;
  return (entries, filter, query, version) => {
    const q = query.toLowerCase();
    const narrow = last && last.filter === filter && last.version === version && last.query.trim() !== "" && q.startsWith(last.query);
    const results = visibleEntries(narrow ? last!.results : entries, filter, q);
    last = { filter, query: q, version, results };
    return results;
  };
}
