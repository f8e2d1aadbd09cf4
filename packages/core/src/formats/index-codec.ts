// Binary codec of vault index segments (format 2). JSON.parse of 100,000 index rows was most of the
// unlock time; here a segment is a fixed-size record per row plus ONE UTF-8 blob of all strings,
// decoded with a single TextDecoder call and sliced, so opening costs about one pass over the bytes.
//   u8 format = 2 | u32 rows | u32 removed | u32 strings (count) | u32 blobBytes
//   rows × 16 bytes: type (u8) | flags (u8: 1 favourite, 2 trashed, 4 conflict copy, 8 in a folder) | urls (u8) | tags (u8) | rev (u32)
//                    | updatedAt (f64)
//   removed × 16 bytes: item ids
//   strings × u32: length of each string in UTF-16 code units, in row order: id, title, subtitle, urls…, tags…,
//                  the original's id when flag 4 is set, then the folder path when flag 8 is set
// (flag 8 came later; segments written before it simply never set it, so they still decode)
// Ids travel as their 36-character text inside the blob: one native decode beats 100,000 hex conversions.
//   blob: the UTF-8 of all strings concatenated
import { CryptexError } from "../errors.ts";
import { bytesToUuid, type ItemId, uuidToBytes } from "../keys/ids.ts";
import { ITEM_TYPES, type ItemType } from "../vault/templates.ts";

export interface IndexRow {
  readonly id: ItemId;
  readonly type: ItemType;
  readonly title: string;
  readonly subtitle: string;
  readonly urls: readonly string[];
  readonly tags: readonly string[];
  readonly favorite: boolean;
  readonly trashed: boolean;
  readonly updatedAt: number;
  readonly rev: number;
  /** set on a conflict copy: the item it keeps the other version of */
  readonly conflictOf?: ItemId;
  /** the item's folder path ("Work/Dev"), absent when in no folder */
  readonly folder?: string;
}

const FORMAT = 2;
const HEAD = 17;
const ROW = 16;
const enc = new TextEncoder();
const dec = new TextDecoder("utf-8", { fatal: true });
const typeCode = new Map<string, number>(ITEM_TYPES.map((t, i) => [t, i]));

function damaged(): never {
  throw new CryptexError("tampered", "vault index segment is damaged");
}

export function encodeIndexSegment(rows: readonly IndexRow[], removed: readonly string[]): Uint8Array {
  const strings: string[] = [];
  for (const r of rows) {
    strings.push(r.id, r.title, r.subtitle, ...r.urls.slice(0, 255), ...r.tags.slice(0, 255));
    if (r.conflictOf) strings.push(r.conflictOf);
    if (r.folder) strings.push(r.folder);
  }
  const blob = enc.encode(strings.join(""));
  const size = HEAD + rows.length * ROW + removed.length * 16 + strings.length * 4 + blob.length;
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  out[0] = FORMAT;
  dv.setUint32(1, rows.length);
  dv.setUint32(5, removed.length);
  dv.setUint32(9, strings.length);
  dv.setUint32(13, blob.length);
  let o = HEAD;
  for (const r of rows) {
    out[o] = typeCode.get(r.type) ?? 0;
    out[o + 1] = (r.favorite ? 1 : 0) | (r.trashed ? 2 : 0) | (r.conflictOf ? 4 : 0) | (r.folder ? 8 : 0);
    out[o + 2] = Math.min(r.urls.length, 255);
    out[o + 3] = Math.min(r.tags.length, 255);
    dv.setUint32(o + 4, r.rev);
    dv.setFloat64(o + 8, r.updatedAt);
    o += ROW;
  }
  for (const id of removed) {
    out.set(uuidToBytes(id), o);
    o += 16;
  }
  for (const s of strings) {
    dv.setUint32(o, s.length);
    o += 4;
  }
  out.set(blob, o);
  return out;
}

/** A checked segment whose rows are built only when asked for: opening 100,000 rows then costs the decrypt,
 * one text decode and one pass over the length table, and no per-row objects (issue 17). */
export interface IndexSegmentView {
  readonly rowCount: number;
  readonly removed: readonly ItemId[];
  /** Builds the rows (fresh objects each call); cannot fail, the whole segment was checked on reading. */
  rows(): IndexRow[];
  /**
   * Builds only the rows whose searchable strings pass `test`; undefined when lower-casing the segment's text
   * would move the strings (rare scripts), and the caller then builds every row.
   */
  rowsWhere(test: RowTextTest): IndexRow[] | undefined;
  /**
   * The rows not in the trash, counted, and the first `n` of them by `compare` on their titles, built alone:
   * what a long list's first screen needs, without an object per row. `newer` gives by id a later version of a
   * row (null: removed), used in its place; the ids it was used for are added to `seen`. Ties keep segment order.
   */
  headByTitle(
    n: number,
    compare: (a: string, b: string) => number,
    newer?: ReadonlyMap<string, IndexRow | null>,
    seen?: Set<string>,
  ): ListHead;
}

/** A list's length and its first rows in order (see IndexSegmentView.headByTitle). */
export interface ListHead {
  count: number;
  head: IndexRow[];
}

/**
 * A cheap first sieve over a row's searchable strings: title, subtitle, urls, tags, string k being
 * `text.slice(at[k], at[k + 1])` for k < n — given as offsets so that no string is made for a row that fails.
 * `text` is lower-cased except for ASCII capitals, which the test folds itself (A–Z to a–z): an ASCII-only
 * segment is then searched without lower-casing megabytes of text.
 */
export type RowTextTest = (text: string, at: readonly number[], n: number) => boolean;

const NONE: readonly string[] = Object.freeze([]);

/**
 * Checks a segment's structure completely (counts, types, string lengths, UTF-8) without building its rows.
 * The view keeps the decoded text and a copy of the fixed-size tables, never `bytes`: the caller may hand
 * those away (a worker transfers them to its page) or let them go. `checkedElsewhere`: these very bytes are
 * checked by whoever sent them, whose verdict the caller awaits before using the view: only the text and the
 * overall sizes are read here (a damaged segment may then throw any error, or give wrong rows, until refused).
 */
export function readIndexSegment(bytes: Uint8Array, checkedElsewhere = false): IndexSegmentView {
  if (bytes.length < HEAD || bytes[0] !== FORMAT) throw new CryptexError("unsupported_format", "unsupported vault index format");
  let dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const nRows = dv.getUint32(1);
  const nRemoved = dv.getUint32(5);
  const nStrings = dv.getUint32(9);
  const blobLen = dv.getUint32(13);
  const lensAt = HEAD + nRows * ROW + nRemoved * 16;
  const blobAt = lensAt + nStrings * 4;
  if (blobAt + blobLen !== bytes.length) damaged();
  let text: string;
  try {
    text = dec.decode(bytes.subarray(blobAt));
  } catch {
    damaged();
  }
  if (!checkedElsewhere) {
    let wanted = 0;
    for (let i = 0, o = HEAD; i < nRows; i++, o += ROW) {
      if (bytes[o]! >= ITEM_TYPES.length) damaged();
      const flags = bytes[o + 1]!;
      wanted += 3 + bytes[o + 2]! + bytes[o + 3]! + ((flags >> 2) & 1) + ((flags >> 3) & 1);
    }
    if (wanted !== nStrings) damaged();
    let total = 0;
    for (let i = 0, o = lensAt; i < nStrings; i++, o += 4) total += dv.getUint32(o);
    if (total !== text.length) damaged();
  }
  const removed: ItemId[] = [];
  for (let i = 0, o = HEAD + nRows * ROW; i < nRemoved; i++, o += 16) removed.push(bytesToUuid(bytes.subarray(o, o + 16)) as ItemId);
  dv = new DataView(bytes.slice(0, blobAt).buffer); // the tables alone (the blob is in `text`)
  return {
    rowCount: nRows,
    removed,
    rows: () => buildRows(dv, text, nRows, lensAt),
    rowsWhere: (test) => buildRowsWhere(dv, text, nRows, lensAt, test),
    headByTitle: (n, compare, newer, seen) => headByTitle(dv, text, nRows, lensAt, n, compare, newer, seen),
  };
}

/** One pass over the row records and string lengths; only titles are sliced (and ids when `newer` is given). */
function headByTitle(
  dv: DataView,
  text: string,
  nRows: number,
  lensAt: number,
  n: number,
  compare: (a: string, b: string) => number,
  newer: ReadonlyMap<string, IndexRow | null> | undefined,
  seen: Set<string> | undefined,
): ListHead {
  // candidates in order, at most n: a title and where its row is (or the newer row itself)
  const titles: string[] = [];
  const at: (IndexRow | readonly [number, number, number])[] = [];
  let count = 0;
  let lenAt = lensAt;
  let pos = 0;
  for (let i = 0, o = HEAD; i < nRows; i++, o += ROW) {
    const flags = dv.getUint8(o + 1);
    const strings = 3 + dv.getUint8(o + 2) + dv.getUint8(o + 3) + ((flags >> 2) & 1) + ((flags >> 3) & 1);
    const idLen = dv.getUint32(lenAt);
    let title: string | undefined;
    let row: IndexRow | undefined;
    let live = (flags & 2) === 0;
    if (newer) {
      const id = text.slice(pos, pos + idLen);
      const r = newer.get(id);
      if (r !== undefined) {
        seen?.add(id);
        live = r !== null && !r.trashed;
        if (r) {
          row = r;
          title = r.title;
        }
      }
    }
    if (live) {
      count++;
      title ??= text.slice(pos + idLen, pos + idLen + dv.getUint32(lenAt + 4));
      if (titles.length < n || (n > 0 && compare(title, titles[n - 1]!) < 0)) {
        let k = titles.length;
        while (k > 0 && compare(title, titles[k - 1]!) < 0) k--;
        titles.splice(k, 0, title);
        at.splice(k, 0, row ?? [lenAt, pos, o]);
        if (titles.length > n) {
          titles.pop();
          at.pop();
        }
      }
    }
    for (let k = 0; k < strings; k++) pos += dv.getUint32(lenAt + k * 4);
    lenAt += strings * 4;
  }
  const head = at.map((x) => ("id" in x ? x : buildRows(dv, text, 1, x[0], x[1], x[2])[0]!));
  return { count, head };
}

function buildRowsWhere(dv: DataView, text: string, nRows: number, lensAt: number, test: RowTextTest): IndexRow[] | undefined {
  // all ASCII when every UTF-8 byte made one character; otherwise lower-case it, unless that would move the spans
  // (a length change) or lower-case differently from one field alone (final sigma depends on the next letter)
  const ascii = text.length === dv.getUint32(13);
  const lower = ascii ? text : text.toLowerCase();
  if (!ascii && (lower.length !== text.length || text.includes("\u03a3"))) return undefined;
  const out: IndexRow[] = [];
  const at: number[] = [];
  let lenAt = lensAt;
  let pos = 0;
  for (let i = 0, o = HEAD; i < nRows; i++, o += ROW) {
    const flags = dv.getUint8(o + 1);
    const searched = 2 + dv.getUint8(o + 2) + dv.getUint8(o + 3);
    const count = 1 + searched + ((flags >> 2) & 1) + ((flags >> 3) & 1);
    let end = pos + dv.getUint32(lenAt); // after the id, which search does not look at
    for (let k = 0; k < searched; k++) {
      at[k] = end;
      end += dv.getUint32(lenAt + 4 + k * 4);
    }
    at[searched] = end;
    if (test(lower, at, searched)) out.push(buildRows(dv, text, 1, lenAt, pos, o)[0]!);
    for (let k = searched + 1; k < count; k++) end += dv.getUint32(lenAt + k * 4);
    lenAt += count * 4;
    pos = end;
  }
  return out;
}

function buildRows(dv: DataView, text: string, nRows: number, lensAt: number, textAt = 0, rowAt = HEAD): IndexRow[] {
  let lenAt = lensAt;
  let pos = textAt;
  const next = (): string => {
    const n = dv.getUint32(lenAt);
    lenAt += 4;
    const s = text.slice(pos, pos + n);
    pos += n;
    return s;
  };
  const rows: IndexRow[] = new Array(nRows);
  for (let i = 0, o = rowAt; i < nRows; i++, o += ROW) {
    const type = ITEM_TYPES[dv.getUint8(o)]!;
    const flags = dv.getUint8(o + 1);
    const id = next() as ItemId;
    const title = next();
    const subtitle = next();
    let nu = dv.getUint8(o + 2);
    let urls = NONE;
    if (nu > 0) for (urls = []; nu > 0; nu--) (urls as string[]).push(next());
    let nt = dv.getUint8(o + 3);
    let tags = NONE;
    if (nt > 0) for (tags = []; nt > 0; nt--) (tags as string[]).push(next());
    const row: { -readonly [K in keyof IndexRow]: IndexRow[K] } = {
      id,
      type,
      title,
      subtitle,
      urls,
      tags,
      favorite: (flags & 1) !== 0,
      trashed: (flags & 2) !== 0,
      rev: dv.getUint32(o + 4),
      updatedAt: dv.getFloat64(o + 8),
    };
    if (flags & 4) row.conflictOf = next() as ItemId;
    if (flags & 8) row.folder = next();
    rows[i] = row;
  }
  return rows;
}

export function decodeIndexSegment(bytes: Uint8Array): { rows: IndexRow[]; removed: ItemId[] } {
  const view = readIndexSegment(bytes);
  return { rows: view.rows(), removed: [...view.removed] };
}
