// Attachments through a shared folder and through WebDAV (`rclone serve webdav`), with two real CLI homes of one
// account and no server: a file attached on one device is published as a sealed blob beside the log, fetched by
// the other when opened (or by `sync --attachments`), and its blob leaves the folder only after both devices have
// synced its removal — an attachment removed, or its item deleted for good — never while a device that has not
// seen the removal may still open it.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { openSqliteStore } from "@cryptex/cli/src/store/sqlite-store.ts";
import { makeOfflineVault } from "@cryptex/cli/src/testing/offline-vault.ts";
import { runCli } from "@cryptex/cli/src/testing/run-cli.ts";
import { newUuid } from "@cryptex/core/ids.ts";
import { freePort } from "@cryptex/server/src/testing/free-port.ts";

const PW = "attachment folder password 42 tangerine";
let root: string;
let rclone: ChildProcess | undefined;

const cli = (home: string, args: string[]) => runCli([...args, "--password-stdin"], { home, stdin: `${PW}\n` });
const ok = async (home: string, args: string[]) => {
  const r = await cli(home, args);
  assert.equal(r.code, 0, `${args.join(" ")}: ${r.stderr}`);
  return r;
};
const deviceOf = async (home: string) => {
  const s = openSqliteStore(join(home, "vault.sqlite"));
  const m = await s.readMeta();
  await s.close();
  return { deviceId: m!.deviceId, accountId: m!.accountId };
};
const attachmentsOf = async (home: string, item: string) =>
  (
    JSON.parse((await ok(home, ["attachment", "list", item, "--json"])).stdout) as {
      attachments: { id: string; name: string; local: boolean }[];
    }
  ).attachments;

/** Two homes of one offline account, both syncing through `method` (args after `sync method`). */
async function twoDevices(name: string, method: string[]): Promise<{ A: string; B: string }> {
  const A = join(root, `${name}-a`);
  const B = join(root, `${name}-b`);
  await makeOfflineVault(A, PW, 2);
  mkdirSync(B, { mode: 0o700 });
  copyFileSync(join(A, "vault.sqlite"), join(B, "vault.sqlite"));
  const s = openSqliteStore(join(B, "vault.sqlite"));
  await s.write({ meta: { deviceId: newUuid() } });
  await s.close();
  for (const h of [A, B]) await ok(h, ["sync", "method", ...method]);
  for (const h of [A, B]) await ok(h, ["sync"]);
  return { A, B };
}

before(() => {
  root = mkdtempSync(join(tmpdir(), "cryptex-att-folder-"));
});
after(() => {
  rclone?.kill();
  rmSync(root, { recursive: true, force: true });
});

/** The same story through a folder and through WebDAV; `blobs()` lists the blob files where they are kept. */
interface Place {
  readonly method: string[];
  /** where the account's files are on disk */
  blobs(account: string): string;
  /** removes a file as the storage would (rclone caches its listings: through WebDAV) */
  drop(account: string, rel: string): Promise<void>;
}

function story(kind: "folder" | "webdav", setup: () => Promise<Place>) {
  describe(`attachments through ${kind}`, () => {
    let A: string;
    let B: string;
    let blobDir: (device: string) => string;
    let drop: (rel: string) => Promise<void>;
    const file = join(tmpdir(), `cryptex-att-${kind}-${process.pid}.bin`);
    // a marker that must never appear in the synced place: the blobs are sealed
    const plain = Buffer.concat([Buffer.from("PLAINTEXT-MARKER-".repeat(64)), randomBytes(300_000)]);

    before(async () => {
      const s = await setup();
      ({ A, B } = await twoDevices(kind, s.method));
      const { accountId } = await deviceOf(A);
      blobDir = (device) => join(s.blobs(accountId), "att", device);
      drop = (rel) => s.drop(accountId, rel);
      writeFileSync(file, plain);
    });
    after(() => rmSync(file, { force: true }));

    test("attached on one device, opened on the other: the blob travels sealed and is fetched when opened", async () => {
      const a = await deviceOf(A);
      const attach = await ok(A, ["attach", "site-0", file, "--name", "scan.bin"]);
      assert.match(attach.stdout + attach.stderr, /Attachments: 1 published/);
      const files = readdirSync(blobDir(a.deviceId));
      assert.equal(files.length, 1);
      assert.match(files[0]!, /^[0-9a-f-]{36}\.cxa$/, "the name is a random id");
      const sealed = readFileSync(join(blobDir(a.deviceId), files[0]!));
      assert.equal(sealed.includes(Buffer.from("PLAINTEXT-MARKER")), false, "no plaintext in the synced place");

      await ok(B, ["sync"]);
      const listed = await attachmentsOf(B, "site-0");
      assert.deepEqual(
        listed.map((x) => [x.name, x.local]),
        [["scan.bin", false]],
      );
      const out = join(root, `${kind}-got.bin`);
      await ok(B, ["attachment", "get", "site-0", "scan.bin", "--out", out]);
      assert.deepEqual(readFileSync(out), plain);
      assert.equal((await attachmentsOf(B, "site-0"))[0]!.local, true, "the sealed copy is kept on the device");
    });

    test("sync --attachments fetches every attachment the device lacks", async () => {
      await ok(A, ["attach", "site-1", file, "--name", "second.bin"]);
      const r = await ok(B, ["sync", "--attachments"]);
      assert.match(r.stdout, /Attachments: 1 downloaded/);
      assert.equal((await attachmentsOf(B, "site-1"))[0]!.local, true);
    });

    test("an attachment removed on the other device: its blob goes only after both devices synced the removal", async () => {
      const a = await deviceOf(A);
      const [att] = await attachmentsOf(A, "site-0");
      const blob = join(blobDir(a.deviceId), `${att!.id}.cxa`);
      await ok(B, ["attachment", "rm", "site-0", "scan.bin"]);
      await ok(B, ["sync"]);
      assert.ok(existsSync(blob), "A has not seen the removal: the blob stays");
      await ok(A, ["sync"]);
      assert.ok(existsSync(blob), "never on the sync that first finds it unreferenced");
      const r = await ok(A, ["sync"]);
      assert.match(r.stdout, /1 removed from the sync folder/);
      assert.equal(existsSync(blob), false, "both devices have synced the removal: the blob is gone");
    });

    test("an item deleted for good: a device that has not seen the tombstone can still open the file; the blob goes after it syncs", async () => {
      const a = await deviceOf(A);
      const [att] = await attachmentsOf(A, "site-1");
      const blob = join(blobDir(a.deviceId), `${att!.id}.cxa`);
      await ok(A, ["rm", "site-1"]);
      await ok(A, ["purge", "site-1"]);
      for (let i = 0; i < 3; i++) await ok(A, ["sync"]);
      assert.ok(existsSync(blob), "B has not read the tombstone: A keeps the blob however often it syncs");
      // B drops its own copy first, so it must fetch from the folder
      rmSync(join(B, "attachments", att!.id), { force: true });
      const out = join(root, `${kind}-late.bin`);
      await ok(B, ["attachment", "get", "site-1", "second.bin", "--out", out]);
      assert.deepEqual(readFileSync(out), plain);
      await ok(B, ["sync"]);
      await ok(A, ["sync"]);
      await ok(A, ["sync"]);
      assert.equal(existsSync(blob), false);
    });

    test("a blob no device has published here (the account came from the server, or the file was lost) is published from a copy", async () => {
      const a = await deviceOf(A);
      const b = await deviceOf(B);
      await ok(A, ["attach", "site-0", file, "--name", "third.bin"]);
      await ok(B, ["sync", "--attachments"]);
      const id = (await attachmentsOf(A, "site-0")).find((x) => x.name === "third.bin")!.id;
      await drop(`att/${a.deviceId}/${id}.cxa`);
      const r = await ok(B, ["sync"]);
      assert.match(r.stdout, /Attachments: 1 published/);
      assert.ok(existsSync(join(blobDir(b.deviceId), `${id}.cxa`)), "published under B's own id");
      rmSync(join(A, "attachments", id));
      const out = join(root, `${kind}-third.bin`);
      await ok(A, ["attachment", "get", "site-0", "third.bin", "--out", out]);
      assert.deepEqual(readFileSync(out), plain);
    });
  });
}

story("folder", async () => {
  const folder = join(root, "Dropbox");
  mkdirSync(folder);
  return {
    method: ["folder", folder],
    blobs: (account) => join(folder, "Cryptex", account),
    drop: async (account, rel) => rmSync(join(folder, "Cryptex", account, rel)),
  };
});

story("webdav", async () => {
  writeFileSync(join(root, "rclone.conf"), "");
  const dav = join(root, "dav");
  mkdirSync(dav);
  const port = await freePort();
  rclone = spawn("rclone", ["serve", "webdav", dav, "--addr", `127.0.0.1:${port}`, "--config", join(root, "rclone.conf")], {
    stdio: "ignore",
  });
  for (let i = 0; i < 100; i++) {
    const up = await fetch(`http://127.0.0.1:${port}/`, { method: "PROPFIND", headers: { depth: "0" } }).then(
      (r) => r.status === 207,
      () => false,
    );
    if (up) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const url = `http://127.0.0.1:${port}/vaults/`;
  return {
    method: ["webdav", url],
    blobs: (account) => join(dav, "vaults", "Cryptex", account),
    drop: async (account, rel) => {
      const r = await fetch(`${url}Cryptex/${account}/${rel}`, { method: "DELETE" });
      assert.ok(r.status === 204 || r.status === 200, `DELETE ${r.status}`);
    },
  };
});

test("a device that syncs nowhere is refused an attachment plainly (exit 2), and still lists its items' files", async () => {
  const C = join(root, "nowhere");
  await makeOfflineVault(C, PW, 1);
  await ok(C, ["sync", "method", "none"]);
  const f = join(root, "nowhere.txt");
  writeFileSync(f, "hello");
  const r = await cli(C, ["attach", "site-0", f]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /syncs nowhere/);
  assert.deepEqual(await attachmentsOf(C, "site-0"), []);
});
