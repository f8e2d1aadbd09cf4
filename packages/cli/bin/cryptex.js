#!/usr/bin/env node
// Launcher of `cryptex`: runs the CLI on the Node running this file, with the compile cache on (stripping the
// TypeScript types costs ~90 ms per start without it). The hot read commands run from the start-up bundle
// when it is current (src/startup/build-bundle.ts; docs/performance.md "CLI start-up"); everything else, and
// those too while the bundle is missing or older than a source, runs from src/main.ts.
import module from "node:module";

const major = Number(process.versions.node.split(".")[0]);
if (major < 24) {
  process.stderr.write(`cryptex needs Node.js 24 or newer; this is ${process.version}\n`);
  process.exit(1);
}
module.enableCompileCache?.();
const { bundleMain } = await import("../src/startup/start-bundle.ts");
const main = bundleMain(process.argv.slice(2), process.env);
if (process.env.CRYPTEX_START_TRACE) process.stderr.write(`cryptex: start from ${main ? "bundle" : "sources"}\n`);
await import(main ?? "../src/main.ts");
