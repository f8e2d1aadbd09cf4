// `npm start`: builds the web app when its build is missing or older than its sources, then runs the
// server in this process's place (same Node 24 binary), passing signals through.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const web = join(root, "packages/web");

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

const built = join(web, "dist/index.html");
if (existsSync(join(web, "src")) && existsSync(join(web, "vite.config.ts"))) {
  const stale =
    !existsSync(built) || statSync(built).mtimeMs < Math.max(newest(join(web, "src")), statSync(join(web, "vite.config.ts")).mtimeMs);
  if (stale) {
    console.error("building the web app (packages/web) …");
    const vite = join(root, "node_modules/vite/bin/vite.js");
    const r = spawnSync(process.execPath, [vite, "build", "--logLevel", "warn"], { cwd: web, stdio: "inherit" });
    if (r.status !== 0) {
      console.error("the web app failed to build; see above");
      process.exit(1);
    }
  }
}

const child = spawn(process.execPath, [join(root, "packages/server/src/main.ts"), ...process.argv.slice(2)], { stdio: "inherit" });
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(sig, () => child.kill(sig));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
