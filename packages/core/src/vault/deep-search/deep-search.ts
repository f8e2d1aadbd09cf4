// Search with operators over the index entries, and (when the user turned it on) inside notes and custom
// fields through the deep index. Ranked like searchIndex: a word in the title beats one in other list fields,
// which beats one found only in the deep text.

import type { IndexEntry } from "../../formats/vault-index.ts";
import type { ItemId } from "../../keys/ids.ts";
import { compareTitles } from "../compare-titles.ts";
import type { DeepIndex } from "./deep-index.ts";
import { type ListText, lowerCased, MASKS, SUBTITLE, TAGS, TITLE, URLS, writeMasks } from "./list-text.ts";
import { isEmptyQuery, parseSearchQuery, type SearchQuery } from "./search-query.ts";
import { queryMasks, scoreText } from "./text-score.ts";

export interface SearchContext {
  /** the deep index, when deep search is on */
  readonly deep?: DeepIndex | undefined;
  /** ids of items with a weak password (for is:weak), from the health report */
  readonly weak?: ReadonlySet<ItemId> | undefined;
}

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

/** The entry's score for the free text of `q` (0: no match). Reads the entry's own strings: no copies unless
 * it holds text beyond ASCII. */
export function textScore(e: IndexEntry, q: SearchQuery, ctx: SearchContext): number {
  let v: ListText = e;
  if (writeMasks(e, scratch, 0)) {
    v = lowerCased(e);
    writeMasks(v, scratch, 0);
  }
  const deep = ctx.deep?.textOf(e.id);
  // Without deep text, the list text must hold every letter and digit of the query: most entries are ruled out
  // here, before any string search (the first keystroke of a search scores every entry of the vault).
  const qm = queryMasks(q);
  const all = scratch[TITLE]! | scratch[SUBTITLE]! | scratch[URLS]! | scratch[TAGS]!;
  if (deep === undefined && (all & qm.needs) !== qm.needs) return 0;
  return scoreText(v, scratch, 0, q, qm, deep);
}
const scratch = new Int32Array(MASKS);

/**
 * Entries matching `query` (a string, or already parsed), best first. Ties are broken by title, or, when the
 * caller says `entries` are already in title order (a list on screen), keep that order: sorting thousands of
 * titles on every keystroke is what would make typing slow.
 */
export function searchEntries(
  entries: Iterable<IndexEntry>,
  query: string | SearchQuery,
  ctx: SearchContext = {},
  limit = Infinity,
  opts: { titleOrdered?: boolean } = {},
): IndexEntry[] {
  const q = typeof query === "string" ? parseSearchQuery(query) : query;
  const empty = isEmptyQuery(q);
  // Scores are a few small whole numbers: bucket them (keeps the given order among equals, no sort per keystroke).
  const buckets = new Map<number, IndexEntry[]>();
  for (const e of entries) {
    if (!matchesOperators(e, q, ctx)) continue;
    const s = empty ? 1 : textScore(e, q, ctx);
    if (s === 0) continue;
    const key = s + (e.favorite ? 1 : 0);
    const b = buckets.get(key);
    if (b) b.push(e);
    else buckets.set(key, [e]);
  }
  const out: IndexEntry[] = [];
  for (const key of [...buckets.keys()].sort((a, b) => b - a)) {
    const room = limit - out.length;
    if (room <= 0) break;
    let b = buckets.get(key)!;
    if (!opts.titleOrdered) b = b.length > room ? firstByTitle(b, room) : b.sort((x, y) => compareTitles(x.title, y.title));
    for (let i = 0; i < b.length && i < room; i++) out.push(b[i]!);
  }
  return out;
}

/**
 * The first `k` of `list` in title order (ties in list order), as a stable sort would give them, comparing most
 * entries once against the current k-th instead of sorting all: a one-shot search of 100,000 entries shows 100.
 */
function firstByTitle(list: readonly IndexEntry[], k: number): IndexEntry[] {
  const top: IndexEntry[] = [];
  for (const e of list) {
    if (top.length === k && compareTitles(e.title, top[k - 1]!.title) >= 0) continue;
    let i = top.length;
    while (i > 0 && compareTitles(e.title, top[i - 1]!.title) < 0) i--;
    top.splice(i, 0, e);
    if (top.length > k) top.pop();
  }
  return top;
}
