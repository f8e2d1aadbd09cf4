// Which start-up bundle bin/cryptex.js may run, decided in well under a millisecond: one small JSON read and
// one stat per source, and nothing else loaded. build-bundle.ts writes the cache.
// Node's modules through getBuiltinModule: an ES import of node:fs builds its export facade, ~2 ms of a start
const { existsSync, readFileSync, statSync } = process.getBuiltinModule("node:fs");
const { fileURLToPath, pathToFileURL } = process.getBuiltinModule("node:url");

/** the commands the bundle holds: hot-commands.ts's list (a test keeps them equal; that module is not loaded here) */
export const HOT_COMMANDS: ReadonlySet<string> = new Set(["get", "list", "search", "totp"]);
/** global options that take a value, as in program/spec.ts GLOBAL_OPTIONS (a test keeps them equal) */
export const VALUE_OPTIONS: ReadonlySet<string> = new Set(["--home", "--ca"]);

/** where bundles are kept: beside the CLI's own packages, like other tools' caches */
export const DEFAULT_BUNDLE_ROOT = fileURLToPath(new URL("../../node_modules/.cache/cryptex-cli", import.meta.url));
const BUILDER = fileURLToPath(new URL("./build-bundle.ts", import.meta.url));

/** The command word, as the parser finds it: the first word that is not a flag or a global option's value. */
export function commandWord(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (VALUE_OPTIONS.has(a)) i++;
    else if (!a.startsWith("-")) return a;
  }
  return undefined;
}

/** The bundle's entry URL when this command line may run from it, else undefined (then: the sources). */
export function bundleMain(argv: readonly string[], env: NodeJS.ProcessEnv): string | undefined {
  if (env.CRYPTEX_NO_BUNDLE || !HOT_COMMANDS.has(commandWord(argv) ?? "")) return undefined;
  const root = env.CRYPTEX_BUNDLE_DIR || DEFAULT_BUNDLE_ROOT;
  return currentBundle(root) ?? rebuild(root);
}

/** The entry URL of the bundle in `root` if every source it was made from is unchanged (size and mtime). */
export function currentBundle(root: string): string | undefined {
  let pointer: { dir?: unknown; files?: unknown } | undefined;
  try {
    pointer = JSON.parse(readFileSync(`${root}/${process.version}.json`, "utf8"));
  } catch {
    return undefined;
  }
  if (typeof pointer?.dir !== "string" || !Array.isArray(pointer.files) || !existsSync(`${pointer.dir}/main.mjs`)) return undefined;
  for (const f of pointer.files as unknown[]) {
    if (!Array.isArray(f) || typeof f[0] !== "string") return undefined;
    const st = statSync(f[0], { throwIfNoEntry: false });
    if (!st || st.size !== f[1] || st.mtimeMs !== f[2]) return undefined;
  }
  return pathToFileURL(`${pointer.dir}/main.mjs`).href;
}

/** after a builder found no esbuild (a production install), no new try for this long */
const RETRY_FAILED_MS = 3_600_000;
/** as build-bundle.ts: a lock older than this belongs to a builder that died */
const LOCK_STALE_MS = 120_000;

/** Starts the builder in the background (it keeps to one at a time) and answers "not now". */
function rebuild(root: string): undefined {
  try {
    const failed = statSync(`${root}/build-failed`, { throwIfNoEntry: false });
    if (failed && Date.now() - failed.mtimeMs < RETRY_FAILED_MS) return undefined;
    // a build is under way (many commands start at once in a test run or a script): no second builder
    const lock = statSync(`${root}/build.lock`, { throwIfNoEntry: false });
    if (lock && Date.now() - lock.mtimeMs < LOCK_STALE_MS) return undefined;
    // loaded only here: a current bundle's start does not pay for node:child_process
    const { spawn } = process.getBuiltinModule("node:child_process");
    // without the session token: a background process has no use for it, and its environment is readable
    const { CRYPTEX_SESSION: _token, ...env } = process.env;
    spawn(process.execPath, [BUILDER, root], { detached: true, stdio: "ignore", env }).unref();
  } catch {
    // no bundle then: the sources run, as always
  }
  return undefined;
}
