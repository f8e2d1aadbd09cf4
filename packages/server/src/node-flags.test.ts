// The shipped launchers start the server with SERVER_NODE_FLAGS, and the flags do what node-flags.ts says.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { SERVER_NODE_FLAGS } from "./node-flags.ts";
import { startServer } from "./testing/start-server.ts";

const root = new URL("../../../", import.meta.url);
const MAIN = "packages/server/src/main.ts";
/** The arguments a command line puts between the node binary and main.ts. */
function flagsOf(argv: readonly string[]): string[] {
  const at = argv.indexOf(MAIN);
  assert.ok(at > 0 && /(^|\/)node$/.test(argv[0]!), `not a node command line for ${MAIN}: ${argv.join(" ")}`);
  return argv.slice(1, at);
}

test("deploy/Dockerfile runs main.ts with the shipped Node flags", () => {
  const text = readFileSync(new URL("deploy/Dockerfile", root), "utf8");
  const cmd = /^CMD (\[.*\])$/m.exec(text);
  assert.ok(cmd, "no exec-form CMD line");
  assert.deepEqual(flagsOf(JSON.parse(cmd[1]!) as string[]), SERVER_NODE_FLAGS);
});

test("deploy/cryptex.service runs main.ts with the shipped Node flags", () => {
  const text = readFileSync(new URL("deploy/cryptex.service", root), "utf8");
  const exec = /^ExecStart=(.*)$/m.exec(text);
  assert.ok(exec, "no ExecStart line");
  assert.deepEqual(flagsOf(exec[1]!.trim().split(/\s+/)), SERVER_NODE_FLAGS);
});

test("the test and bench harness starts the server's process with the shipped flags", async () => {
  // scripts/start.ts (npm start) spreads the same SERVER_NODE_FLAGS into its spawn; building the web app there
  // makes it too slow to start here
  const srv = await startServer({ env: { LOG_LEVEL: "warn" } });
  try {
    const argv = readFileSync(`/proc/${srv.pid}/cmdline`, "utf8").split("\0").filter(Boolean);
    assert.deepEqual(argv.slice(1, 1 + SERVER_NODE_FLAGS.length), SERVER_NODE_FLAGS);
    assert.match(argv[1 + SERVER_NODE_FLAGS.length]!, /packages\/server\/src\/main\.ts$/);
  } finally {
    await srv.stop();
  }
});

test("with the shipped flags V8's young generation stays within 2 × 8 MB under a burst of allocation", () => {
  // allocate ~3 million short-lived objects (what grows the young generation), then read its size
  const code = `let keep = []; for (let i = 0; i < 3e6; i++) { keep.push({ a: i, b: "x" + i }); if (keep.length > 200000) keep = []; }
    process.stdout.write(String(require("node:v8").getHeapSpaceStatistics().find((s) => s.space_name === "new_space").space_size));`;
  const capped = Number(execFileSync(process.execPath, [...SERVER_NODE_FLAGS, "-e", code], { encoding: "utf8" }));
  const uncapped = Number(execFileSync(process.execPath, ["-e", code], { encoding: "utf8" }));
  assert.ok(capped <= 16 * 1024 * 1024, `young generation ${capped} bytes with the flags`);
  // without them V8 grows it further: the flag is what bounds it
  assert.ok(uncapped > capped, `young generation ${uncapped} bytes without the flags, ${capped} with them`);
});
