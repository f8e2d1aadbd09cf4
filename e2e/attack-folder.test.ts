// The malicious-server attack classes of docs/security.md §4, re-run against a lying sync folder with the
// real CLI: files altered, cut short, moved to another device's folder, taken from another account,
// dropped, or rolled back to an older copy; attachment blobs swapped, replayed, cut, half-written, padded or
// altered. Nothing false is ever accepted, nothing is ever removed, and what can be told apart from "still on
// its way" is reported (rollback, a foreign or damaged blob: exit 9 as on the server; a blob not here yet: 20).
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
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

// ---- attachment blobs (att/<device>/<attachment id>.cxa): swapped, replayed, cut, half-written, padded, altered ----

const FRAME = 65536 + 28;
const attachmentIds = async (home: string, item: string) => {
  const r = await cli(home, ["attachment", "list", item, "--json", "--password-stdin"], `${PW}\n`);
  assert.equal(r.code, 0, r.stderr);
  return Object.fromEntries(
    (JSON.parse(r.stdout) as { attachments: { id: string; name: string }[] }).attachments.map((a) => [a.name, a.id]),
  );
};
const getAttachment = (home: string, name: string, out: string) =>
  cli(home, ["attachment", "get", "site-0", name, "--out", out, "--password-stdin"], `${PW}\n`);
const attachFile = async (name: string, bytes: Uint8Array) => {
  const f = join(root, `in-${name}`);
  writeFileSync(f, bytes);
  const r = await cli(A, ["attach", "site-0", f, "--name", name, "--password-stdin"], `${PW}\n`);
  assert.equal(r.code, 0, r.stderr);
};

test("a folder that swaps two attachments' blobs, or puts an older one back, is refused (exit 9): nothing at --out", async () => {
  // the same size, so only what is inside tells them apart
  const one = randomBytes(150_000);
  await attachFile("one.bin", one);
  await attachFile("two.bin", randomBytes(150_000));
  assert.equal((await sync(B)).code, 0);
  const ids = await attachmentIds(A, "site-0");
  const dir = join(folder, "Cryptex", acct, "att", await deviceOf(A));
  const p1 = join(dir, `${ids["one.bin"]}.cxa`);
  const p2 = join(dir, `${ids["two.bin"]}.cxa`);
  const b1 = readFileSync(p1);
  const b2 = readFileSync(p2);
  const out = join(root, "one.out");
  writeFileSync(p1, b2);
  writeFileSync(p2, b1);
  let r = await getAttachment(B, "one.bin", out);
  assert.equal(r.code, 9, r.stderr);
  assert.match(r.stderr, /holds another attachment's blob/);
  assert.equal(existsSync(out), false);
  // the header rewritten to name the right attachment: the sealed chunks still do not open
  writeFileSync(p1, Buffer.concat([b1.subarray(0, 21), b2.subarray(21)]));
  r = await getAttachment(B, "one.bin", out);
  assert.equal(r.code, 9, r.stderr);
  assert.match(r.stderr, /integrity check/);
  assert.equal(existsSync(out), false);
  assert.equal(existsSync(join(B, "attachments", ids["one.bin"]!)), false, "no damaged copy kept");
  writeFileSync(p1, b1);
  writeFileSync(p2, b2);
  // a new upload of one.bin (a new attachment of the same name and size); the folder serves the older blob
  assert.equal((await cli(A, ["attachment", "rm", "site-0", "one.bin", "--password-stdin"], `${PW}\n`)).code, 0);
  const newer = randomBytes(150_000);
  await attachFile("one.bin", newer);
  assert.equal((await sync(B)).code, 0);
  const p3 = join(dir, `${(await attachmentIds(A, "site-0"))["one.bin"]}.cxa`);
  const b3 = readFileSync(p3);
  writeFileSync(p3, b1);
  r = await getAttachment(B, "one.bin", out);
  assert.equal(r.code, 9, r.stderr);
  assert.match(r.stderr, /another attachment's blob/);
  assert.equal(existsSync(out), false);
  // sync --attachments meets the same file: exit 9, nothing kept
  r = await cli(B, ["sync", "--attachments", "--password-stdin"], `${PW}\n`);
  assert.equal(r.code, 9, r.stderr);
  assert.match(r.stderr, /"one.bin"/);
  writeFileSync(p3, b3);
  r = await getAttachment(B, "one.bin", out);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(readFileSync(out), newer);
});

test("a blob cut short, half-written out of order or not here reads as 'not yet here' (exit 20); padded or altered is refused (exit 9)", async () => {
  const body = randomBytes(3 * 65536 + 999);
  await attachFile("three.bin", body);
  assert.equal((await sync(B)).code, 0);
  const id = (await attachmentIds(A, "site-0"))["three.bin"]!;
  const path = join(folder, "Cryptex", acct, "att", await deviceOf(A), `${id}.cxa`);
  const good = readFileSync(path);
  const out = join(root, "three.out");
  const expectGet = async (bytes: Buffer | undefined, code: number, message: RegExp) => {
    if (bytes) writeFileSync(path, bytes);
    else rmSync(path);
    const r = await getAttachment(B, "three.bin", out);
    assert.equal(r.code, code, r.stderr);
    assert.match(r.stderr, message);
    assert.equal(existsSync(out), false, "nothing half-written at --out");
    assert.equal(existsSync(join(B, "attachments", id)), false, "no copy kept");
  };
  const notYet = /has not completely arrived|not in the sync folder yet/;
  await expectGet(undefined, 20, /not in the sync folder yet/);
  await expectGet(good.subarray(0, good.length - 1000), 20, notYet);
  await expectGet(good.subarray(0, 10), 20, notYet);
  // Syncthing fills a file in any order: the full size, with a chunk (or the header) still zeros
  const hole = Buffer.from(good);
  hole.fill(0, 21 + FRAME, 21 + 2 * FRAME);
  await expectGet(hole, 20, notYet);
  const noHead = Buffer.from(good);
  noHead.fill(0, 0, 21);
  await expectGet(noHead, 20, notYet);
  await expectGet(Buffer.concat([good, Buffer.alloc(10)]), 9, /longer than the attachment/);
  const flipped = Buffer.from(good);
  flipped[21 + FRAME + 100]! ^= 1;
  await expectGet(flipped, 9, /integrity check/);
  // the whole file arrives: it opens
  writeFileSync(path, good);
  const r = await getAttachment(B, "three.bin", out);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(readFileSync(out), body);
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
