// The log driver: one device's replica of an account synced through a blob store (a folder a sync
// client replicates, WebDAV). Push writes one new immutable segment of this device; pull reads the
// new segments of the others, in any order, and merges through log-merge.ts. Nothing is ever deleted
// because a file is missing, damaged, duplicated or evicted: those are files in transit, retried on
// the next sync. Signed per-device manifests report a device's files rolled back or withheld.
import { randomBytes } from "../../crypto/random.ts";
import { toHex } from "../../encoding/bytes.ts";
import { CryptexError, isCryptexError } from "../../errors.ts";
import { encryptItem } from "../../formats/item-envelope.ts";
import type { AccountKeys } from "../../keys/derive.ts";
import type { ItemId } from "../../keys/ids.ts";
import type { Item } from "../../vault/item.ts";
import { encryptTombstone, type Opened, openedRev, openItemOrTombstone } from "../tombstone.ts";
import { type BlobStore, type LogName, logPath, parseLogPath } from "./blob-store.ts";
import { mergeHeads } from "./log-merge.ts";
import { decodeReplicaState, encodeReplicaState } from "./replica-state.ts";
import { type LogVersion, openSegment, type SegmentBody, sealSegment, versionTag } from "./segment.ts";
import { VersionGraph } from "./version-graph.ts";

export interface LogReport {
  pulled: number;
  pushed: number;
  /** files seen but not readable yet (evicted, locked, partial): retried next time, never deletions */
  unavailable: string[];
  /** segments a device's manifest lists that are not here (withheld, or still in transit) */
  missing: { deviceId: string; seq: number }[];
  /** a device's manifest went back, or vanished after being seen */
  rollbacks: { deviceId: string; reason: "older_manifest" | "manifest_withheld" | "own_files_rolled_back" }[];
  /** devices that left an authentic "moved" marker here: the account syncs another way now */
  moved: string[];
  /** versions inside authentic segments that do not open: kept out of the vault */
  quarantined: { id: string; deviceId: string; reason: string }[];
}

interface ReadState {
  /** every seq at or below is read (or covered by a snapshot) */
  floor: number;
  readonly seqs: Set<number>;
}

export interface LogReplicaOptions {
  /** the clock, used only for the compaction grace period */
  readonly now?: () => number;
  /** own segments stay this long after the snapshot that covers them (sync clients may still be copying) */
  readonly graceMs?: number;
}

const DAY = 86_400_000;
const MAX_SEGMENT_VERSIONS = 5_000;
const OPEN_BATCH = 512;

export class LogReplica {
  private readonly graph = new VersionGraph();
  private readonly read = new Map<string, ReadState>();
  private readonly manifestsSeen = new Map<string, number>();
  /** per other device, how far its newest readable manifest says it has read each device (this sync only) */
  private readonly acks = new Map<string, ReadonlyMap<string, number>>();
  /** the read vector this device's last manifest carried: a new manifest goes out when it moves */
  private ackedVector = "";
  private pending: LogVersion[] = [];
  /** items whose versions changed since the last takeChanged() */
  private changed = new Set<ItemId>();
  private seq = 0;
  private counter = 0;
  private snapshots: { seq: number; at: number }[] = [];
  private manifests: { counter: number; at: number }[] = [];
  private readonly now: () => number;
  private readonly graceMs: number;

  readonly keys: AccountKeys;
  readonly deviceId: string;

  constructor(keys: AccountKeys, deviceId: string, opts: LogReplicaOptions = {}) {
    this.keys = keys;
    this.deviceId = deviceId;
    this.now = opts.now ?? Date.now;
    this.graceMs = opts.graceMs ?? 30 * DAY;
  }

  /** The vault as merged: winners and conflict copies, without deleted items. */
  items(): Map<ItemId, Item> {
    const out = new Map<ItemId, Item>();
    const derived: Item[] = [];
    for (const id of this.graph.ids()) {
      const heads = this.graph.heads(id);
      if (heads.length === 0) continue;
      const m = mergeHeads(this.keys, id, heads);
      if (m.kind === "deleted") continue;
      out.set(id, m.item);
      derived.push(...m.copies);
    }
    // a derived copy shows until a version of it is published (an edit or a delete of the copy)
    for (const c of derived) if (!this.graph.has(c.id)) out.set(c.id, c);
    return out;
  }

  /** The ids whose versions changed (pulled or saved) since the last call. */
  takeChanged(): Set<ItemId> {
    const out = this.changed;
    this.changed = new Set();
    return out;
  }

  /** The envelope that stands for an item now: its winning version, or its tombstone when deleted. */
  current(id: ItemId): { kind: "item"; data: Uint8Array } | { kind: "deleted"; data: Uint8Array; rev: number } | undefined {
    const heads = this.graph.heads(id);
    if (heads.length === 0) return undefined;
    const m = mergeHeads(this.keys, id, heads);
    if (m.kind === "item") return { kind: "item", data: heads.find((h) => h.tag === m.tag)!.version.data };
    const tomb = heads.find((h) => h.opened.kind === "tombstone" && h.opened.rev === m.rev)!;
    return { kind: "deleted", data: tomb.version.data, rev: m.rev };
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  /** Saves a new or edited item: a version based on every current head, so it resolves any conflict. */
  async save(item: Item): Promise<void> {
    const heads = this.graph.heads(item.id);
    const rev = Math.max(item.rev, ...heads.map((h) => openedRev(h.opened) + 1));
    // the values a conflict was showing are kept as real items before the edit replaces them
    if (heads.length > 1) {
      const m = mergeHeads(this.keys, item.id, heads);
      if (m.kind === "item") for (const c of m.copies) if (!this.graph.has(c.id)) await this.publishLocal(c, []);
    }
    await this.publishLocal(
      { ...item, rev },
      heads.map((h) => h.tag),
    );
  }

  /** Deletes an item for good: an encrypted tombstone above every version seen. */
  async remove(id: ItemId): Promise<void> {
    const heads = this.graph.heads(id);
    if (heads.length === 0) {
      // a conflict copy shown but never published: its delete is the copy's first version
      if (!this.items().has(id)) throw new CryptexError("invalid_input", "no such item");
      this.addLocal({ id, data: await encryptTombstone(this.keys, id, 2), bases: [] }, { kind: "tombstone", rev: 2 });
      return;
    }
    if (heads.length > 1) {
      const m = mergeHeads(this.keys, id, heads);
      if (m.kind === "item") for (const c of m.copies) if (!this.graph.has(c.id)) await this.publishLocal(c, []);
    }
    const rev = Math.max(...heads.map((h) => openedRev(h.opened))) + 1;
    const data = await encryptTombstone(this.keys, id, rev);
    this.addLocal({ id, data, bases: heads.map((h) => h.tag) }, { kind: "tombstone", rev });
  }

  private async publishLocal(item: Item, bases: Uint8Array[]): Promise<void> {
    this.addLocal({ id: item.id, data: await encryptItem(this.keys, item), bases }, { kind: "item", item });
  }

  private addLocal(version: LogVersion, opened: Opened): void {
    this.graph.add({ version, tag: versionTag(version.data), opened });
    this.changed.add(version.id);
    this.pending.push(version);
  }

  /**
   * Pull the other devices' new files, then push this device's pending versions and manifest. With
   * `acknowledge`, a sync that only read something new publishes a manifest too, saying how far it read
   * (another device waits for that before it removes an attachment blob); without, that costs nothing.
   */
  async sync(store: BlobStore, opts: { acknowledge?: boolean } = {}): Promise<LogReport> {
    const report: LogReport = { pulled: 0, pushed: 0, unavailable: [], missing: [], rollbacks: [], moved: [], quarantined: [] };
    const names = (await store.list("")).flatMap((p) => parseLogPath(p) ?? []);
    await this.pull(store, names, report);
    // our own files went back to an older copy: what they held is published again, as one snapshot
    // that the other devices read to fill the gap
    const republish = report.rollbacks.some((r) => r.deviceId === this.deviceId);
    if (republish) await this.writeSnapshot(store);
    await this.push(store, names, report, republish, opts.acknowledge === true);
    return report;
  }

  private readState(deviceId: string): ReadState {
    let r = this.read.get(deviceId);
    if (!r) {
      r = { floor: 0, seqs: new Set() };
      this.read.set(deviceId, r);
    }
    return r;
  }

  private isRead(deviceId: string, seq: number): boolean {
    const r = this.read.get(deviceId);
    return !!r && (seq <= r.floor || r.seqs.has(seq));
  }

  private markRead(deviceId: string, seq: number): void {
    const r = this.readState(deviceId);
    if (seq <= r.floor) return;
    r.seqs.add(seq);
    while (r.seqs.has(r.floor + 1)) r.seqs.delete(++r.floor);
  }

  private coverTo(deviceId: string, seq: number): void {
    const r = this.readState(deviceId);
    if (seq <= r.floor) return;
    r.floor = seq;
    for (const s of r.seqs) if (s <= seq) r.seqs.delete(s);
    while (r.seqs.has(r.floor + 1)) r.seqs.delete(++r.floor);
  }

  /** Reads one file through every name it goes by (a duplicate may be whole where the original is not). */
  private async readAny(
    store: BlobStore,
    candidates: LogName[],
    report: LogReport,
  ): Promise<{ body: SegmentBody; deviceId: string; seq: number } | undefined> {
    for (const n of candidates) {
      // asking for an evicted file's real name is what makes the provider download it
      const got = await store.get(n.target);
      if (got.kind !== "ok") continue;
      try {
        const { header, body } = await openSegment(this.keys, got.bytes);
        return { body, deviceId: header.deviceId, seq: header.seq };
      } catch (e) {
        if (!isCryptexError(e)) throw e;
      }
    }
    report.unavailable.push(...candidates.map((c) => c.path));
    return undefined;
  }

  private async ingest(versions: readonly LogVersion[], deviceId: string, report: LogReport): Promise<void> {
    // the item envelopes are opened many at a time (WebCrypto runs them off the main thread), then
    // added in file order
    for (let at = 0; at < versions.length; at += OPEN_BATCH) {
      const batch = versions.slice(at, at + OPEN_BATCH);
      const opened = await Promise.all(
        batch.map(async (v): Promise<Opened | string | undefined> => {
          if (this.graph.knows(v.id, versionTag(v.data))) return undefined;
          try {
            return await openItemOrTombstone(this.keys, v.id, v.data);
          } catch (e) {
            if (!isCryptexError(e)) throw e;
            return e.code;
          }
        }),
      );
      for (const [i, v] of batch.entries()) {
        const o = opened[i];
        const tag = versionTag(v.data);
        this.changed.add(v.id);
        if (o === undefined || this.graph.knows(v.id, tag)) {
          // read before (a duplicate, a replay, or our own echo): only what it replaced still counts
          this.graph.supersedeAll(v.id, v.bases);
        } else if (typeof o === "string") report.quarantined.push({ id: v.id, deviceId, reason: o });
        else if (this.graph.add({ version: v, tag, opened: o })) report.pulled++;
      }
    }
  }

  private async pull(store: BlobStore, names: LogName[], report: LogReport): Promise<void> {
    const byDevice = new Map<string, LogName[]>();
    for (const n of names) {
      const list = byDevice.get(n.deviceId) ?? [];
      list.push(n);
      byDevice.set(n.deviceId, list);
    }
    // this device's own files: a newer manifest of ours than the store holds means our files were rolled back
    const ownManifests = (byDevice.get(this.deviceId) ?? []).filter((n) => n.area === "mf");
    if (this.counter > 0 && !ownManifests.some((n) => n.seq >= this.counter))
      report.rollbacks.push({ deviceId: this.deviceId, reason: "own_files_rolled_back" });
    for (const deviceId of new Set([...byDevice.keys(), ...this.manifestsSeen.keys()])) {
      if (deviceId === this.deviceId) continue;
      await this.pullDevice(store, deviceId, byDevice.get(deviceId) ?? [], report);
    }
  }

  private async pullDevice(store: BlobStore, deviceId: string, names: LogName[], report: LogReport): Promise<void> {
    const group = (area: LogName["area"]) => {
      const m = new Map<number, LogName[]>();
      for (const n of names) if (n.area === area) m.set(n.seq, [...(m.get(n.seq) ?? []), n]);
      return new Map([...m].sort(([a], [b]) => b - a));
    };
    // the newest manifest that opens says how far this device has published and what it compacted
    let manifest: { counter: number; published: number; snapshot: number } | undefined;
    const manifests = group("mf");
    this.acks.delete(deviceId);
    for (const [counter, candidates] of manifests) {
      const got = await this.readAny(store, candidates, report);
      if (got?.body.kind === "manifest" && got.deviceId === deviceId && got.seq === counter) {
        manifest = { counter, published: got.body.published, snapshot: got.body.snapshot };
        this.acks.set(deviceId, got.body.read ?? new Map());
        break;
      }
    }
    for (const [, candidates] of group("moved")) {
      const got = await this.readAny(store, candidates, report);
      if (got?.body.kind === "moved" && !report.moved.includes(got.deviceId)) report.moved.push(got.deviceId);
    }
    const seen = this.manifestsSeen.get(deviceId) ?? 0;
    // a manifest listed but not readable yet is in transit; only what is plainly gone or older is reported
    const newestListed = Math.max(0, ...manifests.keys());
    if (manifests.size === 0 && seen > 0) report.rollbacks.push({ deviceId, reason: "manifest_withheld" });
    else if (newestListed < seen) report.rollbacks.push({ deviceId, reason: "older_manifest" });
    if (manifest && manifest.counter > seen) this.manifestsSeen.set(deviceId, manifest.counter);

    const segments = group("log");
    const state = this.readState(deviceId);
    // a gap before the newest snapshot (compacted, or not here yet) is filled from the snapshot
    for (const [snapSeq, candidates] of group("snap")) {
      if (snapSeq <= state.floor) break;
      let gap = false;
      for (let s = state.floor + 1; s <= snapSeq && !gap; s++) gap = !this.isRead(deviceId, s) && !segments.has(s);
      if (!gap) break;
      const got = await this.readAny(store, candidates, report);
      if (got?.body.kind !== "snapshot" || got.deviceId !== deviceId) continue;
      await this.ingest(got.body.versions, deviceId, report);
      for (const [id, tags] of got.body.superseded) this.graph.supersedeAll(id, tags);
      for (const [d, s] of got.body.vector) if (d !== this.deviceId) this.coverTo(d, s);
      this.coverTo(deviceId, snapSeq);
      break;
    }
    for (const [seq, candidates] of [...segments].reverse()) {
      if (this.isRead(deviceId, seq)) continue;
      const got = await this.readAny(store, candidates, report);
      // content is truth: a file that says it is another device's, or another seq, is read as what it is
      if (got?.body.kind !== "segment") continue;
      await this.ingest(got.body.versions, got.deviceId, report);
      this.markRead(got.deviceId, got.seq);
    }
    const r = this.readState(deviceId);
    const highest = Math.max(manifest?.published ?? 0, ...r.seqs);
    for (let s = Math.max(r.floor, manifest?.snapshot ?? 0) + 1; s <= highest; s++)
      if (!this.isRead(deviceId, s)) report.missing.push({ deviceId, seq: s });
  }

  private salt(): string {
    return toHex(randomBytes(4));
  }

  private async putNew(
    store: BlobStore,
    area: "log" | "snap" | "mf" | "moved",
    seq: number,
    bytes: (salt: string) => Promise<Uint8Array>,
  ): Promise<string> {
    for (;;) {
      const salt = this.salt();
      const path = logPath(area, this.deviceId, seq, salt);
      if ((await store.putNew(path, await bytes(salt))) === "created") return path;
    }
  }

  private async push(store: BlobStore, names: LogName[], report: LogReport, force = false, acknowledge = false): Promise<void> {
    // a device restored from a backup must not reuse a seq it already wrote
    for (const n of names) if (n.deviceId === this.deviceId && n.area !== "mf") this.seq = Math.max(this.seq, n.seq);
    // asked to, a device that only read still publishes a manifest when what it read moved: its acknowledgement
    const unacknowledged = acknowledge && this.readVectorKey() !== this.ackedVector;
    if (this.pending.length === 0 && this.counter > 0 && !force && !unacknowledged) return;
    while (this.pending.length > 0) {
      const batch = this.pending.slice(0, MAX_SEGMENT_VERSIONS);
      const seq = ++this.seq;
      await this.putNew(store, "log", seq, (salt) =>
        sealSegment(this.keys, { kind: "segment", deviceId: this.deviceId, seq, salt }, { kind: "segment", versions: batch }),
      );
      this.pending = this.pending.slice(batch.length);
      report.pushed += batch.length;
    }
    await this.publishManifest(store, names);
  }

  private async publishManifest(store: BlobStore, names: readonly LogName[]): Promise<void> {
    for (const n of names) if (n.deviceId === this.deviceId && n.area === "mf") this.counter = Math.max(this.counter, n.seq);
    const counter = ++this.counter;
    const snapshot = this.snapshots.at(-1)?.seq ?? 0;
    const read = this.readVector();
    await this.putNew(store, "mf", counter, (salt) =>
      sealSegment(
        this.keys,
        { kind: "manifest", deviceId: this.deviceId, seq: counter, salt },
        { kind: "manifest", published: this.seq, snapshot, read },
      ),
    );
    this.ackedVector = this.readVectorKey();
    // an older manifest of ours goes once a newer one has had the grace period to reach every device:
    // removed earlier, a slow sync client could deliver the removal before the new file
    this.manifests.push({ counter, at: this.now() });
    const settled = this.manifests.filter((m) => this.now() - m.at >= this.graceMs).at(-1);
    if (settled) {
      for (const n of names) if (n.deviceId === this.deviceId && n.area === "mf" && n.seq < settled.counter) await store.removeOwn(n.path);
      this.manifests = this.manifests.filter((m) => m.counter >= settled.counter);
    }
  }

  /** How far this device has read each other device, contiguously (what its manifest acknowledges). */
  private readVector(): Map<string, number> {
    const out = new Map<string, number>();
    for (const [d, r] of this.read) if (d !== this.deviceId && r.floor > 0) out.set(d, r.floor);
    return out;
  }

  private readVectorKey(): string {
    return [...this.readVector()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([d, s]) => `${d}:${s}`)
      .join(",");
  }

  /**
   * Everything this device has read or written: per device the highest seq it holds (own: the last one it
   * published). Another device that acknowledges all of it has seen every version this device has seen.
   */
  frontier(): Map<string, number> {
    const out = new Map<string, number>();
    for (const [d, r] of this.read) if (d !== this.deviceId) out.set(d, Math.max(r.floor, ...r.seqs));
    out.set(this.deviceId, this.seq);
    return out;
  }

  /** The other devices this replica knows of (files read, or a manifest seen). */
  devices(): string[] {
    return [...new Set([...this.read.keys(), ...this.manifestsSeen.keys()])].filter((d) => d !== this.deviceId);
  }

  /** What the last sync read in each other device's newest manifest: how far it has read each device. */
  acknowledgements(): ReadonlyMap<string, ReadonlyMap<string, number>> {
    return this.acks;
  }

  /** Seals the whole merged state (every head, tombstones included, and the tags they replaced). */
  private async writeSnapshot(store: BlobStore): Promise<{ path: string; seq: number }> {
    const versions: LogVersion[] = [];
    const superseded = new Map<ItemId, Uint8Array[]>();
    for (const id of this.graph.ids()) {
      for (const h of this.graph.heads(id)) versions.push(h.version);
      const old = this.graph.superseded(id);
      if (old.length > 0) superseded.set(id, old);
    }
    const vector = new Map<string, number>();
    for (const [d, r] of this.read) if (r.floor > 0) vector.set(d, r.floor);
    const seq = ++this.seq;
    const path = await this.putNew(store, "snap", seq, (salt) =>
      sealSegment(this.keys, { kind: "snapshot", deviceId: this.deviceId, seq, salt }, { kind: "snapshot", vector, versions, superseded }),
    );
    this.snapshots.push({ seq, at: this.now() });
    return { path, seq };
  }

  /**
   * Leaves a signed "moved" marker in this store: devices still syncing here are told the account
   * syncs another way now. Nothing here is removed: it stays readable for a device that comes back.
   */
  async leaveMovedMarker(store: BlobStore): Promise<string> {
    const names = (await store.list("moved/")).flatMap((p) => parseLogPath(p) ?? []);
    const seq = 1 + Math.max(0, ...names.filter((n) => n.deviceId === this.deviceId).map((n) => n.seq));
    return this.putNew(store, "moved", seq, (salt) =>
      sealSegment(this.keys, { kind: "moved", deviceId: this.deviceId, seq, salt }, { kind: "moved" }),
    );
  }

  /**
   * Writes a snapshot of the whole merged state (tombstones included, and the tags of the versions it
   * replaced) and removes this device's own files that an older snapshot covers once the grace period
   * has passed. Other devices' files are never touched.
   */
  async compact(store: BlobStore): Promise<{ snapshot: string; removed: number }> {
    await this.sync(store);
    const { path: snapshot, seq } = await this.writeSnapshot(store);
    const names = (await store.list("")).flatMap((p) => parseLogPath(p) ?? []);
    await this.publishManifest(store, names);
    // the newest snapshot old enough that every device's sync client has had time to copy it
    const settled = this.snapshots.filter((s) => this.now() - s.at >= this.graceMs).at(-1);
    let removed = 0;
    // an older snapshot goes at once: a device that still needs it waits for the new one, which is
    // already travelling; the segments after it stay until the new snapshot's grace period is over
    for (const n of names)
      if (n.deviceId === this.deviceId && n.area === "snap" && n.seq < seq) {
        await store.removeOwn(n.path);
        removed++;
      }
    if (settled) {
      for (const n of names) {
        if (n.deviceId !== this.deviceId || n.area === "mf") continue;
        if (n.area === "log" && n.seq <= settled.seq) {
          await store.removeOwn(n.path);
          removed++;
        }
      }
      this.snapshots = this.snapshots.filter((s) => s.seq >= settled.seq);
    }
    return { snapshot, removed };
  }

  /**
   * The replica's state for the device's own storage: ciphertexts, tags and counters only (every item
   * value in it is an item envelope, as in the vault). Restored with LogReplica.restore.
   */
  exportState(): Uint8Array {
    return encodeReplicaState({
      deviceId: this.deviceId,
      seq: this.seq,
      counter: this.counter,
      snapshots: this.snapshots,
      manifests: this.manifests,
      manifestsSeen: [...this.manifestsSeen],
      read: [...this.read].map(([d, r]) => [d, r.floor, [...r.seqs]] as const),
      ackedVector: this.ackedVector,
      pending: this.pending,
      graph: this.graph.ids().map((id) => [id, this.graph.heads(id).map((h) => h.version), this.graph.known(id)] as const),
    });
  }

  /** Restores a replica saved with exportState; a damaged state is an `invalid_input` error, never a crash. */
  static async restore(keys: AccountKeys, bytes: Uint8Array, opts: LogReplicaOptions = {}): Promise<LogReplica> {
    const s = decodeReplicaState(bytes);
    const r = new LogReplica(keys, s.deviceId, opts);
    r.seq = s.seq;
    r.counter = s.counter;
    r.snapshots = [...s.snapshots];
    r.manifests = [...s.manifests];
    for (const [d, c] of s.manifestsSeen) r.manifestsSeen.set(d, c);
    for (const [d, floor, seqs] of s.read) r.read.set(d, { floor, seqs: new Set(seqs) });
    r.ackedVector = s.ackedVector ?? "";
    r.pending = [...s.pending];
    for (const [id, heads, known] of s.graph) {
      r.graph.supersedeAll(id, known);
      // heads are opened again: another account's keys, or a changed envelope, fail here
      for (const h of heads) {
        if (h.id !== id) throw new CryptexError("invalid_input", "the saved sync state is damaged");
        r.graph.restoreHead({ version: h, tag: versionTag(h.data), opened: await openItemOrTombstone(keys, id, h.data) });
      }
    }
    return r;
  }
}
