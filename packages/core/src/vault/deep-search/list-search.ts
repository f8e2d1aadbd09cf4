// Search as you type over one list (the web app's list, in title order). Each entry's letter-and-digit mask
// (list-text.ts) is prepared once per list into one typed array, so the first keystroke, which must look at
// every entry, rules most of them out by reading four bytes each, and scores the rest on the entries' own
// strings. A query that only adds to the last one searches only the last matches. The score and the order are
// searchEntries' with `titleOrdered`: best score first (a favourite one above its equals), ties in list order.
import type { IndexEntry } from "../../formats/vault-index.ts";
import { matchesOperators, type SearchContext } from "./deep-search.ts";
import { type ListText, lowerCased, MASKS, NON_ASCII, SUBTITLE, TAGS, TITLE, URLS, writeMasks } from "./list-text.ts";
import { parseSearchQuery, type SearchQuery } from "./search-query.ts";
import { queryMasks, scoreText } from "./text-score.ts";

export interface ListMatches {
  readonly query: SearchQuery;
  readonly ctx: SearchContext;
  /** the matching entries' positions in the list, ascending */
  readonly positions: Int32Array;
  /** the matching entries, best first */
  readonly ranked: IndexEntry[];
}

const NO_CONTEXT: SearchContext = {};
const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * True when every match of `next` must be a match of `last` (same context): the operators are the same, each
 * last word is part of a next word or phrase, each last phrase part of a next phrase. A word matching as a
 * substring or an in-order subsequence of a field keeps matching when it loses characters at either end, and
 * a phrase (or word) found in a field holds every piece of itself.
 */
export function narrows(last: SearchQuery, next: SearchQuery): boolean {
  if (last.favorite !== next.favorite || last.weak !== next.weak) return false;
  if (!sameList(last.types, next.types) || !sameList(last.tags, next.tags)) return false;
  if (!sameList(last.folders, next.folders) || !sameList(last.urls, next.urls)) return false;
  return (
    last.words.every((w) => next.words.some((x) => x.includes(w)) || next.phrases.some((x) => x.includes(w))) &&
    last.phrases.every((p) => next.phrases.some((x) => x.includes(p)))
  );
}

const sameQuery = (a: SearchQuery, b: SearchQuery) => narrows(a, b) && sameList(a.words, b.words) && sameList(a.phrases, b.phrases);

export class ListSearch {
  /** per entry, MASKS masks (list-text.ts writeMasks); NON_ASCII in the title's says it has a lower-cased copy */
  private readonly masks: Int32Array;
  /** lower-cased copies of the entries with text beyond ASCII (NON_ASCII in their mask), by position */
  private readonly lowered = new Map<number, ListText>();
  private prepared = 0;
  /** scratch for a search's scores (one per list, reused) */
  private keys: Int32Array | undefined;

  readonly entries: readonly IndexEntry[];

  constructor(entries: readonly IndexEntry[]) {
    this.entries = entries;
    this.masks = new Int32Array(entries.length * MASKS);
  }

  get ready(): boolean {
    return this.prepared === this.entries.length;
  }

  /** Prepares the next entries while `more()`, asked every 256 entries, says so; true once every entry is. */
  prepare(more: () => boolean = () => true): boolean {
    const { entries, masks } = this;
    while (this.prepared < entries.length) {
      const end = Math.min(entries.length, this.prepared + 256);
      for (let i = this.prepared; i < end; i++) {
        const e = entries[i]!;
        const at = i * MASKS;
        if (writeMasks(e, masks, at)) {
          const v = lowerCased(e);
          this.lowered.set(i, v);
          writeMasks(v, masks, at);
          masks[at + TITLE] = masks[at + TITLE]! | NON_ASCII;
        }
      }
      this.prepared = end;
      if (!more()) break;
    }
    return this.ready;
  }

  /**
   * The entries matching `query` (free text and operators; `ctx` for deep text and is:weak, as searchEntries).
   * Given the `last` matches of this list and a query that narrows them (the same context, without deep text,
   * which may change under it), only those are searched.
   */
  search(query: string | SearchQuery, last?: ListMatches, ctx: SearchContext = NO_CONTEXT): ListMatches {
    this.prepare(); // what idle time left undone: a pass over the rest, allocating nothing for ASCII entries
    const q = typeof query === "string" ? parseSearchQuery(query) : query;
    const within = last && last.ctx === ctx && !ctx.deep && narrows(last.query, q) ? last.positions : undefined;
    if (within && sameQuery(last!.query, q)) return { ...last!, query: q };
    const { entries, masks, lowered } = this;
    const qm = queryMasks(q);
    const needs = qm.needs;
    const operators = q.types.length + q.tags.length + q.folders.length + q.urls.length > 0 || q.favorite || q.weak;
    const n = within ? within.length : entries.length;
    const positions = new Int32Array(n);
    this.keys ??= new Int32Array(entries.length);
    const keys = this.keys;
    let count = 0;
    let top = 0;
    for (let k = 0; k < n; k++) {
      const i = within ? within[k]! : k;
      const at = i * MASKS;
      const title = masks[at + TITLE]!;
      let deep: string | undefined;
      if (((title | masks[at + SUBTITLE]! | masks[at + URLS]! | masks[at + TAGS]!) & needs) !== needs) {
        // ruled out by its list text, unless deep text may hold the rest
        if (!ctx.deep) continue;
        deep = ctx.deep.textOf(entries[i]!.id);
        if (deep === undefined) continue;
      } else if (ctx.deep) deep = ctx.deep.textOf(entries[i]!.id);
      const e = entries[i]!;
      if (operators && !matchesOperators(e, q, ctx)) continue;
      const s = scoreText(title & NON_ASCII ? lowered.get(i)! : e, masks, at, q, qm, deep);
      if (s === 0) continue;
      const key = s + (e.favorite ? 1 : 0);
      positions[count] = i;
      keys[count++] = key;
      if (key > top) top = key;
    }
    return { query: q, ctx, positions: positions.slice(0, count), ranked: ranked(entries, positions, keys, count, top) };
  }
}

let warmed = false;
/**
 * Searches up to 1,000 of `entries` for queries of one, two and three letters (some from a title's start) and of
 * two words, once per page, when it is idle: the engine then compiles the scorer before the first keystrokes need
 * it. In fresh pages at 100,000 items on a busy two-core machine (load 6–7), the first keystroke took 12–15 ms
 * without this and 6–7 ms with it, the second 15–33 ms and 12–13 ms; with a title's start among the queries, the
 * second keystroke's worst in five pages went from 21.3 to 15.9 ms (load 2).
 */
export function warmUpSearch(entries: readonly IndexEntry[]): void {
  if (warmed || entries.length === 0) return;
  warmed = true;
  const list = new ListSearch(entries.slice(0, 1000));
  // the start of a title too, so that the title's tests run as often as the other fields'
  const start = (entries[Math.min(500, entries.length - 1)]!.title.toLowerCase().match(/[a-z0-9]{2,3}/) ?? ["ex"])[0];
  let last: ListMatches | undefined;
  for (const q of ["e", "ex", "exa", "exa m", "a"]) last = list.search(q, last);
  last = undefined;
  for (const q of [start.slice(0, 1), start.slice(0, 2), start]) last = list.search(q, last);
  list.search('"e a"');
}

/** Matches in list order, placed by score (highest first) in one counting pass: no sort, ties keep list order. */
function ranked(entries: readonly IndexEntry[], positions: Int32Array, keys: Int32Array, count: number, top: number): IndexEntry[] {
  // A score is 1 plus a few fixed amounts per word and phrase: `top` is small (about 100 per word typed).
  const start = new Int32Array(top + 2);
  for (let k = 0; k < count; k++) start[keys[k]!]!++;
  let at = 0;
  for (let key = top; key >= 0; key--) {
    const c = start[key]!;
    start[key] = at;
    at += c;
  }
  const order = new Int32Array(count);
  for (let k = 0; k < count; k++) order[start[keys[k]!]!++] = positions[k]!;
  // filled front to back, so the array stays packed (a presized one is holey, or a dictionary when long)
  const out: IndexEntry[] = [];
  for (let k = 0; k < count; k++) out.push(entries[order[k]!]!);
  return out;
}
