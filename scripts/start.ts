// `npm start`: builds the web app when its build is missing or older than its sources (web and core),
// then runs the server as a child on the same Node 24 binary, with the shipped Node flags, passing signals through.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { SERVER_NODE_FLAGS } from "../packages/server/src/node-flags.ts";
import { buildWebIfNeeded } from "../packages/web/src/build-if-stale.ts";

const root = join(import.meta.dirname, "..");
try {
  if (buildWebIfNeeded()) console.error("web app built into packages/web/dist");
} catch (e) {
  console.error(`the web app failed to build: ${(e as Error).message}`);
  process.exit(1);
}
const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, join(root, "packages/server/src/main.ts"), ...process.argv.slice(2)], {
  stdio: "inherit",
});
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(sig, () => child.kill(sig));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
