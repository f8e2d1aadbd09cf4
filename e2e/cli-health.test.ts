// `cryptex health` and `cryptex search` operators as real processes: the breach check against a local HTTPS
// range server (the documented protocol, padding included); nothing reaches the internet.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { makeOfflineVault } from "../packages/cli/src/testing/offline-vault.ts";
import { runCli } from "../packages/cli/src/testing/run-cli.ts";
import { type RangeServer, startRangeServer } from "./support/pwned-range-server.ts";

const PW = "offline pass 42 walnut";
const SHARED = "quiet-Harbor-58-lantern-Vex";
let dir: string;
let home: string;
let session: string;
let range: RangeServer;
let caFile: string;
const run = (args: string[]) => runCli(args, { home, env: { CRYPTEX_SESSION: session } });

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "cryptex-health-"));
  home = join(dir, "home");
  await makeOfflineVault(home, PW, 0);
  const r = await runCli(["unlock", "--raw", "--password-stdin"], { home, stdin: `${PW}\n` });
  assert.equal(r.code, 0, r.stderr);
  session = r.stdout.trim();
  range = await startRangeServer({ password1: 2_400_000, [SHARED]: 7 });
  caFile = join(dir, "range-ca.pem");
  writeFileSync(caFile, range.caPem);
  const add = async (title: string, fields: string[], extra: string[] = []) => {
    const a = await run(["add", "login", "--title", title, ...fields.flatMap((f) => ["--field", f]), ...extra]);
    assert.equal(a.code, 0, a.stderr);
  };
  await add("Forum", ["password=password1", "url=http://forum.example"]);
  await add("Git hosting", [`password=${SHARED}`, "url=https://github.com/login"], ["--tag", "work"]);
  await add("Chat", [`password=${SHARED}`, "url=https://chat.example"], ["--notes", "Recovery codes are in the blue binder", "--favorite"]);
  await add("Bank", ["password=vivid-Lantern-7-orbit-quietly-Zm", "url=https://bank.example", "Branch=Main Street"]);
  await add("Evil\u001b[2J", ["url=http://evil.example/\u001b]0;pwned\u0007"]);
});
after(async () => {
  await range.close();
  rmSync(dir, { recursive: true, force: true });
});

test("cryptex health: a readable summary, exit 0, no breach check unless asked", async () => {
  range.requests.length = 0;
  const r = await run(["health"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Password health: \d+\/100 \(4 items with a password\)/);
  assert.match(r.stdout, /Breach check: off/);
  assert.match(r.stdout, /Weak \(1\):\n {2}\w{8} {2}Forum/);
  assert.match(r.stdout, /Reused \(1\):\n {2}group 1: 2 items share one password\n.*Chat\n.*Git hosting/);
  assert.match(
    r.stdout,
    /Insecure http: addresses \(2\):\n.*Evil\?\[2J {2}http:\/\/evil\.example\/\?\]0;pwned\?\n.*Forum {2}http:\/\/forum\.example/,
  );
  assert.ok(!r.stdout.includes("\u001b") && !r.stdout.includes("\u0007"), "no control characters from the vault reach the terminal");
  assert.match(r.stdout, /No one-time code where the site offers one \(list of \d{4}-\d\d-\d\d\) \(1\):\n.*Git hosting {2}github\.com/);
  assert.equal(range.requests.length, 0, "no request without --breaches");
  assert.ok(!r.stdout.includes(SHARED) && !r.stdout.includes("password1"), "no password is printed");
  // the cache on disk is encrypted
  const cache = readFileSync(join(home, "health-cache.bin"));
  assert.ok(!cache.toString("latin1").includes("score"));
});

test("cryptex health --breaches: counts from the range API, only prefixes sent, JSON stable", async () => {
  range.requests.length = 0;
  const r = await run(["health", "--json", "--breach-endpoint", range.url, "--ca", caFile]);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal(report.breachCheck.status, "done");
  assert.deepEqual(
    report.breached.map((x: { title: string; count: number }) => [x.title, x.count]),
    [
      ["Forum", 2_400_000],
      ["Chat", 7],
      ["Git hosting", 7],
    ],
  );
  assert.equal(range.requests.length, 3, "one request per distinct password");
  for (const q of range.requests) {
    assert.match(q.path, /^\/range\/[0-9A-F]{5}$/);
    assert.equal(q.padding, "true");
  }
  // text form names the counts; a second run uses the device's cache
  range.requests.length = 0;
  const text = await run(["health", "--breaches", "--breach-endpoint", range.url, "--ca", caFile]);
  assert.match(text.stdout, /Breached \(3\):\n.*Forum {2}seen 2,400,000 times in breaches/);
  assert.match(text.stdout, /Breach check: done \(0 range requests, 3 from this device's cache\)/);
  assert.equal(range.requests.length, 0);
});

test("cryptex health: a bad endpoint is a usage error; an unreachable one is reported", async () => {
  const bad = await run(["health", "--breach-endpoint", "http://example.com"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /https:\/\//);
  rmSync(join(home, "health-cache.bin")); // else the counts checked a moment ago are used, and nothing is asked
  const down = await run(["health", "--breach-endpoint", "https://127.0.0.1:9", "--ca", caFile]);
  assert.equal(down.code, 0, down.stderr);
  assert.match(down.stdout, /Breach check FAILED: the breach endpoint https:\/\/127\.0\.0\.1:9 could not be reached/);
});

test("cryptex search: operators, phrases, is:weak and opt-in deep search", async () => {
  const titles = async (q: string, ...flags: string[]) => {
    const r = await run(["search", q, "--json", ...flags]);
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout).map((e: { title: string }) => e.title);
  };
  assert.deepEqual(await titles("tag:work"), ["Git hosting"]);
  assert.deepEqual(await titles("is:favorite"), ["Chat"]);
  assert.deepEqual(await titles("type:login url:bank"), ["Bank"]);
  assert.deepEqual(await titles("is:weak"), ["Forum"]);
  assert.deepEqual(await titles('"blue binder"'), [], "notes are not searched without --deep");
  assert.ok(!existsSync(join(home, "deep-index.bin")));
  assert.deepEqual(await titles('"blue binder"', "--deep"), ["Chat"]);
  assert.deepEqual(await titles("main street", "--deep"), ["Bank"], "custom field values");
  assert.ok(existsSync(join(home, "deep-index.bin")));
  assert.ok(!readFileSync(join(home, "deep-index.bin")).toString("latin1").includes("binder"), "the index is encrypted");
  // an edit reaches the index
  assert.equal((await run(["edit", "Chat", "--notes", "Codes moved to the safe"])).code, 0);
  assert.deepEqual(await titles("safe", "--deep"), ["Chat"]);
  assert.deepEqual(await titles("binder", "--deep"), []);
  const off = await run(["search", "--deep-off"]);
  assert.equal(off.code, 0);
  assert.ok(!existsSync(join(home, "deep-index.bin")));
});
