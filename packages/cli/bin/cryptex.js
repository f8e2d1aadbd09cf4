#!/usr/bin/env node
// Launcher of `cryptex`: runs the CLI on the Node running this file, with the compile cache on (stripping the
// TypeScript types costs ~90 ms per start without it). The hot read commands (get, list, search, totp) with a
// session go to the session's agent when one runs (src/agent/; docs/cli.md "Agent"), and run directly when it
// does not or declines; after a direct run that worked, the agent is started in the background. Directly, they
// run from the start-up bundle when it is current (src/startup/build-bundle.ts; docs/performance.md "CLI
// start-up"); everything else, and those too while the bundle is missing or older than a source, runs from
// src/main.ts.
import module from "node:module";

const major = Number(process.versions.node.split(".")[0]);
if (major < 24) {
  process.stderr.write(`cryptex needs Node.js 24 or newer; this is ${process.version}\n`);
  process.exit(1);
}
module.enableCompileCache?.();
const argv = process.argv.slice(2);
const trace = process.env.CRYPTEX_START_TRACE ? (/** @type {string} */ text) => process.stderr.write(`cryptex: ${text}\n`) : undefined;
const { bundleMain, commandWord, HOT_COMMANDS } = await import("../src/startup/start-bundle.ts");
const agent = HOT_COMMANDS.has(commandWord(argv) ?? "") && process.env.CRYPTEX_SESSION ? await import("../src/agent/client.ts") : undefined;
const outcome = await agent?.runOnAgent(argv, process.env);
if (outcome?.served) {
  trace?.("start from agent");
  process.exit(outcome.code);
}
if (outcome && outcome.why !== "off") trace?.(`agent: ${outcome.why}`);
const main = bundleMain(argv, process.env);
trace?.(`start from ${main ? "bundle" : "sources"}`);
await import(main ?? "../src/main.ts");
if (agent && outcome && (process.exitCode ?? 0) === 0) agent.startAgent(argv, process.env, outcome);
