// Search with operators over the index entries, and (when the user turned it on) inside notes and custom
// fields through the deep index. Ranked like searchIndex: a word in the title beats one in other list fields,
// which beats one found only in the deep text.
import type { IndexEntry } from "../../formats/vault-index.ts";
import type { ItemId } from "../../keys/ids.ts";
import { hostOf, wordScore } from "../search.ts";
import type { DeepIndex } from "./deep-index.ts";
import { isEmptyQuery, parseSearchQuery, type SearchQuery } from "./search-query.ts";

export interface SearchContext {
  /** the deep index, when deep search is on */
  readonly deep?: DeepIndex | undefined;
  /** ids of items with a weak password (for is:weak), from the health report */
  readonly weak?: ReadonlySet<ItemId> | undefined;
}

const DEEP_SCORE = 3;

/** Folders arrive with the folders feature as an optional `folder` path on index entries. */
const folderOf = (e: IndexEntry): string => {
  const f = (e as { folder?: unknown }).folder;
  return typeof f === "string" ? f.toLowerCase() : "";
};

export function matchesOperators(e: IndexEntry, q: SearchQuery, ctx: SearchContext): boolean {
  if (q.favorite && !e.favorite) return false;
  if (q.weak && !ctx.weak?.has(e.id)) return false;
  for (const t of q.types) if (!e.type.startsWith(t)) return false;
  for (const t of q.tags) if (!e.tags.some((x) => x.toLowerCase() === t)) return false;
  for (const f of q.folders) {
    const path = folderOf(e);
    if (path !== f && !path.startsWith(`${f}/`)) return false;
  }
  for (const u of q.urls) if (!e.urls.some((x) => x.toLowerCase().includes(u))) return false;
  return true;
}

function listText(e: IndexEntry): string {
  return [e.title, e.subtitle, ...e.urls.map(hostOf), ...e.tags].join("\n").toLowerCase();
}

/** The entry's score for the free text of `q` (0: no match). */
export function textScore(e: IndexEntry, q: SearchQuery, ctx: SearchContext): number {
  const title = e.title.toLowerCase();
  const deep = ctx.deep?.textOf(e.id);
  let s = 1;
  for (const w of q.words) {
    const ws = wordScore(w, e, title) || (deep?.includes(w) ? DEEP_SCORE : 0);
    if (ws === 0) return 0;
    s += ws;
  }
  if (q.phrases.length) {
    const list = listText(e);
    for (const p of q.phrases) {
      const ps = title.includes(p) ? 40 : list.includes(p) ? 30 : deep?.includes(p) ? DEEP_SCORE : 0;
      if (ps === 0) return 0;
      s += ps;
    }
  }
  return s;
}

/** Entries matching `query` (a string, or already parsed), best first; ties by title. */
export function searchEntries(
  entries: Iterable<IndexEntry>,
  query: string | SearchQuery,
  ctx: SearchContext = {},
  limit = Infinity,
): IndexEntry[] {
  const q = typeof query === "string" ? parseSearchQuery(query) : query;
  const scored: { e: IndexEntry; s: number }[] = [];
  const empty = isEmptyQuery(q);
  for (const e of entries) {
    if (!matchesOperators(e, q, ctx)) continue;
    const s = empty ? 1 : textScore(e, q, ctx);
    if (s > 0) scored.push({ e, s: s + (e.favorite ? 1 : 0) });
  }
  scored.sort((a, b) => b.s - a.s || a.e.title.localeCompare(b.e.title));
  return scored.slice(0, limit).map((x) => x.e);
}
