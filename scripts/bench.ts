// Runs every benchmark (`packages/*/bench/*.bench.ts`) one after another, each in its own process so
// one cannot warm or pollute another. Each prints its own figures with ratios to raw machine limits.
// Usage: npm run bench [-- name-filter]
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";

const filter = process.argv[2] ?? "";
const root = new URL("..", import.meta.url).pathname;
const files: string[] = [];
for (const pkg of readdirSync(join(root, "packages"))) {
  const dir = join(root, "packages", pkg, "bench");
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    continue;
  }
  for (const n of names.sort()) if (n.endsWith(".bench.ts") && join(pkg, n).includes(filter)) files.push(join(dir, n));
}
let failed = 0;
for (const f of files) {
  console.log(`\n=== ${f.slice(root.length)} ===`);
  const r = spawnSync(process.execPath, ["--expose-gc", f], { stdio: "inherit" });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
