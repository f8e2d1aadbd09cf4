// Entry of the `cryptex` command when it runs from source (bin/cryptex.js without a start-up snapshot).
import { runCli } from "./program/run-cli.ts";

process.exitCode = await runCli(process.argv.slice(2));
