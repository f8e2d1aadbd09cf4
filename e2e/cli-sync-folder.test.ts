// `cryptex sync method folder DIR` and `cryptex sync` through a shared folder: two CLI homes of one account
// (no server involved) publish to and read from the same folder and end with the same vault; status shows
// the method and the last sync; `sync --watch` reacts to the folder; a missing folder and the `none` method are handled plainly.
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { openSqliteStore } from "@cryptex/cli/src/store/sqlite-store.ts";
import { makeOfflineVault } from "@cryptex/cli/src/testing/offline-vault.ts";
import { collect, runCli, spawnCli } from "@cryptex/cli/src/testing/run-cli.ts";
import { newUuid } from "@cryptex/core/ids.ts";

const PW = "folder sync password 42 tangerine";
let root: string;
let A: string;
let B: string;
let folder: string;

before(async () => {
  root = mkdtempSync(join(tmpdir(), "cryptex-cli-folder-"));
  A = join(root, "a");
  B = join(root, "b");
  folder = join(root, "Dropbox");
  mkdirSync(folder);
  await makeOfflineVault(A, PW, 3);
  // a second device of the same account: the same vault file, its own device id
  mkdirSync(B, { mode: 0o700 });
  copyFileSync(join(A, "vault.sqlite"), join(B, "vault.sqlite"));
  const store = openSqliteStore(join(B, "vault.sqlite"));
  await store.write({ meta: { deviceId: newUuid() } });
  await store.close();
});
after(() => rmSync(root, { recursive: true, force: true }));

const cli = (home: string, args: string[], stdin = "") => runCli(args, { home, stdin });
const titles = async (home: string) => {
  const r = await cli(home, ["list", "--json", "--password-stdin"], `${PW}\n`);
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as { title: string }[]).map((i) => i.title).sort();
};

test("two homes sync through one folder and end with the same vault", async () => {
  assert.match((await cli(A, ["sync", "method"])).stdout, /^sync method: server$/m);
  for (const h of [A, B]) {
    const r = await cli(h, ["sync", "method", "folder", folder]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`sync method: folder ${folder}`));
  }
  assert.equal((await cli(A, ["add", "login", "--title", "Only on A", "--password-stdin"], `${PW}\n`)).code, 0);
  assert.equal((await cli(B, ["add", "login", "--title", "Only on B", "--password-stdin"], `${PW}\n`)).code, 0);
  for (const h of [A, B, A]) {
    const r = await cli(h, ["sync", "--password-stdin"], `${PW}\n`);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Synced: \d+ received, \d+ sent\.$/m);
  }
  const a = await titles(A);
  assert.deepEqual(await titles(B), a);
  assert.ok(a.includes("Only on A") && a.includes("Only on B"));
  assert.equal(a.length, 5, "the three items both homes held are not doubled");
  assert.ok(readdirSync(join(folder, "Cryptex")).length === 1, "one account folder");
  const status = await cli(A, ["status", "--json"]);
  const s = JSON.parse(status.stdout) as { syncMethod: string; lastSync: string | null };
  assert.equal(s.syncMethod, `folder ${folder}`);
  assert.ok(s.lastSync && Date.now() - Date.parse(s.lastSync) < 600_000);
});

test("sync --watch on a folder picks up another device's change by itself and stops cleanly on SIGTERM", async () => {
  const child = spawnCli(["sync", "--watch", "--password-stdin"], { home: B, stdin: `${PW}\n` });
  const done = collect(child);
  let err = "";
  child.stderr!.on("data", (c: Buffer) => {
    err += c.toString();
  });
  let out = "";
  child.stdout!.on("data", (c: Buffer) => {
    out += c.toString();
  });
  const until = async (check: () => boolean, what: string) => {
    for (let i = 0; i < 300 && !check(); i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(check(), `timed out waiting for ${what}`);
  };
  await until(() => err.includes("Watching for changes"), "the watch to start");
  assert.equal((await cli(A, ["add", "login", "--title", "Seen by the watcher", "--password-stdin"], `${PW}\n`)).code, 0);
  assert.equal((await cli(A, ["sync", "--password-stdin"], `${PW}\n`)).code, 0);
  await until(() => /Synced: 1 received/.test(out), "the watcher to receive the change");
  child.kill("SIGTERM");
  const r = await done;
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /Stopped watching/);
  assert.ok((await titles(B)).includes("Seen by the watcher"));
});

test("switching to another folder moves the vault there and leaves a signed note in the old one", async () => {
  const next = join(root, "Syncthing");
  mkdirSync(next);
  assert.equal((await cli(A, ["sync", "method", "folder", next])).code, 0);
  const r = await cli(A, ["sync", "--password-stdin"], `${PW}\n`);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Synced: 0 received, 6 sent\./, "every item is published in the new place");
  const b = await cli(B, ["sync", "--password-stdin"], `${PW}\n`);
  assert.equal(b.code, 0, b.stderr);
  assert.match(b.stdout, /moved this account's sync to another method/);
  assert.equal((await cli(B, ["sync", "method", "folder", next])).code, 0);
  assert.equal((await cli(B, ["sync", "--password-stdin"], `${PW}\n`)).code, 0);
  assert.deepEqual(await titles(B), await titles(A));
});

test("a missing folder is refused with exit 17; the none method syncs nothing and says so", async () => {
  const missing = await cli(A, ["sync", "method", "folder", join(root, "nope")]);
  assert.equal(missing.code, 17);
  assert.match(missing.stderr, /is not a folder/);
  assert.equal((await cli(A, ["sync", "method", "bluetooth"])).code, 2);
  assert.equal((await cli(A, ["sync", "method", "none"])).code, 0);
  const r = await cli(A, ["sync", "--password-stdin"], `${PW}\n`);
  assert.equal(r.code, 0);
  assert.match(r.stderr, /sync method is none/);
  assert.match((await cli(A, ["status"])).stdout, /sync: {6}none \(this device only\)/);
});
