// Attachment through a synced folder (`npm run bench -- attachments-folder`): a 64 MiB file through the CLI's own
// code — seal into the outbox and publish into the folder (header + sealed chunks, temp file then rename); fetch
// from the folder with its size, header and hole checks, then verify and decrypt into a file — against the raw
// limit of this machine measured in the same run: node:crypto AES-256-GCM of the same file into a file copied
// into the folder, and the copy back then decrypted, each written file flushed as the CLI flushes its own. Target: each ≤ 2× raw. Five interleaved rounds; best and
// median reported (the machine is shared).
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import {
  closeSync,
  copyFileSync,
  createReadStream,
  createWriteStream,
  fsyncSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { type AccountId, newAttachment } from "@cryptex/core";
import { FolderStore } from "../src/sync-targets/folder-store.ts";
import { fetchBlob, publishOutbox } from "../src/sync-targets/log-attachments.ts";
import { attachmentDirs, forgetBlob, openToFile, sealToOutbox } from "../src/vault/attachment-files.ts";

const SIZE = 64 * 1024 * 1024;
const ROUNDS = 5;
const verdict = (ok: boolean) => (ok ? "met" : "NOT met");
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

const dir = mkdtempSync(join(tmpdir(), "cryptex-bench-att-folder-"));
const file = join(dir, "file.bin");
{
  const out = createWriteStream(file);
  for (let i = 0; i < SIZE / (4 * 1024 * 1024); i++) out.write(randomBytes(4 * 1024 * 1024));
  await new Promise((r) => out.end(r));
}
/** the CLI flushes what it writes (a crash must not leave a file that looks whole): so does the raw limit */
const flush = (path: string) => {
  const fd = openSync(path, "r+");
  fsyncSync(fd);
  closeSync(fd);
};
const accountId = "7a1c1a5e-0000-4000-8000-00000000000a" as AccountId;
const device = "7a1c1a5e-0000-4000-8000-00000000000b";

async function raw(round: number): Promise<{ up: number; down: number }> {
  const key = randomBytes(32);
  const iv = randomBytes(12);
  const sealed = join(dir, "raw.sealed");
  const shared = join(dir, "shared-raw");
  mkdirSync(shared, { recursive: true });
  let t = performance.now();
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  await pipeline(createReadStream(file), cipher, createWriteStream(sealed));
  const tag = cipher.getAuthTag();
  flush(sealed);
  copyFileSync(sealed, join(shared, `${round}.bin`));
  flush(join(shared, `${round}.bin`));
  const up = performance.now() - t;
  t = performance.now();
  copyFileSync(join(shared, `${round}.bin`), join(dir, "raw.back"));
  flush(join(dir, "raw.back"));
  const decipher = createDecipheriv("aes-256-gcm", key, iv);
  decipher.setAuthTag(tag);
  await pipeline(createReadStream(join(dir, "raw.back")), decipher, createWriteStream(join(dir, "raw.out")));
  flush(join(dir, "raw.out"));
  const down = performance.now() - t;
  rmSync(join(shared, `${round}.bin`));
  return { up, down };
}

async function cli(round: number): Promise<{ up: number; down: number }> {
  const homeA = join(dir, `a-${round}`);
  const homeB = join(dir, `b-${round}`);
  const store = new FolderStore(join(dir, "shared-cli"));
  const a = newAttachment("file.bin", SIZE, "");
  let t = performance.now();
  const dirsA = attachmentDirs(homeA);
  await sealToOutbox(dirsA, accountId, a, file);
  await publishOutbox(dirsA, store, device);
  const up = performance.now() - t;
  t = performance.now();
  const dirsB = attachmentDirs(homeB);
  const out = join(dir, "cli.out");
  await openToFile(accountId, a, await fetchBlob(dirsB, store, a), out);
  const down = performance.now() - t;
  if (readFileSync(out).length !== SIZE) throw new Error("round trip lost bytes");
  forgetBlob(dirsA, a.id);
  forgetBlob(dirsB, a.id);
  await store.removeOwn(`att/${device}/${a.id}.cxa`);
  return { up, down };
}

const rounds: { rawUp: number; rawDown: number; up: number; down: number }[] = [];
for (let i = 0; i < ROUNDS; i++) {
  const r = await raw(i);
  const c = await cli(i);
  rounds.push({ rawUp: r.up, rawDown: r.down, up: c.up, down: c.down });
}
const sorted = (k: keyof (typeof rounds)[number]) => rounds.map((r) => r[k]).sort((x, y) => x - y);
const best = (k: keyof (typeof rounds)[number]) => sorted(k)[0]!;
const median = (k: keyof (typeof rounds)[number]) => sorted(k)[Math.floor(ROUNDS / 2)]!;
console.log(`attachment of 64 MiB through a local folder, CLI code against raw node:crypto + file copies; ${ROUNDS} interleaved rounds`);
for (const [label, k, rk] of [
  ["seal + publish", "up", "rawUp"],
  ["fetch + verify + decrypt", "down", "rawDown"],
] as const) {
  const rb = best(k) / best(rk);
  const rm = median(k) / median(rk);
  console.log(
    `  ${label}: best ${secs(best(k))} (raw ${secs(best(rk))}, ${rb.toFixed(2)}×), median ${secs(median(k))} (raw ${secs(median(rk))}, ${rm.toFixed(2)}×); target ≤ 2× raw: ${verdict(rb <= 2)}`,
  );
}
rmSync(dir, { recursive: true, force: true });
