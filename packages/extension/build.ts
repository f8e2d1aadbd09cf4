// Builds the extension: dist/chromium (MV3 service worker) and dist/firefox (the same files, with Firefox's
// background.scripts form), each loadable unpacked. Everything is bundled: no remote code, no eval.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const common = {
  bundle: true,
  target: "chrome120",
  minify: process.argv.includes("--minify"),
  legalComments: "none",
  logLevel: "warning",
} as const;

/** Builds into `dist` (the package's own by default; tests give each file a folder of its own, so one file's
 * build never rewrites the files another file's browser is loading). Returns the Chromium folder. */
export async function buildExtension(dist = join(here, "dist")): Promise<string> {
  const out = join(dist, "chromium");
  rmSync(dist, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  await build({ ...common, entryPoints: { background: join(here, "src/background/main.ts") }, outdir: out, format: "esm" });
  await build({ ...common, entryPoints: { content: join(here, "src/content/main.ts") }, outdir: out, format: "iife" });
  await build({
    ...common,
    entryPoints: { popup: join(here, "src/popup/main.tsx") },
    outdir: out,
    format: "esm",
    splitting: true,
    chunkNames: "chunks/[name]-[hash]",
    jsx: "automatic",
    jsxImportSource: "preact",
  });
  cpSync(join(here, "src/popup/popup.html"), join(out, "popup.html"));
  cpSync(join(here, "src/popup/popup.css"), join(out, "popup.css"));
  const manifest = JSON.parse(readFileSync(join(here, "manifest.json"), "utf8"));
  writeFileSync(join(out, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  const firefox = join(dist, "firefox");
  cpSync(out, firefox, { recursive: true });
  const { service_worker: _sw, ...bg } = manifest.background;
  const ff = {
    ...manifest,
    background: { ...bg, scripts: ["background.js"] },
    browser_specific_settings: { gecko: { id: "extension@cryptex.invalid", strict_min_version: "128.0" } },
  };
  delete ff.minimum_chrome_version;
  delete ff.key; // Chromium's id key; Firefox takes its id from browser_specific_settings
  writeFileSync(join(firefox, "manifest.json"), `${JSON.stringify(ff, null, 2)}\n`);
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = await buildExtension();
  process.stdout.write(`built ${dir} (and dist/firefox)\n`);
}
