// Builds the start-up bundle that bin/cryptex.js runs for the hot commands (startup/hot-commands.ts): the CLI
// bundled by esbuild into a few ES modules, so a `cryptex get` loads a handful of files instead of resolving,
// reading and linking 40 TypeScript modules. It holds code only — never a key, an item or anything of a vault.
//
// Layout of the cache (start-bundle.ts reads it; start-bundle.test.ts checks it):
//   ROOT/<key>/main.mjs (+ chunks)   key = Node version + SHA-256 of every source the bundle was made from
//   ROOT/<node version>.json         { dir, files: [[path, size, mtimeMs], …] } — written last, atomically
// The launcher uses a bundle only while every listed file has its recorded size and mtime; otherwise it runs
// the sources and starts this builder in the background (`node build-bundle.ts ROOT`).
import { createHash } from "node:crypto";
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const CLI_DIR = fileURLToPath(new URL("../../", import.meta.url));
/** npm rewrites this file on every install: one stat tells the launcher that the bundled packages may have moved */
const INSTALL_STAMP = resolve(CLI_DIR, "../../node_modules/.package-lock.json");
/** a lock older than this belongs to a builder that died */
const LOCK_STALE_MS = 120_000;
/** bundles other than the current one are removed once this old (a launcher may still be loading one) */
const OLD_BUNDLE_MS = 60_000;

export type BundleFile = [path: string, size: number, mtimeMs: number];
export interface BundlePointer {
  readonly dir: string;
  readonly files: readonly BundleFile[];
}

export const pointerPath = (root: string): string => join(root, `${process.version}.json`);
/** written when the background builder finds no esbuild (a production install): no new try for a while */
export const failedPath = (root: string): string => join(root, "build-failed");

/** Builds a fresh bundle into `root` and points the launcher at it; returns its folder. */
export async function buildBundle(root: string): Promise<string> {
  const { build } = await import("esbuild");
  mkdirSync(root, { recursive: true });
  const started = Date.now();
  const tmp = join(root, `tmp-${process.pid}-${started}`);
  const result = await build({
    absWorkingDir: CLI_DIR,
    entryPoints: { main: "src/main.ts" },
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: `node${process.versions.node.split(".")[0]}`,
    outdir: tmp,
    outExtension: { ".js": ".mjs" },
    chunkNames: "c-[hash]",
    metafile: true,
    logLevel: "silent",
    plugins: [
      {
        // the bundle's command loader knows only the hot commands (the others run from the sources)
        name: "hot-commands",
        setup(b) {
          b.onResolve({ filter: /\/load-command\.ts$/ }, () => ({ path: join(CLI_DIR, "src/startup/hot-commands.ts") }));
        },
      },
    ],
  });
  const sources = Object.keys(result.metafile.inputs)
    .map((p) => resolve(CLI_DIR, p))
    .filter((p) => !p.includes("/node_modules/"))
    .sort();
  if (existsSync(INSTALL_STAMP)) sources.push(INSTALL_STAMP);
  const hash = createHash("sha256").update(process.version);
  const files: BundleFile[] = [];
  for (const path of sources) {
    const st = statSync(path);
    if (st.mtimeMs >= started) {
      // edited while esbuild read the sources: this bundle may hold the old text, so it is not used
      rmSync(tmp, { recursive: true, force: true });
      throw new Error(`${path} changed during the build`);
    }
    hash.update(path).update("\0").update(readFileSync(path));
    files.push([path, st.size, st.mtimeMs]);
  }
  const dir = join(root, `${process.version}-${hash.digest("hex").slice(0, 16)}`);
  if (existsSync(join(dir, "main.mjs"))) rmSync(tmp, { recursive: true, force: true });
  else renameSync(tmp, dir);
  const pointer: BundlePointer = { dir, files };
  const tmpPointer = `${pointerPath(root)}.${process.pid}`;
  writeFileSync(tmpPointer, JSON.stringify(pointer));
  renameSync(tmpPointer, pointerPath(root));
  removeOldBundles(root, dir);
  return dir;
}

function removeOldBundles(root: string, keep: string): void {
  const now = Date.now();
  for (const name of readdirSync(root)) {
    const path = join(root, name);
    if (path === keep || name.endsWith(".json") || name === "build.lock" || name === "build-failed") continue;
    try {
      if (now - statSync(path).mtimeMs > OLD_BUNDLE_MS) rmSync(path, { recursive: true, force: true });
    } catch {
      // another builder removed it first
    }
  }
}

/** One builder at a time per cache; a second one leaves quietly. Returns false when another holds the lock. */
export async function buildBundleOnce(root: string): Promise<boolean> {
  mkdirSync(root, { recursive: true });
  const lock = join(root, "build.lock");
  try {
    if (Date.now() - statSync(lock).mtimeMs > LOCK_STALE_MS) rmSync(lock, { force: true });
  } catch {
    // no lock
  }
  let fd: number;
  try {
    fd = openSync(lock, "wx");
  } catch {
    return false;
  }
  try {
    await buildBundle(root);
    return true;
  } finally {
    closeSync(fd);
    rmSync(lock, { force: true });
  }
}

// `node build-bundle.ts ROOT`: the launcher's background build. Any failure (no esbuild in a production
// install, a read-only folder) only means the sources keep running: it is silent by design.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = process.argv[2];
  if (root) {
    try {
      await buildBundleOnce(root);
      rmSync(failedPath(root), { force: true });
    } catch (e) {
      process.exitCode = 1;
      // no esbuild here (a production install): its mtime holds the launcher back (start-bundle.ts). Other
      // failures (a source being edited does not parse) are tried again on the next start.
      if ((e as { code?: unknown }).code === "ERR_MODULE_NOT_FOUND") {
        try {
          writeFileSync(failedPath(root), "");
        } catch {
          // an unwritable cache: the launcher keeps trying, and the sources keep running
        }
      }
    }
  }
}
