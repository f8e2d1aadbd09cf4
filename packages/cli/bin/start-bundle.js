// Which start-up bundle bin/cryptex.js may run, decided in well under a millisecond: plain JavaScript (no
// type stripping), one small JSON read and one stat per source. src/startup/build-bundle.ts writes the cache.
import { spawn } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { pathToFileURL } from "node:url";

/** the commands the bundle holds: the same list as src/startup/hot-commands.ts (a test keeps them equal) */
export const HOT_COMMANDS = new Set(["get", "list", "search", "totp"]);
/** global options that take a value, as in src/program/spec.ts GLOBAL_OPTIONS (a test keeps them equal) */
export const VALUE_OPTIONS = new Set(["--home", "--ca"]);

const DEFAULT_ROOT = new URL("../node_modules/.cache/cryptex-cli/", import.meta.url).pathname;
const BUILDER = new URL("../src/startup/build-bundle.ts", import.meta.url).pathname;

/** The command word, as the parser finds it: the first word that is not a flag or a global option's value. */
export function commandWord(argv) {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (VALUE_OPTIONS.has(a)) i++;
    else if (!a.startsWith("-")) return a;
  }
  return undefined;
}

/** The bundle's entry URL when this command line may run from it, else undefined (then: the sources). */
export function bundleMain(argv, env, root = env.CRYPTEX_BUNDLE_DIR || DEFAULT_ROOT) {
  if (env.CRYPTEX_NO_BUNDLE || !HOT_COMMANDS.has(commandWord(argv))) return undefined;
  let pointer;
  try {
    pointer = JSON.parse(readFileSync(`${root}/${process.version}.json`, "utf8"));
  } catch {
    return rebuild(root);
  }
  if (typeof pointer?.dir !== "string" || !Array.isArray(pointer.files)) return rebuild(root);
  for (const f of pointer.files) {
    const st = Array.isArray(f) ? statSync(f[0], { throwIfNoEntry: false }) : undefined;
    if (!st || st.size !== f[1] || st.mtimeMs !== f[2]) return rebuild(root);
  }
  return pathToFileURL(`${pointer.dir}/main.mjs`).href;
}

/** Starts the builder in the background (it keeps to one at a time) and answers "not now". */
function rebuild(root) {
  try {
    spawn(process.execPath, [BUILDER, root], { detached: true, stdio: "ignore" }).unref();
  } catch {
    // no bundle then: the sources run, as always
  }
  return undefined;
}
