// `cryptex sync method webdav URL --user NAME` against a real WebDAV server on loopback (`rclone serve
// webdav`): the password is read like other passwords (here the next stdin line, then the Account Password that
// unlocks the vault to seal it), two CLI homes of one account converge through it, a wrong password is a clear
// error, and the method file holds the password only sealed (one kept in clear by an older version is sealed
// by the next sync).
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { openSqliteStore } from "@cryptex/cli/src/store/sqlite-store.ts";
import { makeOfflineVault } from "@cryptex/cli/src/testing/offline-vault.ts";
import { runCli } from "@cryptex/cli/src/testing/run-cli.ts";
import { newUuid } from "@cryptex/core/ids.ts";
import { freePort } from "@cryptex/server/src/testing/free-port.ts";

const PW = "webdav sync password 42 tangerine";
let root: string;
let A: string;
let B: string;
let url: string;
let server: ChildProcess;

before(async () => {
  root = mkdtempSync(join(tmpdir(), "cryptex-cli-webdav-"));
  A = join(root, "a");
  B = join(root, "b");
  await makeOfflineVault(A, PW, 2);
  mkdirSync(B, { mode: 0o700 });
  copyFileSync(join(A, "vault.sqlite"), join(B, "vault.sqlite"));
  const store = openSqliteStore(join(B, "vault.sqlite"));
  await store.write({ meta: { deviceId: newUuid() } });
  await store.close();
  writeFileSync(join(root, "rclone.conf"), "");
  mkdirSync(join(root, "dav"));
  const port = await freePort();
  server = spawn(
    "rclone",
    [
      "serve",
      "webdav",
      join(root, "dav"),
      "--addr",
      `127.0.0.1:${port}`,
      "--user",
      "me",
      "--pass",
      "dav-secret",
      "--config",
      join(root, "rclone.conf"),
    ],
    { stdio: "ignore" },
  );
  url = `http://127.0.0.1:${port}/vaults/`;
  for (let i = 0; i < 100; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/`, {
      method: "PROPFIND",
      headers: { depth: "0", authorization: `Basic ${Buffer.from("me:dav-secret").toString("base64")}` },
    })
      .then((r) => r.status === 207)
      .catch(() => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  mkdirSync(join(root, "dav", "vaults"));
});
after(() => {
  server?.kill();
  rmSync(root, { recursive: true, force: true });
});

const cli = (home: string, args: string[], stdin = "") => runCli(args, { home, stdin });
const titles = async (home: string) => {
  const r = await cli(home, ["list", "--json", "--password-stdin"], `${PW}\n`);
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as { title: string }[]).map((i) => i.title).sort();
};

test("two homes sync through a real WebDAV server", async () => {
  for (const h of [A, B]) {
    const r = await cli(h, ["sync", "method", "webdav", url, "--user", "me", "--password-stdin"], `dav-secret\n${PW}\n`);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /sync method: webdav http:\/\/127\.0\.0\.1:\d+\/vaults\/ \(user me\)/);
    assert.doesNotMatch(r.stdout + r.stderr, /dav-secret/);
  }
  assert.equal((await cli(A, ["add", "login", "--title", "Via WebDAV", "--password-stdin"], `${PW}\n`)).code, 0);
  for (const h of [A, B]) {
    const r = await cli(h, ["sync", "--password-stdin"], `${PW}\n`);
    assert.equal(r.code, 0, r.stderr);
  }
  assert.deepEqual(await titles(B), await titles(A));
  assert.ok((await titles(B)).includes("Via WebDAV"));
  assert.doesNotMatch((await cli(A, ["status"])).stdout, /dav-secret/);
  const file = JSON.parse(readFileSync(join(A, "sync-method.json"), "utf8"));
  assert.match(file.method.password, /^sealed1\./);
  assert.doesNotMatch(JSON.stringify(file), /dav-secret/);
});

test("a wrong WebDAV password is a clear network error, not an empty vault", async () => {
  assert.equal((await cli(B, ["sync", "method", "webdav", url, "--user", "me", "--password-stdin"], `wrong\n${PW}\n`)).code, 0);
  const r = await cli(B, ["sync", "--password-stdin"], `${PW}\n`);
  assert.equal(r.code, 12);
  assert.match(r.stderr, /refused the user or password/);
  assert.deepEqual((await titles(B)).length, 3, "nothing was removed");
});

test("a WebDAV password kept in clear by an older version still works and is sealed by the next sync", async () => {
  const path = join(A, "sync-method.json");
  const file = JSON.parse(readFileSync(path, "utf8"));
  writeFileSync(path, JSON.stringify({ ...file, method: { ...file.method, password: "dav-secret" } }), { mode: 0o600 });
  const r = await cli(A, ["sync", "--password-stdin"], `${PW}\n`);
  assert.equal(r.code, 0, r.stderr);
  const after = readFileSync(path, "utf8");
  assert.doesNotMatch(after, /dav-secret/);
  assert.match(JSON.parse(after).method.password, /^sealed1\./);
});

test("a sealed WebDAV password moved into another home does not open there", async () => {
  const other = join(root, "other");
  await makeOfflineVault(other, PW, 1); // another account: another at-rest key
  copyFileSync(join(A, "sync-method.json"), join(other, "sync-method.json"));
  const r = await cli(other, ["sync", "--password-stdin"], `${PW}\n`);
  assert.equal(r.code, 17, r.stderr);
  assert.match(r.stderr, /stored WebDAV password cannot be opened/);
  assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/, "no stack trace");
});
