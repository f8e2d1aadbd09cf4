// The import boundaries that make the promises structural (STYLE.md): core is isomorphic, and crypto/
// depends on nothing else in the workspace but the error class.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

const root = new URL(".", import.meta.url).pathname;
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory()
      ? d.name === "fixtures"
        ? []
        : sources(join(dir, d.name))
      : d.name.endsWith(".ts") && !d.name.endsWith(".test.ts")
        ? [join(dir, d.name)]
        : [],
  );
}
const imports = (file: string) =>
  [...readFileSync(file, "utf8").matchAll(/^(?:import|export)\b[^;]*?\bfrom\s+["']([^"']+)["']/gms)].map((m) => m[1]!);

test("packages/core has no node: imports, no DOM globals and no Node globals", () => {
  for (const f of sources(root)) {
    for (const spec of imports(f)) assert.ok(!spec.startsWith("node:"), `${f} imports ${spec}`);
    // code only: comments may speak of a process or a window
    const text = readFileSync(f, "utf8").replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");
    assert.ok(!/\b(document|window|localStorage|process|Buffer)\./.test(text), `${f} uses a platform global`);
  }
});

test("core/crypto imports only crypto/, errors.ts and audited libraries", () => {
  for (const f of sources(join(root, "crypto"))) {
    for (const spec of imports(f)) {
      assert.ok(
        spec.startsWith("./") || spec === "../errors.ts" || spec.startsWith("@noble/") || spec === "hash-wasm",
        `${f} imports ${spec}`,
      );
    }
  }
});
