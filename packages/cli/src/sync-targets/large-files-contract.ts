// The contract every log target's large-file side passes (folder-store.test.ts, webdav-store.test.ts): streamed
// files are created whole or not at all, create-only, read back exactly, and reads are bounded.
import type assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import type { test } from "node:test";
import { type LargeFiles, NotReadableNow } from "./large-files.ts";

async function* pieces(bytes: Uint8Array, size: number, failAt?: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) {
    if (failAt !== undefined && at >= failAt) throw new Error("the source failed");
    yield bytes.subarray(at, at + size);
  }
}

async function readAll(files: LargeFiles, path: string, max: number): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const c of files.stream(path, max)) parts.push(c);
  return Buffer.concat(parts);
}

export function largeFilesContract(name: string, fresh: () => Promise<LargeFiles>, t: { test: typeof test; assert: typeof assert }) {
  const path = "att/7a1c1a5e-0000-4000-8000-000000000001/7a1c1a5e-0000-4000-8000-0000000000aa.cxa";

  t.test(`${name}: a streamed file is created whole, create-only, and read back exactly`, async () => {
    const files = await fresh();
    t.assert.equal(await files.size(path), undefined);
    const bytes = randomBytes(2_500_000);
    t.assert.equal(await files.putStreamNew(path, () => pieces(bytes, 1 << 20)), "created");
    t.assert.equal(await files.size(path), bytes.length);
    t.assert.deepEqual(await readAll(files, path, bytes.length), bytes);
    t.assert.equal(await files.putStreamNew(path, () => pieces(randomBytes(10), 10)), "exists");
    t.assert.deepEqual(await readAll(files, path, bytes.length), bytes, "never rewritten");
    t.assert.ok((await files.list("att/")).includes(path));
  });

  t.test(`${name}: reads are bounded, an absent file is 'not readable now', a failed write leaves nothing`, async () => {
    const files = await fresh();
    const bytes = randomBytes(300_000);
    await files.putStreamNew(path, () => pieces(bytes, 65536));
    await t.assert.rejects(readAll(files, path, 1000), NotReadableNow);
    await t.assert.rejects(readAll(files, `${path}.missing`, 1000), NotReadableNow);
    const other = path.replace("aa.cxa", "bb.cxa");
    await t.assert.rejects(files.putStreamNew(other, () => pieces(bytes, 65536, 131072)));
    const left = await files.size(other);
    t.assert.ok(left === undefined || left !== bytes.length, "no whole-looking file from a failed write");
    t.assert.equal(await files.size(path), bytes.length);
  });
}
