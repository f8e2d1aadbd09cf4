// The score of a query's free text over an entry's list text (list-text.ts): a word in the title beats one in
// the other list fields, which beats one found only in the deep text; a word counts as found as a substring,
// or, lower, as its characters in order in one field. The masks of each field skip every test that cannot
// succeed (most, once a word has two letters), and answer a one-letter word (every first keystroke) alone.
import { hostEnd, hostStart } from "../url-host.ts";
import { foldIncludes, foldStartsWith, foldSubsequence } from "./fold-match.ts";
import { addMask, type ListText, NON_ASCII, SUBTITLE, TAGS, TITLE, URLS } from "./list-text.ts";
import type { SearchQuery } from "./search-query.ts";

const DEEP_SCORE = 3;

/** What a query's words and phrases need of list text (addMask of each, without NON_ASCII). */
export interface QueryMasks {
  /** the letters and digits of the whole free text: what an entry's fields hold together */
  readonly needs: number;
  readonly words: Int32Array;
  readonly phrases: Int32Array;
}

const maskOf = (text: string) => addMask(text, 0, text.length, 0) & ~NON_ASCII;
const cache = new WeakMap<SearchQuery, QueryMasks>();

export function queryMasks(q: SearchQuery): QueryMasks {
  let m = cache.get(q);
  if (!m) {
    const words = Int32Array.from(q.words, maskOf);
    const phrases = Int32Array.from(q.phrases, maskOf);
    let needs = 0;
    for (const x of words) needs |= x;
    for (const x of phrases) needs |= x;
    m = { needs, words, phrases };
    cache.set(q, m);
  }
  return m;
}

/** Does one of the other list fields of `v` (subtitle, URL hosts, tags) include `w` (mask `wm`)? */
function othersInclude(v: ListText, w: string, wm: number, masks: Int32Array, at: number): boolean {
  if ((masks[at + SUBTITLE]! & wm) === wm && foldIncludes(v.subtitle, 0, v.subtitle.length, w)) return true;
  if ((masks[at + URLS]! & wm) === wm)
    for (let k = 0; k < v.urls.length; k++) {
      const u = v.urls[k]!;
      const start = hostStart(u);
      if (foldIncludes(u, start, hostEnd(u, start), w)) return true;
    }
  if ((masks[at + TAGS]! & wm) === wm)
    for (let k = 0; k < v.tags.length; k++) if (foldIncludes(v.tags[k]!, 0, v.tags[k]!.length, w)) return true;
  return false;
}

/** Does one of the other list fields of `v` hold `w`'s characters in order? */
function othersHoldInOrder(v: ListText, w: string, wm: number, masks: Int32Array, at: number): boolean {
  if ((masks[at + SUBTITLE]! & wm) === wm && foldSubsequence(w, v.subtitle, 0, v.subtitle.length)) return true;
  if ((masks[at + URLS]! & wm) === wm)
    for (let k = 0; k < v.urls.length; k++) {
      const u = v.urls[k]!;
      const start = hostStart(u);
      if (foldSubsequence(w, u, start, hostEnd(u, start))) return true;
    }
  if ((masks[at + TAGS]! & wm) === wm)
    for (let k = 0; k < v.tags.length; k++) if (foldSubsequence(w, v.tags[k]!, 0, v.tags[k]!.length)) return true;
  return false;
}

/** A word's score (`wm` its mask): title, then the other list fields, then the deep text below every list match. */
function wordScore(w: string, wm: number, v: ListText, masks: Int32Array, at: number, deep: string | undefined): number {
  const t = v.title;
  const title = masks[at + TITLE]!;
  const c = w.charCodeAt(0);
  if (w.length === 1 && c >= 97 && c <= 122) {
    // one letter: the masks say where it is (in order, it is the letter itself); only the title's start is read
    if (title & wm) {
      let first = t.charCodeAt(0);
      if (first >= 65 && first <= 90) first += 32;
      return first !== c ? 40 : t.length === 1 ? 100 : 60;
    }
    if ((masks[at + SUBTITLE]! | masks[at + URLS]! | masks[at + TAGS]!) & wm) return 30;
    return deep?.includes(w) ? DEEP_SCORE : 0;
  }
  const inTitle = (title & wm) === wm;
  if (inTitle) {
    if (foldStartsWith(t, 0, t.length, w)) return t.length === w.length ? 100 : 60;
    if (foldIncludes(t, 0, t.length, w)) return 40;
  }
  if (othersInclude(v, w, wm, masks, at)) return 30;
  if (inTitle && foldSubsequence(w, t, 0, t.length)) return 10;
  if (othersHoldInOrder(v, w, wm, masks, at)) return 5;
  return deep?.includes(w) ? DEEP_SCORE : 0;
}

/**
 * The score of the free text of `q` over list text `v` (an entry, or its lower-cased copy when its masks have
 * NON_ASCII) whose masks (list-text.ts writeMasks) are in `masks` from `at`, and deep text if any; 1 when `q` has
 * no free text, 0 for no match. The caller has applied the whole-entry prefilter `needs` (which only list text
 * without deep text may skip).
 */
export function scoreText(v: ListText, masks: Int32Array, at: number, q: SearchQuery, qm: QueryMasks, deep: string | undefined): number {
  let s = 1;
  for (let i = 0; i < q.words.length; i++) {
    const ws = wordScore(q.words[i]!, qm.words[i]!, v, masks, at, deep);
    if (ws === 0) return 0;
    s += ws;
  }
  for (let i = 0; i < q.phrases.length; i++) {
    const ph = q.phrases[i]!;
    const pm = qm.phrases[i]!;
    const ps =
      (masks[at + TITLE]! & pm) === pm && foldIncludes(v.title, 0, v.title.length, ph)
        ? 40
        : othersInclude(v, ph, pm, masks, at)
          ? 30
          : deep?.includes(ph)
            ? DEEP_SCORE
            : 0;
    if (ps === 0) return 0;
    s += ps;
  }
  return s;
}
