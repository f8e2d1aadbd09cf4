// The host of a URL for searching and showing, without a regex or a URL object: it runs for every entry on a
// search, in a cold CLI process before the JIT helps.

/** Where the host of `url` starts: after the first "://", or at 0. A loop, not `indexOf`: on the index's
 * strings (slices of one decoded segment) `indexOf` costs several times more in V8. */
export function hostStart(url: string): number {
  for (let i = 0, last = url.length - 3; i <= last; i++)
    if (url.charCodeAt(i) === 58 && url.charCodeAt(i + 1) === 47 && url.charCodeAt(i + 2) === 47) return i + 3;
  return 0;
}

/** Where the host that starts at `start` ends: at the first "/", "?" or "#" after it, or the end of `url`. */
export function hostEnd(url: string, start: number): number {
  for (let i = start; i < url.length; i++) {
    const c = url.charCodeAt(i);
    if (c === 47 || c === 63 || c === 35) return i;
  }
  return url.length;
}

export function hostOf(url: string): string {
  const start = hostStart(url);
  return url.slice(start, hostEnd(url, start));
}
