// Test double of a misbehaving sync service: one shared folder, and per device a view of it that a
// sync client fills late and badly — delays, conflict-copy duplicates under Dropbox and Syncthing names,
// files cut short then completed, iCloud ".NAME.icloud" stubs, EBUSY, foreign files, a file dropped for
// good, one device's files rolled back to an older copy. Own writes are visible at once.
import type { BlobRead, BlobStore } from "./blob-store.ts";

/** Every file ever written, in order: what a rollback restores from. */
export class SharedFolder {
  readonly files = new Map<string, Uint8Array>();
  readonly history: { path: string; bytes: Uint8Array }[] = [];
  /** when each file was written, by the test's clock */
  readonly born = new Map<string, number>();
  /** the test's clock: a sync client delivers every file within `maxLag` of it */
  clock = 0;
}

export interface Faults {
  /** chance that a file is not delivered in one round */
  readonly delay?: number;
  /** a file older than this (folder clock) is always delivered: the client is slow, not broken */
  readonly maxLag?: number;
  /** chance that a delivered file also appears under a conflict-copy name */
  readonly duplicate?: number;
  /** chance that a file first reads cut short */
  readonly truncate?: number;
  /** chance that a file arrives as an evicted iCloud stub */
  readonly stub?: number;
  /** chance that the first read fails with EBUSY */
  readonly busy?: number;
}

type Phase = "ok" | "partial" | "stub" | "busy";

/** A small seeded PRNG (mulberry32): fault patterns replay from a seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FOREIGN = ["desktop.ini", "log/desktop.ini", ".DS_Store", "log/.DS_Store", "tmp/x.part", "README.txt"];

export class HostileBlobStore implements BlobStore {
  private readonly view = new Map<string, { bytes: Uint8Array; phase: Phase }>();
  private readonly dropped = new Set<string>();
  /** device id → history length its files are frozen at (a rollback) */
  private readonly frozen = new Map<string, number>();
  private readonly folder: SharedFolder;
  private readonly faults: Faults;
  private readonly random: () => number;
  private dupCount = 0;

  constructor(folder: SharedFolder, faults: Faults = {}, random: () => number = Math.random) {
    this.folder = folder;
    this.faults = faults;
    this.random = random;
  }

  private chance(p: number | undefined): boolean {
    return p !== undefined && p > 0 && this.random() < p;
  }

  private deviceOf(path: string): string | undefined {
    return /^(?:log|snap|mf)\/([^/]+)\//.exec(path)?.[1];
  }

  /** One round of the sync client: new files arrive (maybe badly), removed ones go. */
  deliver(opts: { settle?: boolean } = {}): void {
    for (const [path, bytes] of this.folder.files) {
      if (this.view.has(path) || this.dropped.has(path)) continue;
      const d = this.deviceOf(path);
      if (d && this.frozen.has(d)) continue;
      const late = this.folder.clock - (this.folder.born.get(path) ?? 0) >= (this.faults.maxLag ?? Number.POSITIVE_INFINITY);
      if (!opts.settle && !late && this.chance(this.faults.delay)) continue;
      let phase: Phase = "ok";
      if (!opts.settle) {
        if (this.chance(this.faults.stub)) phase = "stub";
        else if (this.chance(this.faults.truncate)) phase = "partial";
        else if (this.chance(this.faults.busy)) phase = "busy";
      }
      this.view.set(path, { bytes, phase });
      if (!opts.settle && this.chance(this.faults.duplicate)) this.duplicate(path, bytes);
    }
    for (const path of [...this.view.keys()]) {
      const d = this.deviceOf(path);
      if (d && this.frozen.has(d)) continue;
      if (!this.folder.files.has(path) && !this.isAlias(path)) this.view.delete(path);
    }
    if (opts.settle) for (const v of this.view.values()) v.phase = "ok";
  }

  private isAlias(path: string): boolean {
    return path.includes("conflicted copy") || path.includes(".sync-conflict-");
  }

  /** Adds a conflict-copy duplicate of a file, as Dropbox or Syncthing name them. */
  duplicate(path: string, bytes: Uint8Array): string {
    const n = this.dupCount++;
    const dot = path.lastIndexOf(".");
    const alias =
      n % 2 === 0
        ? `${path.slice(0, dot)} (conflicted copy 2026-11-${String(10 + (n % 18)).padStart(2, "0")}).${path.slice(dot + 1)}`
        : `${path}.sync-conflict-20261130-1200${String(n % 60).padStart(2, "0")}-ABCDEFG`;
    this.view.set(alias, { bytes, phase: "ok" });
    return alias;
  }

  /** This file never reaches this device (a sync client that lost it, or a provider withholding it). */
  drop(path: string): void {
    this.dropped.add(path);
    this.view.delete(path);
  }

  /** Restores one device's files to what they were when the shared history had `at` entries. */
  rollBack(deviceId: string, at: number): void {
    for (const path of [...this.view.keys()]) if (this.deviceOf(path) === deviceId) this.view.delete(path);
    for (const { path, bytes } of this.folder.history.slice(0, at))
      if (this.deviceOf(path) === deviceId) this.view.set(path, { bytes, phase: "ok" });
    this.frozen.set(deviceId, at);
  }

  async list(prefix: string): Promise<string[]> {
    const out: string[] = [];
    for (const [path, v] of this.view) {
      if (!path.startsWith(prefix)) continue;
      const slash = path.lastIndexOf("/");
      out.push(v.phase === "stub" ? `${path.slice(0, slash + 1)}.${path.slice(slash + 1)}.icloud` : path);
    }
    out.push(...FOREIGN.filter((f) => f.startsWith(prefix)));
    return out;
  }

  async get(path: string): Promise<BlobRead> {
    if (FOREIGN.includes(path)) return { kind: "ok", bytes: new Uint8Array([0x5b, 0x2e, 0x5d]) };
    const v = this.view.get(path);
    if (!v) return { kind: "absent" };
    switch (v.phase) {
      case "stub":
        // asking for an evicted file starts its download: it is there on a later round
        v.phase = "ok";
        return { kind: "absent" };
      case "busy":
        v.phase = "ok";
        return { kind: "unavailable", reason: "EBUSY" };
      case "partial":
        v.phase = "ok";
        return { kind: "ok", bytes: v.bytes.slice(0, Math.floor(v.bytes.length / 2)) };
      case "ok":
        return { kind: "ok", bytes: v.bytes };
    }
  }

  async putNew(path: string, bytes: Uint8Array): Promise<"created" | "exists"> {
    if (this.folder.files.has(path) || this.view.has(path)) return "exists";
    const copy = bytes.slice();
    this.folder.files.set(path, copy);
    this.folder.history.push({ path, bytes: copy });
    this.folder.born.set(path, this.folder.clock);
    this.view.set(path, { bytes: copy, phase: "ok" });
    return "created";
  }

  async removeOwn(path: string): Promise<void> {
    this.folder.files.delete(path);
    this.view.delete(path);
  }
}
