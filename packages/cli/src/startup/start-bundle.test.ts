// The start-up bundle (build-bundle.ts, start-bundle.ts, bin/cryptex.js): the real esbuild build into a
// temporary cache, then the real `cryptex` program run from it and from the sources on the same vault.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { GLOBAL_OPTIONS } from "../program/spec.ts";
import { makeOfflineVault } from "../testing/offline-vault.ts";
import { runCli } from "../testing/run-cli.ts";
import { type BundlePointer, buildBundle, pointerPath } from "./build-bundle.ts";
import { HOT_COMMANDS as BUNDLED } from "./hot-commands.ts";
import { bundleMain, commandWord, currentBundle, HOT_COMMANDS, VALUE_OPTIONS } from "./start-bundle.ts";

const PW = "bundle pass 42 quince";
let dir: string;
let home: string;
let root: string;
let session: string;

/** runs `cryptex` with the test's bundle cache and no agent (e2e/cli-agent.test.ts); `from` is where bin/cryptex.js says it started */
async function cx(args: string[], env: Record<string, string> = {}) {
  const r = await runCli(args, {
    home,
    env: { CRYPTEX_SESSION: session, CRYPTEX_BUNDLE_DIR: root, CRYPTEX_START_TRACE: "1", CRYPTEX_AGENT: "0", ...env },
  });
  const from = /cryptex: start from (bundle|sources)\n/.exec(r.stderr)?.[1];
  return { ...r, from, stderr: r.stderr.replace(/cryptex: start from \w+\n/, "") };
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "cryptex-bundle-"));
  home = join(dir, "home");
  root = join(dir, "cache");
  await makeOfflineVault(home, PW, 5);
  const r = await runCli(["unlock", "--raw", "--password-stdin"], { home, stdin: `${PW}\n`, env: { CRYPTEX_NO_BUNDLE: "1" } });
  assert.equal(r.code, 0, r.stderr);
  session = r.stdout;
  await buildBundle(root);
});
after(() => rmSync(dir, { recursive: true, force: true }));

test("the launcher's lists match the bundle's commands and the parser's global options", () => {
  assert.deepEqual([...HOT_COMMANDS].sort(), [...BUNDLED].sort());
  const valued = GLOBAL_OPTIONS.filter((o) => o.type === "string").map((o) => `--${o.name}`);
  assert.deepEqual([...VALUE_OPTIONS].sort(), valued.sort());
  assert.equal(commandWord(["--home", "get", "search", "x"]), "search");
  assert.equal(commandWord(["--json", "--ca", "c.pem", "get", "x"]), "get");
  assert.equal(commandWord(["--home=get", "list"]), "list");
  assert.equal(commandWord(["--json"]), undefined);
});

test("the hot commands run from the bundle and print what the sources print; others run from the sources", async () => {
  const cases = [
    ["get", "site-3", "--field", "password"],
    ["get", "site-3", "--json"],
    ["get", "no-such-item"],
    ["search", "site", "--json"],
    ["search", "is:weak tag:work"],
    ["search", "--deep", "secret", "--json"],
    ["totp", "site-1"],
    ["list"],
    ["--json", "list", "--tag", "work"],
    ["get", "--help"],
  ];
  for (const args of cases) {
    const bundled = await cx(args);
    const sources = await cx(args, { CRYPTEX_NO_BUNDLE: "1" });
    assert.equal(bundled.from, "bundle", args.join(" "));
    assert.equal(sources.from, "sources", args.join(" "));
    assert.deepEqual(
      { code: bundled.code, stdout: bundled.stdout, stderr: bundled.stderr },
      { code: sources.code, stdout: sources.stdout, stderr: sources.stderr },
      args.join(" "),
    );
  }
  assert.equal((await cx(["get", "site-3", "--field", "password"])).stdout, "pw-3-secret");
  // typed errors keep their exit codes through the bundle (3: not found, 5: locked)
  assert.equal((await cx(["get", "no-such-item"])).code, 3);
  assert.equal((await cx(["get", "site-3"], { CRYPTEX_SESSION: "" })).code, 5);
  const gen = await cx(["generate"]);
  assert.equal(gen.code, 0, gen.stderr);
  assert.equal(gen.from, "sources");
});

test("the cache holds code only: no password, session or vault byte is ever written there", async () => {
  await cx(["get", "site-3", "--field", "password"]);
  const files = readdirSync(root, { recursive: true, withFileTypes: true }).filter((f) => f.isFile());
  assert.ok(files.length > 2);
  const tokenKey = session.split("_").at(-1)!;
  for (const f of files) {
    const text = readFileSync(join(f.parentPath, f.name), "latin1");
    for (const secret of ["pw-3-secret", "site-3", tokenKey, PW]) assert.ok(!text.includes(secret), `${f.name} holds ${secret}`);
  }
});

test("a changed source sends the launcher back to the sources and a background build makes a current bundle", async () => {
  const pointer = JSON.parse(readFileSync(pointerPath(root), "utf8")) as BundlePointer;
  assert.ok(pointer.files.some(([p]) => p.endsWith("/src/commands/get.ts")));
  assert.ok(pointer.files.some(([p]) => p.endsWith("/core/src/formats/vault-index.ts")));
  assert.equal(bundleMain(["get", "x"], { CRYPTEX_BUNDLE_DIR: root }), new URL(`file://${pointer.dir}/main.mjs`).href);
  // as if get.ts had been edited since the build: the recorded size no longer matches
  const edited = { ...pointer, files: pointer.files.map(([p, size, mtime]) => [p, p.endsWith("/get.ts") ? size + 1 : size, mtime]) };
  writeFileSync(pointerPath(root), JSON.stringify(edited));
  const r = await cx(["get", "site-1", "--field", "password"]);
  assert.equal(r.from, "sources");
  assert.equal(r.stdout, "pw-1-secret");
  // the launcher started the builder: it rewrites the pointer with the real sizes, and the bundle is used again
  const deadline = Date.now() + 60_000;
  while (currentBundle(root) === undefined && Date.now() < deadline) await sleep(250);
  while (existsSync(join(root, "build.lock")) && Date.now() < deadline) await sleep(100);
  assert.equal((await cx(["get", "site-1", "--field", "password"])).from, "bundle");
});

test("a damaged or foreign pointer is never trusted: the sources run", async () => {
  const good = readFileSync(pointerPath(root), "utf8");
  const { dir: bundleDir } = JSON.parse(good) as BundlePointer;
  assert.ok(currentBundle(root));
  for (const bad of [
    "{",
    JSON.stringify({ dir: 5, files: [] }),
    JSON.stringify({ dir: join(dir, "nowhere"), files: [] }),
    JSON.stringify({ dir: bundleDir, files: [[7, 1, 1]] }),
    JSON.stringify({ dir: bundleDir, files: [[join(dir, "gone.ts"), 1, 1]] }),
  ]) {
    writeFileSync(pointerPath(root), bad);
    assert.equal(currentBundle(root), undefined, bad);
  }
  writeFileSync(pointerPath(root), good);
  assert.equal(bundleMain(["generate"], { CRYPTEX_BUNDLE_DIR: root }), undefined);
  assert.equal(bundleMain(["get", "x"], { CRYPTEX_BUNDLE_DIR: root, CRYPTEX_NO_BUNDLE: "1" }), undefined);
  assert.ok(bundleMain(["get", "x"], { CRYPTEX_BUNDLE_DIR: root }));
});
