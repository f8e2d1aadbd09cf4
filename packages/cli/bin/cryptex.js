#!/usr/bin/env node
// Launcher of `cryptex`: runs src/main.ts on the Node running this file, with the compile cache on,
// because stripping the TypeScript types costs ~90 ms per start without it.
import module from "node:module";

const major = Number(process.versions.node.split(".")[0]);
if (major < 24) {
  process.stderr.write(`cryptex needs Node.js 24 or newer; this is ${process.version}\n`);
  process.exit(1);
}
module.enableCompileCache?.();
await import("../src/main.ts");
