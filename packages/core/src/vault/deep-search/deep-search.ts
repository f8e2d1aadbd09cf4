// Search with operators over the index entries, and (when the user turned it on) inside notes and custom
// fields through the deep index. Ranked like searchIndex: a word in the title beats one in other list fields,
// which beats one found only in the deep text.

import type { IndexEntry } from "../../formats/vault-index.ts";
import type { ItemId } from "../../keys/ids.ts";
import { compareTitles } from "../compare-titles.ts";
import { hostOf } from "../url-host.ts";
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

/** An entry's list text, lower-cased once per entry object (the index replaces the object on every change).
 * `joined` holds the other fields separated by "\n", which no query word contains, so one `includes` tests them all. */
interface Prepared {
  readonly title: string;
  readonly others: readonly string[];
  readonly joined: string;
  /** which of a–z and 0–9 occur in the title or the other fields (charMask) */
  readonly mask: number;
}

/**
 * A 32-bit set of the ASCII letters and digits in `text` (a–z bits 0–25; digits folded onto bits 26–31).
 * A word can only match list text holding every letter and digit of the word, as a substring or a
 * subsequence, so `(entryMask & wordMask) !== wordMask` rules an entry out with one comparison; other
 * characters are left out of both masks and never rule anything out.
 */
function charMask(text: string): number {
  let m = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 97 && c <= 122) m |= 1 << (c - 97);
    else if (c >= 48 && c <= 57) m |= 1 << (26 + ((c - 48) % 6));
  }
  return m;
}
const prepared = new WeakMap<IndexEntry, Prepared>();
/** Prepares (and caches) an entry's list text; a list may warm the cache when idle so the first keystroke is fast. */
export function prepareEntryText(e: IndexEntry): Prepared {
  let p = prepared.get(e);
  if (!p) {
    const others = [e.subtitle, ...e.urls.map(hostOf), ...e.tags].map((x) => x.toLowerCase());
    const title = e.title.toLowerCase();
    const joined = others.join("\n");
    p = { title, others, joined, mask: charMask(title) | charMask(joined) };
    prepared.set(e, p);
  }
  return p;
}

function subsequence(needle: string, hay: string): boolean {
  let i = 0;
  for (let j = 0; j < hay.length && i < needle.length; j++) if (hay.charCodeAt(j) === needle.charCodeAt(i)) i++;
  return i === needle.length;
}

/** A word's score over prepared text: title, then the other list fields, then the deep text below every list match. */
function wordScore(w: string, p: Prepared, deep: string | undefined): number {
  if (p.title === w) return 100;
  if (p.title.startsWith(w)) return 60;
  if (p.title.includes(w)) return 40;
  if (p.joined.includes(w)) return 30;
  if (subsequence(w, p.title)) return 10;
  for (const o of p.others) if (o.length >= w.length && subsequence(w, o)) return 5;
  return deep?.includes(w) ? DEEP_SCORE : 0;
}

const queryMasks = new WeakMap<SearchQuery, number>();
function queryMask(q: SearchQuery): number {
  let m = queryMasks.get(q);
  if (m === undefined) {
    m = charMask(q.words.join("") + q.phrases.join(""));
    queryMasks.set(q, m);
  }
  return m;
}

/** The entry's score for the free text of `q` (0: no match). */
export function textScore(e: IndexEntry, q: SearchQuery, ctx: SearchContext): number {
  const p = prepareEntryText(e);
  const deep = ctx.deep?.textOf(e.id);
  // Without deep text, the list text must hold every letter and digit of the query: most entries are ruled out
  // here, before any string search (the first keystroke of a search scores every entry of the vault).
  const needs = queryMask(q);
  if (deep === undefined && (p.mask & needs) !== needs) return 0;
  let s = 1;
  for (const w of q.words) {
    const ws = wordScore(w, p, deep);
    if (ws === 0) return 0;
    s += ws;
  }
  for (const ph of q.phrases) {
    const ps = p.title.includes(ph) ? 40 : p.joined.includes(ph) ? 30 : deep?.includes(ph) ? DEEP_SCORE : 0;
    if (ps === 0) return 0;
    s += ps;
  }
  return s;
}

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
