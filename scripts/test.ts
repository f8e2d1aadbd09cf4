// Runs every test with node's test runner: unit tests beside the code, end-to-end tests in e2e/.
// Usage: npm test [-- pattern…]   (patterns default to all tests)
// Before running, the Debian packages the chosen tests need are installed when we can (root with apt-get);
// test files whose packages are still missing are skipped with the reason and the install line, never run to
// crash. With CI=true a missing package fails the run instead: CI must not pass by skipping.
import { spawnSync } from "node:child_process";
import { globSync } from "node:fs";
import { depsOfFile, ensure } from "./system-deps.ts";

const root = new URL("..", import.meta.url).pathname;
const patterns = process.argv.slice(2);
const globs = patterns.length > 0 ? patterns : ["packages/*/src/**/*.test.ts", "scripts/**/*.test.ts", "e2e/**/*.test.ts"];
const files = [...new Set(globs.flatMap((g) => globSync(g, { cwd: root, exclude: (p) => p.includes("node_modules") })))].sort();
if (files.length === 0) {
  console.error(`no test file matches ${globs.join(" ")}`);
  process.exit(1);
}

const needs = new Map(files.map((f) => [f, depsOfFile(`${root}${f}`)]));
const wanted = [...new Map([...needs.values()].flat().map((d) => [d.pkg, d])).values()];
const missing = new Set(wanted.length > 0 ? ensure(wanted) : []);
if (missing.size > 0 && process.env.CI === "true") {
  console.error("CI: refusing to skip tests for missing system packages");
  process.exit(1);
}
const skipped = files.filter((f) => needs.get(f)!.some((d) => missing.has(d.pkg)));
const run = files.filter((f) => !skipped.includes(f));

let status = 0;
if (run.length > 0) {
  const r = spawnSync(process.execPath, ["--test", "--test-concurrency=2", "--test-timeout=600000", ...run], {
    cwd: root,
    stdio: "inherit",
  });
  status = r.status ?? 1;
}
if (skipped.length > 0) {
  console.error(`\nskipped ${skipped.length} test file(s) for missing system packages:`);
  for (const f of skipped) {
    const why = needs.get(f)!.filter((d) => missing.has(d.pkg));
    console.error(`  SKIP ${f}: needs ${why.map((d) => `${d.pkg} (${d.purpose})`).join(", ")}`);
  }
}
process.exit(status);
