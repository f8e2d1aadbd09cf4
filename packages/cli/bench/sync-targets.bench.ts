// Folder log target (issue 13), on a real folder: with 100,000 items, (1) a sync that finds one new
// change reads only the new files and takes < 50 ms after the listing; (2) a fresh device's full pull
// stays within 3x of reading the same files and decrypting the same bytes with raw node:crypto;
// (3) one year at 50 edits a day, with monthly compaction and a 30-day grace, keeps the folder under
// 2x the size of one snapshot. Each figure is printed with its target and "met" / "NOT met".
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freshAccountKeys } from "@cryptex/core/formats/test-keys.ts";
import { newUuid } from "@cryptex/core/ids.ts";
import type { BlobRead, BlobStore } from "@cryptex/core/sync/log/blob-store.ts";
import { LogReplica } from "@cryptex/core/sync/log/log-replica.ts";
import { createItem, editItem, type Item } from "@cryptex/core/vault/item.ts";
import { FolderStore } from "../src/sync-targets/folder-store.ts";

const N = Number(process.env.BENCH_LOG_ITEMS ?? 100_000);
const f = (x: number, d = 1) => x.toFixed(d);
const verdict = (ok: boolean) => (ok ? "met" : "NOT met");
const root = mkdtempSync(join(tmpdir(), "cryptex-logbench-"));

/** Counts what a sync reads, to show it reads only what is new. */
class Counting implements BlobStore {
  files = 0;
  bytes = 0;
  listMs = 0;
  private readonly inner: BlobStore;
  constructor(inner: BlobStore) {
    this.inner = inner;
  }
  async list(prefix: string) {
    const t = performance.now();
    const out = await this.inner.list(prefix);
    this.listMs += performance.now() - t;
    return out;
  }
  async get(path: string): Promise<BlobRead> {
    const r = await this.inner.get(path);
    if (r.kind === "ok") {
      this.files++;
      this.bytes += r.bytes.length;
    }
    return r;
  }
  putNew(path: string, bytes: Uint8Array) {
    return this.inner.putNew(path, bytes);
  }
  removeOwn(path: string) {
    return this.inner.removeOwn(path);
  }
}

const item = (i: number): Item =>
  createItem({
    type: "login",
    title: `Site ${i}`,
    fields: { username: `user${i}@example.com`, password: randomBytes(18).toString("base64"), url: `https://s${i}.example.com` },
  });

// ---- setup: device A writes N items into the folder ----
const keys = await freshAccountKeys();
const folder = join(root, "folder");
const a = new LogReplica(keys, newUuid());
for (let i = 0; i < N; i++) await a.save(item(i));
await a.sync(new FolderStore(folder));

// ---- 2. fresh device, full pull ----
const fresh = new Counting(new FolderStore(folder));
const b = new LogReplica(keys, newUuid());
let t0 = performance.now();
await b.sync(fresh);
const pullMs = performance.now() - t0;
if (b.items().size !== N) throw new Error(`pulled ${b.items().size} of ${N}`);
// raw: read the same files and decrypt the same bytes with node:crypto — each file once (the outer
// layer), then each item envelope inside it (N AES-256-GCM operations, as the pull makes)
const paths = (await new FolderStore(folder).list("")).filter((p) => !p.startsWith("tmp/"));
const rawKey = randomBytes(32);
const gcm = (bytes: Uint8Array) => {
  const iv = randomBytes(12);
  const c = createCipheriv("aes-256-gcm", rawKey, iv);
  return { iv, ct: Buffer.concat([c.update(bytes), c.final()]), tag: c.getAuthTag() };
};
const open = (s: { iv: Buffer; ct: Buffer; tag: Buffer }) => {
  const d = createDecipheriv("aes-256-gcm", rawKey, s.iv);
  d.setAuthTag(s.tag);
  return Buffer.concat([d.update(s.ct), d.final()]);
};
const outer = paths.map((p) => gcm(readFileSync(join(folder, p))));
const envelopeBytes = Math.round(fresh.bytes / N);
const inner = Array.from({ length: N }, () => gcm(randomBytes(envelopeBytes)));
t0 = performance.now();
for (const [i, p] of paths.entries()) {
  readFileSync(join(folder, p));
  open(outer[i]!);
}
for (const s of inner) open(s);
const rawMs = performance.now() - t0;
console.log(`fresh device, full pull of ${N} items (${f(fresh.bytes / 2 ** 20)} MiB in ${fresh.files} files): ${f(pullMs)} ms`);
console.log(
  `  raw limit: read the same files, node:crypto AES-256-GCM on each file and each item: ${f(rawMs)} ms -> ratio ${f(pullMs / rawMs, 2)}x (target <= 3x: ${verdict(pullMs / rawMs <= 3)})`,
);

// ---- 1. one new change ----
const edited = [...a.items().values()][0]!;
await a.save(editItem(edited, { notes: "one change" }));
await a.sync(new FolderStore(folder));
const one = new Counting(new FolderStore(folder));
(globalThis as { gc?: () => void }).gc?.();
t0 = performance.now();
const r = await b.sync(one);
const oneMs = performance.now() - t0;
if (r.pulled !== 1 || b.items().get(edited.id)?.notes !== "one change") throw new Error("the change did not arrive");
const afterList = oneMs - one.listMs;
console.log(
  `\nsync finding one new change in ${N} items: ${f(oneMs)} ms total, listing ${f(one.listMs)} ms, after the listing ${f(afterList)} ms (target < 50 ms: ${verdict(afterList < 50)})`,
);
console.log(`  read ${one.files} files, ${one.bytes} bytes (the new segment and the new manifest)`);

// ---- 3. one year at 50 edits a day ----
const Y = Number(process.env.BENCH_LOG_YEAR_ITEMS ?? 10_000);
const yearDir = join(root, "year");
let now = 0;
const DAY = 86_400_000;
const y = new LogReplica(keys, newUuid(), { now: () => now, graceMs: 30 * DAY });
const store = new FolderStore(yearDir);
const ids: Item[] = [];
for (let i = 0; i < Y; i++) {
  const it = item(i);
  ids.push(it);
  await y.save(it);
}
await y.sync(store);
let snapBytes = 0;
for (let day = 1; day <= 365; day++) {
  now = day * DAY;
  for (let e = 0; e < 50; e++) {
    const k = (day * 50 + e) % Y;
    const cur = y.items().get(ids[k]!.id)!;
    await y.save(editItem(cur, { notes: `day ${day} edit ${e}` }, now));
  }
  await y.sync(store);
  if (day % 30 === 0) {
    const { snapshot } = await y.compact(store);
    snapBytes = statSync(join(yearDir, snapshot)).size;
  }
}
const total = (await store.list("")).filter((p) => !p.startsWith("tmp/")).reduce((s, p) => s + statSync(join(yearDir, p)).size, 0);
console.log(
  `\none year at 50 edits a day on ${Y} items (snapshot monthly, 30-day grace): folder ${f(total / 2 ** 20, 2)} MiB, one snapshot ${f(snapBytes / 2 ** 20, 2)} MiB -> ${f(total / snapBytes, 2)}x (target < 2x: ${verdict(total / snapBytes < 2)})`,
);

rmSync(root, { recursive: true, force: true });
