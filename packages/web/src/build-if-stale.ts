// Builds the web app (vite build → dist/, or with its test hooks → dist-test/) when that is missing or older
// than the sources of web and core.
// Run directly (`node packages/web/src/build-if-stale.ts`, e.g. before `npm start`) or imported by tests and benchmarks.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const WEB = join(import.meta.dirname, "..");

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === "node_modules" || e.name === "dist" || e.name === "dist-test") continue;
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** The build each mode writes: production (what the server ships) or test (with hooks for benchmarks). */
export const distOf = (mode: "production" | "test" = "production"): string => join(WEB, mode === "test" ? "dist-test" : "dist");

export function buildWebIfNeeded(mode: "production" | "test" = "production"): boolean {
  const index = join(distOf(mode), "index.html");
  const sources = Math.max(
    newest(join(WEB, "src")),
    newest(join(WEB, "public")),
    newest(join(WEB, "..", "core", "src")),
    statSync(join(WEB, "index.html")).mtimeMs,
    statSync(join(WEB, "vite.config.ts")).mtimeMs,
  );
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return false;
  const vite = join(WEB, "..", "..", "node_modules", "vite", "bin", "vite.js");
  const r = spawnSync(process.execPath, [vite, "build", "--mode", mode, "--logLevel", "error"], { cwd: WEB, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`vite build failed:\n${r.stdout}\n${r.stderr}`);
  return true;
}

if (process.argv[1] === import.meta.filename) {
  try {
    if (buildWebIfNeeded()) process.stderr.write("web app built into packages/web/dist\n");
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(1);
  }
}
