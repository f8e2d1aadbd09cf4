// What search reads of an entry, its list text: the title, and the other list fields (the subtitle, the host of
// each URL, each tag), all compared lower-cased. An entry whose fields are all ASCII is read as it is, its
// capitals folded while comparing (fold-match.ts): lower-casing ASCII is exactly that folding. An entry with any
// other character gets a lower-cased copy, because there `toLowerCase` is not a per-character ASCII fold ("İ"
// grows, "Σ" depends on its neighbours, the Kelvin sign becomes "k").
import { hostEnd, hostOf, hostStart } from "../url-host.ts";

/** The fields search reads. An IndexEntry is one; so is an entry's lower-cased copy, whose URLs are the hosts
 * (the host of a host is itself: it holds no "://", "/", "?" or "#"). */
export interface ListText {
  readonly title: string;
  readonly subtitle: string;
  readonly urls: readonly string[];
  readonly tags: readonly string[];
}

/** Set in a mask when the text holds a character beyond ASCII (never in what a query needs). */
export const NON_ASCII = 1 << 31;

/**
 * Adds to `m` the letters and digits of `s[from, to)`: a–z (capitals folded) on bits 0–25, digits folded onto
 * bits 26–30, and NON_ASCII for any character beyond ASCII. A word can only match text holding every letter and
 * digit of the word, so `(mask & needs) !== needs` rules an entry (or one of its fields) out with one
 * comparison; other characters are left out of both masks and never rule anything out. For a single letter the
 * mask is the exact answer.
 */
export function addMask(s: string, from: number, to: number, m: number): number {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c >= 97 && c <= 122) m |= 1 << (c - 97);
    else if (c >= 65 && c <= 90) m |= 1 << (c - 65);
    else if (c >= 48 && c <= 57) m |= 1 << (26 + ((c - 48) % 5));
    else if (c >= 128) m |= NON_ASCII;
  }
  return m;
}

/** Where an entry's masks sit in a run of MASKS numbers: title, subtitle, the URLs' hosts, the tags. */
export const TITLE = 0;
export const SUBTITLE = 1;
export const URLS = 2;
export const TAGS = 3;
export const MASKS = 4;

/**
 * Writes the masks of `v` (addMask of the title, the subtitle, all URL hosts, all tags) to `out` from `at`, and
 * returns whether any holds NON_ASCII: then search reads lowerCased(v) instead, with the masks of that.
 */
export function writeMasks(v: ListText, out: Int32Array, at: number): boolean {
  const title = addMask(v.title, 0, v.title.length, 0);
  const subtitle = addMask(v.subtitle, 0, v.subtitle.length, 0);
  let urls = 0;
  for (let k = 0; k < v.urls.length; k++) {
    const u = v.urls[k]!;
    const start = hostStart(u);
    urls = addMask(u, start, hostEnd(u, start), urls);
  }
  let tags = 0;
  for (let k = 0; k < v.tags.length; k++) tags = addMask(v.tags[k]!, 0, v.tags[k]!.length, tags);
  out[at + TITLE] = title;
  out[at + SUBTITLE] = subtitle;
  out[at + URLS] = urls;
  out[at + TAGS] = tags;
  return ((title | subtitle | urls | tags) & NON_ASCII) !== 0;
}

/** Each field lower-cased on its own (as search always compared them), URLs reduced to their hosts. */
export function lowerCased(v: ListText): ListText {
  return {
    title: v.title.toLowerCase(),
    subtitle: v.subtitle.toLowerCase(),
    urls: v.urls.map((u) => hostOf(u).toLowerCase()),
    tags: v.tags.map((t) => t.toLowerCase()),
  };
}
