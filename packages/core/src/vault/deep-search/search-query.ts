// The search box's language, shared by the CLI and the web app: plain words, "quoted phrases", and the
// operators type:, tag:, folder:, url:, is:favorite, is:weak (values may be quoted: tag:"road trip").
// Unknown operators are plain words, so typing never fails; an operator with no value yet is ignored.

export interface SearchQuery {
  readonly words: readonly string[];
  readonly phrases: readonly string[];
  readonly types: readonly string[];
  readonly tags: readonly string[];
  readonly folders: readonly string[];
  readonly urls: readonly string[];
  readonly favorite: boolean;
  readonly weak: boolean;
}

const OPERATORS = new Set(["type", "tag", "folder", "url", "is"]);
const FAVORITE = new Set(["favorite", "favourite", "fav", "starred"]);
const MAX_QUERY = 1024;

/** Splits into tokens: [operator or "", value, quoted]. */
function tokens(text: string): [string, string, boolean][] {
  const out: [string, string, boolean][] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && /\s/.test(text[i]!)) i++;
    if (i >= n) break;
    let op = "";
    const colon = /^([a-z]+):/i.exec(text.slice(i, i + 8));
    if (colon && OPERATORS.has(colon[1]!.toLowerCase())) {
      op = colon[1]!.toLowerCase();
      i += colon[0].length;
    }
    if (text[i] === '"') {
      const end = text.indexOf('"', i + 1);
      const stop = end < 0 ? n : end;
      out.push([op, text.slice(i + 1, stop), true]);
      i = stop + 1;
    } else {
      let j = i;
      while (j < n && !/\s/.test(text[j]!)) j++;
      out.push([op, text.slice(i, j), false]);
      i = j;
    }
  }
  return out;
}

export function parseSearchQuery(text: string): SearchQuery {
  const q = {
    words: [] as string[],
    phrases: [] as string[],
    types: [] as string[],
    tags: [] as string[],
    folders: [] as string[],
    urls: [] as string[],
    favorite: false,
    weak: false,
  };
  for (const [op, raw, quoted] of tokens(text.slice(0, MAX_QUERY))) {
    const value = raw.trim().toLowerCase();
    if (value === "") continue;
    switch (op) {
      case "":
        if (quoted) q.phrases.push(value.replace(/\s+/g, " "));
        else q.words.push(value);
        break;
      case "type":
        q.types.push(value);
        break;
      case "tag":
        q.tags.push(value.replace(/^#/, ""));
        break;
      case "folder":
        q.folders.push(value.replace(/^\/+|\/+$/g, ""));
        break;
      case "url":
        q.urls.push(value);
        break;
      case "is":
        if (FAVORITE.has(value)) q.favorite = true;
        else if (value === "weak") q.weak = true;
        else q.words.push(`is:${value}`);
        break;
    }
  }
  return q;
}

/** True when the query has nothing in it (the full list shows). */
export const isEmptyQuery = (q: SearchQuery): boolean =>
  q.words.length + q.phrases.length + q.types.length + q.tags.length + q.folders.length + q.urls.length === 0 && !q.favorite && !q.weak;
