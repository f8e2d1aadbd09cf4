// String tests that read ASCII capitals as small letters, over a range of a string, without making a lower-cased
// copy: for text that is all ASCII they answer what the same test on `text.toLowerCase()` answers, and on text
// that is already lower-cased they are the plain tests. Search uses them so that preparing 100,000 entries, and
// scoring the first keystroke's matches, allocates nothing. `w` is always lower-case (the query parser's).

/** `hay[from, from + w.length)` equals `w`, ASCII capitals folded; the caller checks that it fits. */
function foldEqualAt(hay: string, at: number, w: string): boolean {
  for (let k = 0; k < w.length; k++) {
    let c = hay.charCodeAt(at + k);
    if (c >= 65 && c <= 90) c += 32;
    if (c !== w.charCodeAt(k)) return false;
  }
  return true;
}

export function foldStartsWith(hay: string, from: number, to: number, w: string): boolean {
  return to - from >= w.length && foldEqualAt(hay, from, w);
}

export function foldIncludes(hay: string, from: number, to: number, w: string): boolean {
  const n = w.length;
  if (n === 0) return true;
  const first = w.charCodeAt(0);
  for (let i = from, last = to - n; i <= last; i++) {
    let c = hay.charCodeAt(i);
    if (c >= 65 && c <= 90) c += 32;
    if (c === first && foldEqualAt(hay, i, w)) return true;
  }
  return false;
}

/** `w`'s characters in order (not necessarily adjacent) in `hay[from, to)`. */
export function foldSubsequence(w: string, hay: string, from: number, to: number): boolean {
  const n = w.length;
  if (n === 0) return true;
  if (to - from < n) return false;
  let i = 0;
  let want = w.charCodeAt(0);
  for (let j = from; j < to; j++) {
    let c = hay.charCodeAt(j);
    if (c >= 65 && c <= 90) c += 32;
    if (c === want) {
      if (++i === n) return true;
      want = w.charCodeAt(i);
    }
  }
  return false;
}
