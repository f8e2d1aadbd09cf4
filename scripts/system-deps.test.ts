import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { advice, depsOfFile, plan, SYSTEM_DEPS, which } from "./system-deps.ts";

const root = new URL("..", import.meta.url).pathname;
const dep = (pkg: string) => SYSTEM_DEPS.find((d) => d.pkg === pkg)!;
const names = (file: string) => depsOfFile(join(root, file)).map((d) => d.pkg);

test("plan: root with apt-get installs every missing package; nothing is left to advise", () => {
  const p = plan([dep("chromium"), dep("postgresql"), dep("openssl")], { present: new Set(["openssl"]), isRoot: true, hasApt: true });
  assert.deepEqual(p, { install: ["chromium", "postgresql"], cannot: [] });
});

test("plan: without root, or without apt-get, nothing is installed and the missing packages are named", () => {
  const wanted = [dep("chromium"), dep("postgresql")];
  assert.deepEqual(plan(wanted, { present: new Set(), isRoot: false, hasApt: true }), { install: [], cannot: ["chromium", "postgresql"] });
  assert.deepEqual(plan(wanted, { present: new Set(), isRoot: true, hasApt: false }), { install: [], cannot: ["chromium", "postgresql"] });
  assert.deepEqual(plan(wanted, { present: new Set(["chromium", "postgresql"]), isRoot: false, hasApt: false }), {
    install: [],
    cannot: [],
  });
});

test("advice gives the exact install line: sudo for a user, plain for root, the names without apt-get", () => {
  assert.equal(
    advice(["chromium", "nginx"], { isRoot: false, hasApt: true }),
    "missing system packages: chromium, nginx; install them with: sudo sh -c 'apt-get update && apt-get install -y chromium nginx'",
  );
  assert.match(advice(["chromium"], { isRoot: true, hasApt: true }), /with: apt-get update && apt-get install -y chromium$/);
  assert.match(advice(["rclone"], { isRoot: false, hasApt: false }), /missing system packages: rclone; .*package manager/);
});

test("a test file needs what it or anything it imports uses", () => {
  assert.deepEqual(names("packages/core/src/formats/eak.test.ts"), []);
  assert.deepEqual(names("e2e/web-store-contract.test.ts"), ["chromium"]);
  assert.deepEqual(names("e2e/server-postgres.test.ts").sort(), ["openssl", "postgresql"]);
  assert.ok(names("e2e/web-app.test.ts").includes("chromium"));
  const dir = mkdtempSync(join(tmpdir(), "cryptex-deps-"));
  try {
    writeFileSync(join(dir, "a.test.ts"), 'import { x } from "./b.ts";\nimport "./a.test.ts";\n');
    writeFileSync(join(dir, "b.ts"), 'import "./c.ts";\nexport const x = 1;\n');
    writeFileSync(join(dir, "c.ts"), 'spawn("keepassxc-cli", ["db-create"]);\n');
    assert.deepEqual(
      depsOfFile(join(dir, "a.test.ts")).map((d) => d.pkg),
      ["keepassxc"],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("npm test as a user without chromium prints the install line and skips the browser tests with that reason", () => {
  // Only Node's own folder on PATH and a CHROMIUM_PATH that does not exist: chromium is "missing" for this run.
  const env = { PATH: dirname(process.execPath), CHROMIUM_PATH: "/nonexistent/chromium", HOME: tmpdir() };
  const args = [join(root, "scripts/test.ts"), "e2e/web-store-contract.test.ts", "packages/core/src/formats/verifier.test.ts"];
  const asRoot = process.getuid?.() === 0;
  const r = asRoot
    ? spawnSync(which("runuser") ?? "runuser", ["-u", "nobody", "--", process.execPath, ...args], { cwd: root, env, encoding: "utf8" })
    : spawnSync(process.execPath, args, { cwd: root, env, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  assert.match(
    r.stderr,
    /missing system packages: chromium; install them with: sudo sh -c 'apt-get update && apt-get install -y chromium'/,
  );
  assert.match(r.stderr, /SKIP e2e\/web-store-contract\.test\.ts: needs chromium \(browser tests\)/);
  assert.match(r.stdout, /ℹ pass [1-9]/); // the other tests still ran
});
