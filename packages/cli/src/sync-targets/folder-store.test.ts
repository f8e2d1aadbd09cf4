import assert from "node:assert/strict";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { freshAccountKeys } from "@cryptex/core/formats/test-keys.ts";
import { newUuid } from "@cryptex/core/ids.ts";
import { blobStoreContract } from "@cryptex/core/sync/log/blob-store-contract.ts";
import { LogReplica } from "@cryptex/core/sync/log/log-replica.ts";
import { createItem, editItem } from "@cryptex/core/vault/item.ts";
import { FolderStore } from "./folder-store.ts";
import { largeFilesContract } from "./large-files-contract.ts";

const dirs: string[] = [];
after(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));
async function freshDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), "cryptex-folder-"));
  dirs.push(d);
  return d;
}

blobStoreContract("folder", async () => new FolderStore(await freshDir()), { test, assert });
largeFilesContract("folder", async () => new FolderStore(await freshDir()), { test, assert });

test("folder: a streamed write that fails leaves no temp file and nothing in place", async () => {
  const root = await freshDir();
  const store = new FolderStore(root);
  async function* failing() {
    yield new Uint8Array(10);
    throw new Error("source failed");
  }
  await assert.rejects(store.putStreamNew("att/x/y.cxa", failing));
  assert.deepEqual(await readdir(join(root, "tmp")), []);
  assert.equal(await store.size("att/x/y.cxa"), undefined);
});

test("folder: writes leave no temp files behind, foreign files are ignored, paths cannot climb out", async () => {
  const root = await freshDir();
  const store = new FolderStore(root);
  await store.putNew("log/7a1c1a5e-0000-4000-8000-000000000001/0000000000000001-00000000.cxs", new Uint8Array([1]));
  assert.deepEqual(await readdir(join(root, "tmp")), []);
  await assert.rejects(store.get("../etc/passwd"), TypeError);
  await assert.rejects(store.putNew("log/../../x", new Uint8Array(1)), TypeError);
});

test("folder: two devices converge through one real folder, with sync-client debris around", async () => {
  const root = await freshDir();
  const keys = await freshAccountKeys();
  const a = new LogReplica(keys, newUuid());
  const b = new LogReplica(keys, newUuid());
  const item = createItem({ type: "secure-note", title: "shared", notes: "v1" });
  await a.save(item);
  await a.sync(new FolderStore(root));
  await writeFile(join(root, "desktop.ini"), "[.ShellClassInfo]");
  await writeFile(join(root, "log", ".DS_Store"), "junk");
  await b.sync(new FolderStore(root));
  await a.save(editItem(item, { notes: "a" }));
  await b.save(editItem(item, { notes: "b" }));
  const ra = await a.sync(new FolderStore(root));
  const rb = await b.sync(new FolderStore(root));
  await a.sync(new FolderStore(root));
  assert.deepEqual([ra.unavailable, rb.unavailable, rb.quarantined], [[], [], []]);
  const notes = (r: LogReplica) => [...r.items().values()].map((i) => i.notes).sort();
  assert.deepEqual(notes(a), ["a", "b"]);
  assert.deepEqual([...a.items()].sort(), [...b.items()].sort());
});
