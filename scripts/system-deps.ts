// The one list of Debian packages the tests need, how to tell whether each is present, and which test files use it.
// `npm test` and `.ci/run` both go through here: missing packages are installed when we are root with apt-get,
// otherwise the exact install line is printed and the test files that need them are skipped with that reason.
//
//   node scripts/system-deps.ts            install what is missing when possible, report the rest (exit 0)
//   node scripts/system-deps.ts --strict   the same, but exit 1 when anything is still missing (CI)
import { type SpawnSyncOptions, spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, readFileSync } from "node:fs";
import { delimiter, dirname, join, resolve } from "node:path";

export interface SystemDep {
  /** the Debian package name */
  readonly pkg: string;
  /** what it is for, in the skip reason */
  readonly purpose: string;
  /** executables (absolute paths or names looked up on PATH); the package is present when any one exists */
  readonly probes: readonly string[];
  /** a test file needs the package when its own text, or that of a file it imports, matches this */
  readonly usedBy: RegExp;
}

export const SYSTEM_DEPS: readonly SystemDep[] = [
  {
    pkg: "openssl",
    purpose: "the server's self-signed certificate",
    probes: ["openssl"],
    usedBy: /\bstartServer\b|server\/src\/main\.ts|makeSelfSignedCertificate/,
  },
  {
    pkg: "chromium",
    purpose: "browser tests",
    probes: [process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", "chromium"],
    usedBy: /\blaunchChromium\b|launchPersistentContext|from "playwright-core"/,
  },
  {
    pkg: "postgresql",
    purpose: "the PostgreSQL store",
    probes: ["/usr/lib/postgresql/17/bin/initdb", "/usr/lib/postgresql/16/bin/initdb", "/usr/lib/postgresql/15/bin/initdb", "initdb"],
    usedBy: /\bstartPostgres\b/,
  },
  { pkg: "wabt", purpose: "assembling the Argon2id kernel", probes: ["wat2wasm"], usedBy: /["'`]wat2wasm["'`]/ },
  { pkg: "keepassxc", purpose: "real KDBX files", probes: ["keepassxc-cli"], usedBy: /["'`]keepassxc-cli["'`]/ },
  { pkg: "syncthing", purpose: "folder sync between real replicas", probes: ["syncthing"], usedBy: /["'`]syncthing["'`]/ },
  { pkg: "rclone", purpose: "a real WebDAV server", probes: ["rclone"], usedBy: /["'`]rclone["'`]/ },
  {
    pkg: "nginx",
    purpose: "the deployment behind nginx",
    probes: ["nginx", "/usr/sbin/nginx"],
    usedBy: /["'`](?:\/usr\/sbin\/)?nginx["'`]/,
  },
];

/** The facts the plan depends on; probed from the machine by `probeFacts`, or given by a test. */
export interface Facts {
  readonly present: ReadonlySet<string>;
  readonly isRoot: boolean;
  readonly hasApt: boolean;
}

export interface Plan {
  /** packages to install now with apt-get */
  readonly install: readonly string[];
  /** packages that are missing and that we cannot install */
  readonly cannot: readonly string[];
}

/** Decides what to do about missing packages: pure, so its rules have a test. */
export function plan(wanted: readonly SystemDep[], facts: Facts): Plan {
  const missing = wanted.filter((d) => !facts.present.has(d.pkg)).map((d) => d.pkg);
  const canInstall = facts.isRoot && facts.hasApt;
  return { install: canInstall ? missing : [], cannot: canInstall ? [] : missing };
}

/** The one line that tells a person exactly what to install, and how. */
export function advice(missing: readonly string[], facts: Pick<Facts, "isRoot" | "hasApt">): string {
  const what = `missing system packages: ${missing.join(", ")}`;
  if (!facts.hasApt) return `${what}; install them with your system's package manager (these are Debian's names)`;
  const line = `apt-get update && apt-get install -y ${missing.join(" ")}`;
  return `${what}; install them with: ${facts.isRoot ? line : `sudo sh -c '${line}'`}`;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function which(name: string): string | undefined {
  if (name.includes("/")) return isExecutable(name) ? name : undefined;
  for (const dir of (process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin").split(delimiter)) {
    if (dir && isExecutable(join(dir, name))) return join(dir, name);
  }
  // Debian puts some daemons in sbin, which a non-root PATH may lack.
  for (const dir of ["/usr/sbin", "/sbin"]) if (isExecutable(join(dir, name))) return join(dir, name);
  return undefined;
}

export function probeFacts(deps: readonly SystemDep[] = SYSTEM_DEPS): Facts {
  const present = new Set(deps.filter((d) => d.probes.some((p) => which(p) !== undefined)).map((d) => d.pkg));
  return { present, isRoot: process.getuid?.() === 0, hasApt: (which("apt-get") ?? which("/usr/bin/apt-get")) !== undefined };
}

/** Installs what `plan` says can be installed; returns the packages that are still missing (already reported). */
export function ensure(wanted: readonly SystemDep[], log: (line: string) => void = (l) => console.error(l)): string[] {
  const p = plan(wanted, probeFacts(wanted));
  if (p.install.length > 0) {
    log(`installing Debian packages the tests need: ${p.install.join(" ")} (apt-get)`);
    const opts: SpawnSyncOptions = { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } };
    const update = spawnSync("apt-get", ["update", "-qq"], opts);
    const install = update.status === 0 ? spawnSync("apt-get", ["install", "-y", "-qq", ...p.install], opts) : update;
    if (install.status !== 0) log("apt-get could not install them (no network or no package repository?)");
  }
  const after = probeFacts(wanted);
  const still = wanted.filter((d) => !after.present.has(d.pkg)).map((d) => d.pkg);
  if (still.length > 0) log(advice(still, after));
  return still;
}

const IMPORT = /(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g;

/** The system packages a test file needs: matched in its own text or in any repository file it imports. */
export function depsOfFile(file: string, deps: readonly SystemDep[] = SYSTEM_DEPS, memo = new Map<string, Set<string>>()): SystemDep[] {
  const visit = (abs: string): Set<string> => {
    const known = memo.get(abs);
    if (known) return known;
    const found = new Set<string>();
    memo.set(abs, found); // an import cycle sees what is found so far
    if (!existsSync(abs) || abs.includes("/node_modules/")) return found;
    const text = readFileSync(abs, "utf8");
    for (const d of deps) if (d.usedBy.test(text)) found.add(d.pkg);
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1]!;
      if (/\.(ts|tsx|js|mjs)$/.test(spec)) for (const pkg of visit(join(dirname(abs), spec))) found.add(pkg);
    }
    return found;
  };
  const found = visit(resolve(file));
  return deps.filter((d) => found.has(d.pkg));
}

if (import.meta.main) {
  const strict = process.argv.includes("--strict");
  const still = ensure(SYSTEM_DEPS);
  if (still.length === 0) console.error(`system packages present: ${SYSTEM_DEPS.map((d) => d.pkg).join(" ")}`);
  process.exit(strict && still.length > 0 ? 1 : 0);
}
