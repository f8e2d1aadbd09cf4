// `cryptex import`, `export --format`, and folders, through the real program and a real SQLite vault.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { makeOfflineVault } from "../testing/offline-vault.ts";
import { runCli } from "../testing/run-cli.ts";

const PW = "import pass 42 walnut";
const FIXTURES = new URL("../../../core/src/import/fixtures/", import.meta.url).pathname;
let dir: string;
let home: string;
let session: string;
const run = (args: string[], stdin = "", env: Record<string, string> = { CRYPTEX_SESSION: session }) => runCli(args, { home, stdin, env });
const listJson = async (...args: string[]) =>
  JSON.parse((await run(["list", "--json", ...args])).stdout) as { title: string; folder: string }[];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "cryptex-import-"));
  home = join(dir, "home");
  await makeOfflineVault(home, PW, 0);
  session = (await runCli(["unlock", "--raw", "--password-stdin"], { home, stdin: `${PW}\n` })).stdout;
});
after(() => rmSync(dir, { recursive: true, force: true }));

test("import: dry run saves nothing; the import saves all, reports losses, folders appear; duplicates skipped on request", async () => {
  const file = join(FIXTURES, "bitwarden.json");
  const dry = await run(["import", file, "--dry-run", "--json"]);
  assert.equal(dry.code, 0, dry.stderr);
  assert.equal(JSON.parse(dry.stdout).imported, 6);
  assert.equal((await listJson()).length, 0, "a dry run saves nothing");
  const imp = await run(["import", file]);
  assert.equal(imp.code, 0, imp.stderr);
  assert.match(imp.stdout, /Imported 6 of 6 items from Bitwarden JSON/);
  assert.match(imp.stdout, /NOT imported \(2\):\n.*passkey.*\n.*attachment/);
  assert.equal((await run(["get", "Git 🔑 サーバー", "--field", "password"])).stdout, "p@ss word ", "trailing space kept");
  assert.deepEqual(
    (await listJson("--folder", "Work")).map((e) => e.title),
    ["Git 🔑 サーバー"],
  );
  const folders = JSON.parse((await run(["folders", "--json"])).stdout);
  assert.deepEqual(folders, [
    { path: "Personal", items: 1, total: 1 },
    { path: "Work", items: 0, total: 1 },
    { path: "Work/Dev", items: 1, total: 1 },
  ]);
  assert.match((await run(["folders"])).stdout, /^Personal {2}\(1\)\nWork {2}\(1\)\n {2}Dev {2}\(1\)\n$/);
  const again = await run(["import", file, "--skip-duplicates", "--json"]);
  assert.equal(JSON.parse(again.stdout).imported, 1, "only the trashed item is not compared");
  assert.equal(JSON.parse(again.stdout).duplicates.length, 5);
});

test("add/edit --folder move items; list --folder filters by subtree", async () => {
  assert.equal((await run(["add", "login", "--title", "Jira", "--folder", " Work / Tickets ", "--field", "username=j"])).code, 0);
  assert.deepEqual(
    (await listJson("--folder", "Work/Tickets")).map((e) => e.folder),
    ["Work/Tickets"],
  );
  assert.equal((await run(["edit", "Jira", "--folder", "Home"])).code, 0);
  assert.deepEqual(
    (await listJson("--folder", "Home")).map((e) => e.title),
    ["Jira"],
  );
  assert.equal((await run(["edit", "Jira", "--folder", ""])).code, 0);
  assert.equal((await listJson()).find((e) => e.title === "Jira")!.folder, "");
});

test("a malformed file imports nothing and names the row; a wrong file password exits 6; unknown --format is a usage error", async () => {
  const bad = join(dir, "bad.csv");
  writeFileSync(bad, 'name,url,username,password,note\na,b,c,"unterminated\n');
  const before = (await listJson()).length;
  const r = await run(["import", bad]);
  assert.equal(r.code, 9);
  assert.match(r.stderr, /row 2/);
  assert.equal((await listJson()).length, before);
  assert.equal((await run(["import", bad, "--format", "nope"])).code, 2);
  const cx = join(dir, "vault.cxex");
  assert.equal((await run(["export", "--out", cx, "--password-stdin"], "export pass 99 lantern\n")).code, 0);
  const wrong = await run(["import", cx, "--password-stdin"], "not the file password\n");
  assert.equal(wrong.code, 6);
  assert.match(wrong.stderr, /wrong export password/);
});

test("--password-stdin: the account password, then the file's (KDBX); a file without one ignores that line", async () => {
  const kdbx = join(dir, "keepass.kdbx");
  execFileSync("keepassxc-cli", ["import", "-q", "-p", "-t", "100", join(FIXTURES, "keepass.xml"), kdbx], {
    input: "kdbx pass ✓\nkdbx pass ✓\n",
  });
  const other = join(dir, "kdbx-home");
  await makeOfflineVault(other, PW, 0);
  const wrong = await runCli(["import", kdbx, "--password-stdin"], { home: other, stdin: `${PW}\nnot the kdbx password\n` });
  assert.equal(wrong.code, 6);
  assert.match(wrong.stderr, /^cryptex: wrong password for this KeePass database$/m, "names the file's password, not the account's");
  const ok = await runCli(["import", kdbx, "--password-stdin", "--json"], { home: other, stdin: `${PW}\nkdbx pass ✓\n` });
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(JSON.parse(ok.stdout).format, "kdbx");
  const tab = await runCli(["get", "Git 🔑 サーバー", "--json", "--password-stdin"], { home: other, stdin: `${PW}\n` });
  assert.equal(JSON.parse(tab.stdout).notes, "tab\there\nline two");
  const csv = await runCli(["import", join(FIXTURES, "chrome.csv"), "--password-stdin"], { home: other, stdin: `${PW}\nignored line\n` });
  assert.equal(csv.code, 0, csv.stderr);
});

test("open exports need --plaintext and the Account Password, are 0600, and import back into a new vault", async () => {
  const out = join(dir, "open.json");
  assert.equal((await run(["export", "--format", "json", "--out", out])).code, 2, "refused without --plaintext");
  const wrong = await run(["export", "--format", "json", "--plaintext", "--out", out, "--password-stdin"], "wrong password here\n");
  assert.equal(wrong.code, 6, "the Account Password is asked again even with a session");
  const total = (await listJson()).length + (await listJson("--trash")).length;
  for (const [format, name] of [
    ["json", "cryptex-json"],
    ["bitwarden-json", "bitwarden-json"],
    ["csv", "cryptex-csv"],
  ]) {
    const file = join(dir, `open-${format}`);
    const ex = await run(["export", "--format", format!, "--plaintext", "--out", file, "--password-stdin"], `${PW}\n`);
    assert.equal(ex.code, 0, ex.stderr);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const other = join(dir, `other-${format}`);
    await makeOfflineVault(other, PW, 0);
    const copy = join(dir, `copy-${format}`);
    copyFileSync(file, copy);
    const imp = await runCli(["import", copy, "--password-stdin", "--json"], { home: other, stdin: `${PW}\n` });
    assert.equal(imp.code, 0, imp.stderr);
    const report = JSON.parse(imp.stdout);
    assert.equal(report.format, name);
    assert.equal(report.imported, total);
    const pw = await runCli(["get", "Git 🔑 サーバー", "--field", "password", "--password-stdin"], { home: other, stdin: `${PW}\n` });
    assert.equal(pw.stdout, "p@ss word ");
  }
  assert.doesNotMatch(readFileSync(join(dir, "vault.cxex"), "latin1"), /p@ss word/);
});
