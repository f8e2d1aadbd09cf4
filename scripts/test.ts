// Runs every test with node's test runner: unit tests beside the code, end-to-end tests in e2e/.
// Usage: npm test [-- pattern…]   (patterns default to all tests)
import { spawnSync } from "node:child_process";

const patterns = process.argv.slice(2);
const files = patterns.length > 0 ? patterns : ["packages/*/src/**/*.test.ts", "e2e/**/*.test.ts"];
const r = spawnSync(process.execPath, ["--test", "--test-concurrency=2", "--test-timeout=600000", ...files], { stdio: "inherit" });
process.exit(r.status ?? 1);
