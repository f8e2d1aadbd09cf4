// The WebDAV target against a real WebDAV server on loopback: `rclone serve webdav` (Debian rclone).
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { freshAccountKeys } from "@cryptex/core/formats/test-keys.ts";
import { newUuid } from "@cryptex/core/ids.ts";
import { blobStoreContract } from "@cryptex/core/sync/log/blob-store-contract.ts";
import { LogReplica } from "@cryptex/core/sync/log/log-replica.ts";
import { createItem } from "@cryptex/core/vault/item.ts";
import { largeFilesContract } from "./large-files-contract.ts";
import { WebDavStore } from "./webdav-store.ts";

let server: ChildProcess;
let base: string;
let work: string;
let n = 0;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

before(async () => {
  work = await mkdtemp(join(tmpdir(), "cryptex-webdav-"));
  await writeFile(join(work, "rclone.conf"), "");
  const port = await freePort();
  server = spawn(
    "rclone",
    [
      "serve",
      "webdav",
      join(work, "data"),
      "--addr",
      `127.0.0.1:${port}`,
      "--user",
      "dav",
      "--pass",
      "secret",
      "--config",
      join(work, "rclone.conf"),
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  base = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 100; i++) {
    try {
      const res = await fetch(base, {
        method: "PROPFIND",
        headers: { depth: "0", authorization: `Basic ${Buffer.from("dav:secret").toString("base64")}` },
      });
      if (res.status === 207) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("rclone serve webdav did not start");
});
after(async () => {
  server?.kill();
  await rm(work, { recursive: true, force: true });
});

const store = () => new WebDavStore({ url: `${base}acct-${n++}/`, user: "dav", password: "secret" });

blobStoreContract("webdav", async () => store(), { test, assert });
largeFilesContract("webdav", async () => store(), { test, assert });

test("webdav: a wrong password is an error, not an empty store", async () => {
  const s = new WebDavStore({ url: base, user: "dav", password: "wrong" });
  await assert.rejects(s.list(""), { name: "WebDavError", status: 401 });
});

test("webdav: two devices converge through the server", async () => {
  const keys = await freshAccountKeys();
  const s = store();
  const a = new LogReplica(keys, newUuid());
  const b = new LogReplica(keys, newUuid());
  await a.save(createItem({ type: "secure-note", title: "x", notes: "from a" }));
  await b.save(createItem({ type: "secure-note", title: "y", notes: "from b" }));
  await a.sync(s);
  await b.sync(s);
  const r = await a.sync(s);
  assert.deepEqual([r.unavailable, r.missing, r.quarantined, r.rollbacks], [[], [], [], []]);
  const notes = (x: LogReplica) => [...x.items().values()].map((i) => i.notes).sort();
  assert.deepEqual(notes(a), ["from a", "from b"]);
  assert.deepEqual(notes(b), notes(a));
});
