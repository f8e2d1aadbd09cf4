// The host of a URL for searching and showing, without a regex or a URL object: it runs for every entry on a
// search, in a cold CLI process before the JIT helps.

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
