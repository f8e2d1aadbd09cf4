// Fuzzy search over index entries (titles, URLs, usernames, tags): every query word must match one of them,
// as a substring (best) or as an in-order subsequence; results are ranked.
import type { IndexEntry } from "../formats/vault-index.ts";

function subsequence(needle: string, hay: string): boolean {
  let i = 0;
  for (let j = 0; j < hay.length && i < needle.length; j++) if (hay.charCodeAt(j) === needle.charCodeAt(i)) i++;
  return i === needle.length;
}

function hostOf(url: string): string {
  return url.replace(/^[a-z]+:\/\//i, "").replace(/[/?#].*$/, "");
}

function wordScore(word: string, e: IndexEntry, title: string): number {
  if (title === word) return 100;
  if (title.startsWith(word)) return 60;
  if (title.includes(word)) return 40;
  const hay = [e.subtitle, ...e.urls.map(hostOf), ...e.tags].map((s) => s.toLowerCase());
  if (hay.some((h) => h.includes(word))) return 30;
  if (subsequence(word, title)) return 10;
  if (hay.some((h) => subsequence(word, h))) return 5;
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
  scored.sort((a, b) => b.s - a.s || a.e.title.localeCompare(b.e.title));
  return scored.slice(0, limit).map((x) => x.e);
}
