// Fuzzy search over index entries (titles, URLs, usernames, tags): every query word must match one of them,
// as a substring (best) or as an in-order subsequence; results are ranked.

import type { IndexEntry } from "../formats/vault-index.ts";
import { compareTitles } from "./compare-titles.ts";

function subsequence(needle: string, hay: string): boolean {
  let i = 0;
  for (let j = 0; j < hay.length && i < needle.length; j++) if (hay.charCodeAt(j) === needle.charCodeAt(i)) i++;
  return i === needle.length;
}

/** The host of a URL without a regex or a URL object: this runs for every entry on every search. */
export function hostOf(url: string): string {
  const scheme = url.indexOf("://");
  const start = scheme >= 0 ? scheme + 3 : 0;
  let end = url.length;
  for (let i = start; i < url.length; i++) {
    const c = url.charCodeAt(i);
    if (c === 47 || c === 63 || c === 35) {
      end = i;
      break;
    }
  }
  return url.slice(start, end);
}

const has = (hay: string, word: string) => hay.length >= word.length && hay.toLowerCase().includes(word);
const subseqIn = (hay: string, word: string) => hay.length >= word.length && subsequence(word, hay.toLowerCase());

// No arrays or regexes per entry: searching 100,000 entries runs in a cold CLI process, before the JIT helps.
function wordScore(word: string, e: IndexEntry, title: string): number {
  if (title === word) return 100;
  if (title.startsWith(word)) return 60;
  if (title.includes(word)) return 40;
  if (has(e.subtitle, word)) return 30;
  for (const u of e.urls) if (has(hostOf(u), word)) return 30;
  for (const t of e.tags) if (has(t, word)) return 30;
  if (subsequence(word, title)) return 10;
  if (subseqIn(e.subtitle, word)) return 5;
  for (const u of e.urls) if (subseqIn(hostOf(u), word)) return 5;
  for (const t of e.tags) if (subseqIn(t, word)) return 5;
  return 0;
}

export function searchIndex(entries: Iterable<IndexEntry>, query: string, limit = 100): IndexEntry[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const scored: { e: IndexEntry; s: number }[] = [];
  for (const e of entries) {
    const title = e.title.toLowerCase();
    let s = 0;
    for (const w of words) {
      const ws = wordScore(w, e, title);
      if (ws === 0) {
        s = 0;
        break;
      }
      s += ws;
    }
    if (s > 0 || words.length === 0) scored.push({ e, s: s + (e.favorite ? 1 : 0) });
  }
  scored.sort((a, b) => b.s - a.s || compareTitles(a.e.title, b.e.title));
  return scored.slice(0, limit).map((x) => x.e);
}
