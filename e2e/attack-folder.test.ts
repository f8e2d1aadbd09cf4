// The malicious-server attack classes of docs/security.md §4, re-run against a lying sync folder with the
// real CLI: files altered, cut short, moved to another device's folder, taken from another account,
// dropped, or rolled back to an older copy. Nothing false is ever accepted, nothing is ever removed,
// and what can be told apart from "still on its way" is reported (rollback: exit 9 as on the server).
import assert from "node:assert/strict";
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { openSqliteStore } from "@cryptex/cli/src/store/sqlite-store.ts";
import { makeOfflineVault } from "@cryptex/cli/src/testing/offline-vault.ts";
import { runCli } from "@cryptex/cli/src/testing/run-cli.ts";
import { newUuid } from "@cryptex/core/ids.ts";

const PW = "folder attack password 42 tangerine";
let root: string;
let A: string;
let B: string;
let folder: string;
let acct: string;

const cli = (home: string, args: string[], stdin = "") => runCli(args, { home, stdin });
const sync = (home: string) => cli(home, ["sync", "--password-stdin"], `${PW}\n`);
const titles = async (home: string) => {
  const r = await cli(home, ["list", "--json", "--password-stdin"], `${PW}\n`);
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as { title: string }[]).map((i) => i.title).sort();
};
const filesOf = (area: string, device: string) => {
  const dir = join(folder, "Cryptex", acct, area, device);
  return readdirSync(dir)
    .sort()
    .map((f) => join(dir, f));
};
const deviceOf = async (home: string) => {
  const s = openSqliteStore(join(home, "vault.sqlite"));
  const m = await s.readMeta();
  await s.close();
  return m!.deviceId;
};

before(async () => {
  root = mkdtempSync(join(tmpdir(), "cryptex-attack-folder-"));
  A = join(root, "a");
  B = join(root, "b");
  folder = join(root, "shared");
  mkdirSync(folder);
  await makeOfflineVault(A, PW, 2);
  mkdirSync(B, { mode: 0o700 });
  copyFileSync(join(A, "vault.sqlite"), join(B, "vault.sqlite"));
  const s = openSqliteStore(join(B, "vault.sqlite"));
  await s.write({ meta: { deviceId: newUuid() } });
  acct = (await s.readMeta())!.accountId;
  await s.close();
  for (const h of [A, B]) assert.equal((await cli(h, ["sync", "method", "folder", folder])).code, 0);
  for (const h of [A, B]) assert.equal((await sync(h)).code, 0);
});
after(() => rmSync(root, { recursive: true, force: true }));

test("an altered or cut segment is never accepted: waited for, not quarantined, the vault unchanged", async () => {
  const before = await titles(B);
  assert.equal((await cli(A, ["add", "login", "--title", "Altered in transit", "--password-stdin"], `${PW}\n`)).code, 0);
  assert.equal((await sync(A)).code, 0);
  const seg = filesOf("log", await deviceOf(A)).at(-1)!;
  const good = readFileSync(seg);
  const bad = Buffer.from(good);
  bad[bad.length - 20]! ^= 1;
  writeFileSync(seg, bad);
  let r = await sync(B);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Waiting for 1 file/);
  assert.deepEqual(await titles(B), before);
  writeFileSync(seg, good.subarray(0, good.length - 100));
  r = await sync(B);
  assert.match(r.stdout, /Waiting for 1 file/);
  assert.deepEqual(await titles(B), before);
  // the honest file arrives: accepted
  writeFileSync(seg, good);
  r = await sync(B);
  assert.match(r.stdout, /Synced: 1 received/);
  assert.ok((await titles(B)).includes("Altered in transit"));
});

test("a segment moved into another device's folder, or duplicated, is read for what it is, once", async () => {
  assert.equal((await cli(A, ["add", "login", "--title", "Moved around", "--password-stdin"], `${PW}\n`)).code, 0);
  assert.equal((await sync(A)).code, 0);
  const seg = filesOf("log", await deviceOf(A)).at(-1)!;
  const dup = seg.replace(/\.cxs$/, " (conflicted copy 2026-11-30).cxs");
  copyFileSync(seg, dup);
  const elsewhere = join(folder, "Cryptex", acct, "log", await deviceOf(B), seg.slice(seg.lastIndexOf("/") + 1));
  renameSync(seg, elsewhere);
  const r = await sync(B);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Synced: 1 received/);
  assert.equal((await titles(B)).filter((t) => t === "Moved around").length, 1);
  renameSync(elsewhere, seg);
  rmSync(dup);
});

test("another account's files in the folder are never accepted", async () => {
  const C = join(root, "c");
  await makeOfflineVault(C, PW, 1);
  const otherFolder = join(root, "other");
  mkdirSync(otherFolder);
  assert.equal((await cli(C, ["sync", "method", "folder", otherFolder])).code, 0);
  assert.equal((await sync(C)).code, 0);
  const cAcct = readdirSync(join(otherFolder, "Cryptex"))[0]!;
  // the whole of the other account's log, copied under this account's name
  cpSync(join(otherFolder, "Cryptex", cAcct, "log"), join(folder, "Cryptex", acct, "log"), { recursive: true });
  const before = await titles(B);
  const r = await sync(B);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Waiting for \d+ file/);
  assert.deepEqual(await titles(B), before);
});

test("a dropped segment is reported missing; a device's files rolled back end the sync with exit 9, nothing removed", async () => {
  const dev = await deviceOf(A);
  const backup = join(root, "backup");
  cpSync(join(folder, "Cryptex", acct), backup, { recursive: true });
  assert.equal((await cli(A, ["add", "login", "--title", "Dropped", "--password-stdin"], `${PW}\n`)).code, 0);
  assert.equal((await sync(A)).code, 0);
  assert.equal((await cli(A, ["add", "login", "--title", "After the drop", "--password-stdin"], `${PW}\n`)).code, 0);
  assert.equal((await sync(A)).code, 0);
  const segs = filesOf("log", dev);
  const dropped = segs.at(-2)!;
  const kept = readFileSync(dropped);
  rmSync(dropped);
  let r = await sync(B);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /published file \d+, which is not here/);
  assert.ok((await titles(B)).includes("After the drop"));
  writeFileSync(dropped, kept);
  assert.equal((await sync(B)).code, 0);
  const seen = await titles(B);
  assert.ok(seen.includes("Dropped"));
  // A's files restored from the backup taken before these two items (a provider's "version history")
  for (const area of ["log", "mf"]) {
    rmSync(join(folder, "Cryptex", acct, area, dev), { recursive: true, force: true });
    cpSync(join(backup, area, dev), join(folder, "Cryptex", acct, area, dev), { recursive: true });
  }
  r = await sync(B);
  assert.equal(r.code, 9, r.stderr);
  assert.match(r.stdout, /went back to an older copy/);
  assert.deepEqual(await titles(B), seen, "absence is never deletion");
});
