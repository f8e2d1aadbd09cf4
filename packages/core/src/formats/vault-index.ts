// The device-local vault index (docs/architecture.md): the list-and-search fields of every item, kept as a few large
// ciphertexts instead of one per item, so unlocking 100,000 items is one bulk decrypt.
// Storage is a log: a snapshot (seq 0) and deltas (seq 1..n) of one generation. A change appends one small
// delta; when the deltas outgrow a quarter of the snapshot the caller compacts into a new generation.
// AAD binds each segment to (account, generation, seq), so segments cannot be reordered or mixed.
import { concat, u32be } from "../encoding/bytes.ts";
import { CryptexError } from "../errors.ts";
import type { AccountKeys } from "../keys/derive.ts";
import type { ItemId } from "../keys/ids.ts";
import { compareTitles } from "../vault/compare-titles.ts";
import { fieldValue, type Item } from "../vault/item.ts";
import { aad } from "./aad.ts";
import { openEnvelope, sealEnvelope } from "./envelope.ts";
import {
  encodeIndexSegment,
  type IndexRow,
  type IndexSegmentView,
  type ListHead,
  type RowTextTest,
  readIndexSegment,
} from "./index-codec.ts";

/** What the list and search need of an item (username/e-mail etc. as `subtitle`); encoded by index-codec.ts. */
export type IndexEntry = IndexRow;

export interface IndexSegment {
  readonly generation: number;
  readonly seq: number;
  readonly bytes: Uint8Array;
}

const SUBTITLE_FIELDS = ["username", "email", "cardholder", "account-holder", "ssid", "member-name", "full-name", "product"];

export function toIndexEntry(item: Item): IndexEntry {
  let subtitle = "";
  for (const name of SUBTITLE_FIELDS) {
    const v = fieldValue(item, name);
    if (v) {
      subtitle = v;
      break;
    }
  }
  return {
    id: item.id,
    type: item.type,
    title: item.title,
    subtitle: subtitle.slice(0, 256),
    urls: item.fields.filter((x) => x.kind === "url" && x.value).map((x) => x.value.slice(0, 2048)),
    tags: item.tags,
    favorite: item.favorite,
    trashed: item.trashedAt !== null,
    updatedAt: item.updatedAt,
    rev: item.rev,
    ...(item.conflictOf ? { conflictOf: item.conflictOf } : {}),
    ...(item.folder ? { folder: item.folder } : {}),
  };
}

/** The entries not in the trash counted, and the first `n` of them by title; ties keep iteration order. */
function headOf(entries: Iterable<IndexEntry>, n: number): ListHead {
  const head: IndexEntry[] = [];
  let count = 0;
  for (const e of entries) {
    if (e.trashed) continue;
    count++;
    if (head.length === n && (n === 0 || compareTitles(e.title, head[n - 1]!.title) >= 0)) continue;
    let k = head.length;
    while (k > 0 && compareTitles(e.title, head[k - 1]!.title) < 0) k--;
    head.splice(k, 0, e);
    if (head.length > n) head.pop();
  }
  return { count, head };
}

const segmentAad = (keys: AccountKeys, generation: number, seq: number) =>
  aad("index", keys.accountId, undefined, concat(u32be(generation), u32be(seq)));

async function sealSegment(
  keys: AccountKeys,
  generation: number,
  seq: number,
  rows: readonly IndexEntry[],
  removed: readonly ItemId[],
): Promise<IndexSegment> {
  return { generation, seq, bytes: await sealEnvelope(keys.index, encodeIndexSegment(rows, removed), segmentAad(keys, generation, seq)) };
}

/** The in-memory index with its log position; `upsert`/`remove` return the delta segment to persist.
 * Opening checks every segment but builds the entry map only on first use of `entries` (issue 17). */
export class VaultIndex {
  #entries: Map<ItemId, IndexEntry> | undefined;
  #pending: readonly IndexSegmentView[];
  /** the opened (plaintext) segments behind #pending, handed once to a keyless mirror without re-encoding */
  #plain: Uint8Array[] = [];
  #watchers = new Set<(upserts: readonly IndexEntry[], removed: readonly ItemId[]) => void>();
  private generation: number;
  private nextSeq: number;
  private snapshotBytes: number;
  private deltaBytes: number;

  private constructor(
    pending: readonly IndexSegmentView[],
    generation: number,
    nextSeq: number,
    snapshotBytes: number,
    deltaBytes: number,
  ) {
    this.#entries = pending.length ? undefined : new Map();
    this.#pending = pending;
    this.generation = generation;
    this.nextSeq = nextSeq;
    this.snapshotBytes = snapshotBytes;
    this.deltaBytes = deltaBytes;
  }

  static empty(): VaultIndex {
    return new VaultIndex([], -1, 0, 0, 0);
  }

  /**
   * Opens a stored log; the segments must be one generation, seq 0..n without gaps. `onDecrypted` gets a copy
   * of the decrypted segments before they are checked (another realm may decode them meanwhile); if the check
   * then fails this throws as without it, and what was handed out must not be used.
   */
  static async open(
    keys: AccountKeys,
    segments: readonly IndexSegment[],
    onDecrypted?: (plain: Uint8Array[]) => void,
  ): Promise<VaultIndex> {
    if (segments.length === 0) return VaultIndex.empty();
    const sorted = [...segments].sort((a, b) => a.seq - b.seq);
    const generation = sorted[0]!.generation;
    const plain: Uint8Array[] = [];
    let deltaBytes = 0;
    for (let i = 0; i < sorted.length; i++) {
      const s = sorted[i]!;
      if (s.generation !== generation || s.seq !== i) throw new CryptexError("tampered", "vault index segments are out of order");
      plain.push(await openEnvelope(keys.index, s.bytes, segmentAad(keys, generation, s.seq)));
      if (i > 0) deltaBytes += s.bytes.length;
    }
    onDecrypted?.(plain.map((b) => b.slice()));
    const views = plain.map((b) => readIndexSegment(b));
    const index = new VaultIndex(views, generation, sorted.length, sorted[0]!.bytes.length, deltaBytes);
    index.#plain = plain;
    return index;
  }

  /**
   * A keyless copy of the list for another realm (the web page, from its worker): made from `plainLog()`,
   * checked like any segment, kept current with `mirror()`. It can list and search but never seal.
   * `checkedElsewhere`: the sender checks these very bytes and the caller awaits its verdict before using the
   * copy (readIndexSegment): decoded only, not checked twice.
   */
  static fromPlain(log: readonly Uint8Array[], opts: { checkedElsewhere?: boolean } = {}): VaultIndex {
    return new VaultIndex(
      log.map((b) => readIndexSegment(b, opts.checkedElsewhere)),
      -1,
      0,
      0,
      0,
    );
  }

  /**
   * The entries as plaintext segments (index-codec.ts) that the caller owns and may transfer: the opened ones,
   * handed over the first time while no entry was built (nothing here reads them again), else one made now.
   */
  plainLog(): Uint8Array[] {
    const plain = this.#plain;
    this.#plain = [];
    if (this.#pending.length && plain.length) return plain;
    return [encodeIndexSegment([...this.entries.values()], [])];
  }

  /** Applies a change seen elsewhere to a copy made by `fromPlain` (nothing is sealed). */
  mirror(upserts: readonly IndexEntry[], removed: readonly ItemId[]): void {
    for (const e of upserts) this.entries.set(e.id, e);
    for (const id of removed) this.entries.delete(id);
  }

  /** Calls `fn` with each change made through `change()`; returns the way to stop. */
  watch(fn: (upserts: readonly IndexEntry[], removed: readonly ItemId[]) => void): () => void {
    this.#watchers.add(fn);
    return () => this.#watchers.delete(fn);
  }

  /** Every entry by id, built from the opened segments the first time it is asked for. */
  get entries(): Map<ItemId, IndexEntry> {
    if (this.#entries) return this.#entries;
    const entries = new Map<ItemId, IndexEntry>();
    for (const view of this.#pending) {
      for (const r of view.rows()) entries.set(r.id, r);
      for (const id of view.removed) entries.delete(id);
    }
    this.#pending = [];
    this.#plain = [];
    this.#entries = entries;
    return entries;
  }

  /**
   * How many entries are not in the trash, and the first `n` of them by title (compareTitles): a long list's
   * first screen. While the entries are not built it builds only those `n`, reading titles from the opened
   * segments; entries changed since the snapshot are taken at their place in it, new ones after it.
   */
  listHead(n: number): ListHead {
    const [snap, ...later] = this.#pending;
    if (!snap) return headOf(this.entries.values(), n);
    const newer = new Map<string, IndexEntry | null>();
    for (const id of snap.removed) newer.set(id, null);
    for (const view of later) {
      for (const r of view.rows()) newer.set(r.id, r);
      for (const id of view.removed) newer.set(id, null);
    }
    const seen = new Set<string>();
    const first = snap.headByTitle(n, compareTitles, newer.size ? newer : undefined, seen);
    if (seen.size === newer.size) return first;
    const rest = headOf(
      (function* () {
        for (const [id, r] of newer) if (r && !seen.has(id)) yield r;
      })(),
      n,
    );
    const head = [...first.head];
    for (const e of rest.head) {
      let k = head.length;
      while (k > 0 && compareTitles(e.title, head[k - 1]!.title) < 0) k--;
      head.splice(k, 0, e);
    }
    return { count: first.count + rest.count, head: head.slice(0, n) };
  }

  /**
   * A superset of the entries whose strings pass `test` (see RowTextTest), building only those when the entries
   * were not built yet: a search over 100,000 entries then makes objects for its candidates alone. Order: the
   * snapshot's, then entries changed since; the caller ranks them anyway.
   */
  entriesWhere(test: RowTextTest): IndexEntry[] {
    const [snap, ...later] = this.#pending;
    if (!snap) return [...this.entries.values()];
    const latest = new Map<ItemId, IndexEntry | null>();
    for (const view of later) {
      for (const r of view.rows()) latest.set(r.id, r);
      for (const id of view.removed) latest.set(id, null);
    }
    const fromSnap = snap.rowsWhere(test);
    if (!fromSnap) return [...this.entries.values()];
    const out = latest.size ? fromSnap.filter((r) => !latest.has(r.id)) : fromSnap;
    for (const r of latest.values()) {
      if (!r) continue;
      const fields = [r.title, r.subtitle, ...r.urls, ...r.tags].map((x) => x.toLowerCase());
      const at = [0];
      for (const x of fields) at.push(at[at.length - 1]! + x.length);
      if (test(fields.join(""), at, fields.length)) out.push(r);
    }
    return out;
  }

  get position(): { generation: number; nextSeq: number } {
    return { generation: this.generation, nextSeq: this.nextSeq };
  }

  /** True when the caller should replace the log by `snapshot()`. */
  get shouldCompact(): boolean {
    return this.generation < 0 || this.deltaBytes > Math.max(64 * 1024, this.snapshotBytes / 4);
  }

  async snapshot(keys: AccountKeys): Promise<IndexSegment> {
    this.generation += 1;
    const seg = await sealSegment(keys, this.generation, 0, [...this.entries.values()], []);
    this.nextSeq = 1;
    this.snapshotBytes = seg.bytes.length;
    this.deltaBytes = 0;
    return seg;
  }

  async change(keys: AccountKeys, upserts: readonly IndexEntry[], removed: readonly ItemId[]): Promise<IndexSegment> {
    if (this.generation < 0) throw new Error("snapshot() before the first change");
    for (const e of upserts) this.entries.set(e.id, e);
    for (const id of removed) this.entries.delete(id);
    const seg = await sealSegment(keys, this.generation, this.nextSeq, upserts, removed);
    for (const fn of this.#watchers) fn(upserts, removed);
    this.nextSeq += 1;
    this.deltaBytes += seg.bytes.length;
    return seg;
  }
}
