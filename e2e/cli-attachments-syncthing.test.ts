// Attachments through a real sync client: two CLI homes, each on its own Syncthing replica of one folder (loopback
// only, e2e/support/syncthing.ts). While Syncthing is still bringing a blob over, `attachment get` on the other
// device says "not here yet" (exit 20) and writes nothing — never "damaged" — and then opens it; a removal made on
// the receiving device takes the blob out of both replicas once both devices have synced it.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { openSqliteStore } from "@cryptex/cli/src/store/sqlite-store.ts";
import { makeOfflineVault } from "@cryptex/cli/src/testing/offline-vault.ts";
import { runCli } from "@cryptex/cli/src/testing/run-cli.ts";
import { newUuid } from "@cryptex/core/ids.ts";
import { rescan, type SyncthingNode, startSyncthingPair, waitFor } from "./support/syncthing.ts";

const PW = "syncthing attachment password 42 tangerine";
let root: string;
let pair: { a: SyncthingNode; b: SyncthingNode; stop(): Promise<void> };

before(async () => {
  root = await mkdtemp(join(tmpdir(), "cryptex-att-syncthing-"));
  pair = await startSyncthingPair(root);
});
after(async () => {
  await pair?.stop();
  await rm(root, { recursive: true, force: true });
});

const cli = (home: string, args: string[]) => runCli([...args, "--password-stdin"], { home, stdin: `${PW}\n` });
const ok = async (home: string, args: string[]) => {
  const r = await cli(home, args);
  assert.equal(r.code, 0, `${args.join(" ")}: ${r.stderr}`);
  return r;
};

test("a blob Syncthing is still copying reads as 'not here yet', then opens; its removal empties both replicas", async (t) => {
  const A = join(root, "home-a");
  const B = join(root, "home-b");
  await makeOfflineVault(A, PW, 1);
  mkdirSync(B, { mode: 0o700 });
  copyFileSync(join(A, "vault.sqlite"), join(B, "vault.sqlite"));
  const s = openSqliteStore(join(B, "vault.sqlite"));
  await s.write({ meta: { deviceId: newUuid() } });
  const { accountId } = (await s.readMeta())!;
  await s.close();
  await ok(A, ["sync", "method", "folder", pair.a.folder]);
  await ok(B, ["sync", "method", "folder", pair.b.folder]);
  await ok(A, ["sync"]);
  await ok(B, ["sync"]);

  const body = randomBytes(24 * 1024 * 1024);
  const file = join(root, "big.bin");
  writeFileSync(file, body);
  await ok(A, ["attach", "site-0", file, "--name", "big.bin"]);
  await rescan(pair.a);
  const out = join(root, "big.out");
  const codes = new Set<number | null>();
  await waitFor(
    async () => {
      await ok(B, ["sync"]);
      const r = await cli(B, ["attachment", "get", "site-0", "big.bin", "--out", out]);
      codes.add(r.code);
      if (r.code !== 0) {
        // the item may be here before its file: whatever Syncthing has written so far is "not here yet"
        assert.ok(r.code === 3 || r.code === 20, `exit ${r.code}: ${r.stderr}`);
        assert.equal(existsSync(out), false, "nothing half-written at --out");
      }
      return r.code === 0;
    },
    120_000,
    "home b to open the attachment",
  );
  assert.deepEqual(readFileSync(out), body);
  t.diagnostic(`exit codes seen while the blob travelled: ${[...codes].join(", ")}`);

  // removed on B; the blob is A's to remove, after both have synced the removal
  await ok(B, ["attachment", "rm", "site-0", "big.bin"]);
  await ok(B, ["sync"]);
  await rescan(pair.b);
  const blobs = (folder: string) => {
    const dir = join(folder, "Cryptex", accountId, "att");
    return existsSync(dir) ? readdirSync(dir, { recursive: true }).filter((f) => String(f).endsWith(".cxa")) : [];
  };
  assert.equal(blobs(pair.a.folder).length, 1);
  await waitFor(
    async () => {
      await ok(A, ["sync"]);
      await rescan(pair.a);
      return blobs(pair.a.folder).length === 0;
    },
    120_000,
    "home a to remove the blob",
  );
  await waitFor(async () => blobs(pair.b.folder).length === 0, 60_000, "the removal to reach b's replica");
});
