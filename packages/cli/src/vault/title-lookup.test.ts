// `get TITLE` through the device-local title lookup: the same answers as the index path, after adds,
// renames, trash and duplicates, and with an empty lookup (a vault from before the lookup existed).
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { after, before, test } from "node:test";
import { makeOfflineVault } from "../testing/offline-vault.ts";
import { runCli } from "../testing/run-cli.ts";

const PW = "lookup pass 42 walnut";
let dir: string;
let home: string;
let session: string;
const run = (args: string[]) => runCli(args, { home, env: { CRYPTEX_SESSION: session } });
const tagCount = () => {
  const db = new DatabaseSync(join(home, "vault.sqlite"));
  const n = Number((db.prepare("SELECT COUNT(*) AS n FROM title_tags").get() as { n: number }).n);
  db.close();
  return n;
};

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "cryptex-lookup-"));
  home = join(dir, "home");
  await makeOfflineVault(home, PW, 5);
  const r = await runCli(["unlock", "--raw", "--password-stdin"], { home, stdin: `${PW}\n` });
  assert.equal(r.code, 0, r.stderr);
  session = r.stdout;
});
after(() => rmSync(dir, { recursive: true, force: true }));

test("titles resolve through the lookup, case-insensitively; tags follow adds, renames and trash", async () => {
  assert.equal(tagCount(), 5);
  assert.equal((await run(["get", "SITE-3", "--field", "password"])).stdout, "pw-3-secret");
  assert.equal((await run(["add", "login", "--title", "Mail", "--field", "password=m-1"])).code, 0);
  assert.equal(tagCount(), 6);
  assert.equal((await run(["get", "mail", "--field", "password"])).stdout, "m-1");
  assert.equal((await run(["edit", "Mail", "--title", "Webmail"])).code, 0);
  assert.equal((await run(["get", "Mail"])).code, 3, "the old title no longer matches");
  assert.equal((await run(["get", "webmail", "--field", "password"])).stdout, "m-1");
  assert.equal((await run(["rm", "Webmail"])).code, 0);
  assert.equal((await run(["get", "Webmail"])).code, 3, "trashed items are not found by get");
});

test("two items with one title are ambiguous, as on the index path", async () => {
  assert.equal((await run(["add", "login", "--title", "Twin", "--field", "password=a"])).code, 0);
  assert.equal((await run(["add", "login", "--title", "twin", "--field", "password=b"])).code, 0);
  const r = await run(["get", "Twin"]);
  assert.equal(r.code, 4, r.stderr);
});

test("an empty lookup (a vault from before it existed) falls back to the index", async () => {
  const db = new DatabaseSync(join(home, "vault.sqlite"));
  db.exec("DELETE FROM title_tags");
  db.close();
  assert.equal((await run(["get", "site-4", "--field", "password"])).stdout, "pw-4-secret");
});
