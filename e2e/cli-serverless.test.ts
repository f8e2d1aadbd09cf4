// Accounts without any server: `cryptex signup --folder` makes the account in a synced folder (no mail),
// a second device signs in from the folder with the QR text or the opt-in key file, and both sync
// through it; a key file or QR code of another account is refused with exit 7 before the password is
// even read (so before any Argon2id).
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { runCli } from "@cryptex/cli/src/testing/run-cli.ts";

const PW = "serverless account password 42 tangerine";
let root: string;
let folder: string;
let eakText: string;
let accountId: string;

before(() => {
  root = mkdtempSync(join(tmpdir(), "cryptex-serverless-"));
  folder = join(root, "iCloud Drive");
  mkdirSync(folder);
});
after(() => rmSync(root, { recursive: true, force: true }));

const cli = (home: string, args: string[], stdin = "") => runCli(args, { home: join(root, home), stdin });
const titles = async (home: string) => {
  const r = await cli(home, ["list", "--json", "--password-stdin"], `${PW}\n`);
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as { title: string }[]).map((i) => i.title).sort();
};

test("signup --folder makes an account with no server and no mail; its files are in the folder", async () => {
  const r = await cli(
    "a",
    ["signup", "--folder", folder, "--email", "Me@Example.org", "--key-file", "--password-stdin", "--json"],
    `${PW}\n${PW}\n`,
  );
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout) as { accountId: string; eakText: string; keyFile: boolean };
  ({ eakText, accountId } = j);
  assert.equal(j.keyFile, true);
  assert.deepEqual(readdirSync(join(folder, "Cryptex", accountId, "account")).sort(), ["account.json", "key.cxek"]);
  assert.match((await cli("a", ["status"])).stdout, /server: {4}none \(the account lives in its sync folder\)/);
  assert.equal((await cli("a", ["add", "login", "--title", "Made on A", "--password-stdin"], `${PW}\n`)).code, 0);
  assert.equal((await cli("a", ["sync", "--password-stdin"], `${PW}\n`)).code, 0);
  assert.equal((await cli("a", ["sync", "method", "server"])).code, 2, "there is no server to switch to");
});

test("a second device signs in from the folder with the QR text, a third with the key file; all converge", async () => {
  let r = await cli("b", ["signin", "--folder", folder, "--email", "me@example.org", "--qr-text", eakText, "--password-stdin"], `${PW}\n`);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(await titles("b"), ["Made on A"]);
  r = await cli("c", ["signin", "--folder", folder, "--email", "me@example.org", "--key-file", "--password-stdin"], `${PW}\n`);
  assert.equal(r.code, 0, r.stderr);
  assert.equal((await cli("c", ["add", "login", "--title", "Made on C", "--password-stdin"], `${PW}\n`)).code, 0);
  for (const h of ["c", "a", "b"]) assert.equal((await cli(h, ["sync", "--password-stdin"], `${PW}\n`)).code, 0);
  assert.deepEqual(await titles("a"), ["Made on A", "Made on C"]);
  assert.deepEqual(await titles("b"), await titles("a"));
});

test("a key file or QR code of another account is refused with exit 7 before the password is read", async () => {
  // another account in another folder, its key file copied over this account's
  const other = join(root, "other");
  mkdirSync(other);
  const r0 = await cli(
    "x",
    ["signup", "--folder", other, "--email", "me@example.org", "--key-file", "--password-stdin", "--json"],
    `${PW}\n${PW}\n`,
  );
  assert.equal(r0.code, 0, r0.stderr);
  const otherJson = JSON.parse(r0.stdout) as { accountId: string; eakText: string };
  const mine = join(folder, "Cryptex", accountId, "account", "key.cxek");
  const saved = join(root, "key.saved");
  copyFileSync(mine, saved);
  copyFileSync(join(other, "Cryptex", otherJson.accountId, "account", "key.cxek"), mine);
  // no stdin at all: had the password been asked (and Argon2id run), this would fail otherwise
  let r = await cli("d", ["signin", "--folder", folder, "--email", "me@example.org", "--key-file", "--password-stdin"]);
  assert.equal(r.code, 7, r.stderr);
  assert.match(r.stderr, /another account/);
  copyFileSync(saved, mine);
  r = await cli("d", ["signin", "--folder", folder, "--email", "me@example.org", "--qr-text", otherJson.eakText, "--password-stdin"]);
  assert.equal(r.code, 7, r.stderr);
  // a wrong address finds no account; a wrong password is refused
  assert.equal(
    (await cli("d", ["signin", "--folder", folder, "--email", "you@example.org", "--key-file", "--password-stdin"], `${PW}\n`)).code,
    3,
  );
  assert.equal(
    (await cli("d", ["signin", "--folder", folder, "--email", "me@example.org", "--key-file", "--password-stdin"], "wrong password 1\n"))
      .code,
    6,
  );
});
