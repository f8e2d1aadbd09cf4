// The apps (CLI, web, extension, and the e2e tests and benches that drive them) reach core only through
// the explicit `exports` map, which leaves out the primitives: an app never seals or opens bytes itself.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { test } from "node:test";

const repo = new URL("../../../", import.meta.url).pathname;
const exportsMap: Record<string, string> = JSON.parse(readFileSync(join(repo, "packages/core/package.json"), "utf8")).exports;
const APP_DIRS = ["packages/cli/src", "packages/cli/bench", "packages/web/src", "packages/extension/src", "e2e"];
const INTERNAL = /^@cryptex\/core\/(crypto\/|keys\/|formats\/envelope|formats\/aad)/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory()
      ? d.name === "node_modules" || d.name === "dist"
        ? []
        : sources(join(dir, d.name))
      : /\.tsx?$/.test(d.name)
        ? [join(dir, d.name)]
        : [],
  );
}
const imports = (file: string) =>
  [
    ...readFileSync(file, "utf8").matchAll(
      /(?:^(?:import|export)\b[^;]*?\bfrom\s+|\bimport\s*\(\s*|\btypeof\s+import\s*\(\s*)["']([^"']+)["']/gms,
    ),
  ].map((m) => m[1]!);
const appImports = () => APP_DIRS.flatMap((d) => sources(join(repo, d)).map((f) => ({ f: relative(repo, f), specs: imports(f) })));

test("the exports map names each public module and none of crypto/, keys/, formats/envelope or formats/aad", () => {
  assert.ok(!("./*" in exportsMap), "no catch-all export");
  for (const [name, target] of Object.entries(exportsMap)) {
    assert.ok(!name.includes("*"), `${name} is explicit`);
    assert.ok(!/^\.\/(crypto|keys)\/|^\.\/formats\/(envelope|aad)/.test(name), `${name} is internal`);
    assert.ok(!/\/crypto\/|\/formats\/(envelope|aad)\.ts$/.test(target), `${name} exposes a primitive: ${target}`);
  }
});

test("the index re-exports no envelope, AAD or AEAD helpers (apps would seal and open bytes through it)", () => {
  const specs = imports(join(repo, "packages/core/src/index.ts"));
  assert.ok(specs.includes("./keys/ids.ts"), "the check reads the index's exports");
  for (const spec of specs) assert.ok(!/formats\/(envelope|aad)\.ts$|crypto\/aead\.ts$/.test(spec), `index.ts re-exports ${spec}`);
});

test("app sources import only core's public modules, never its internals or its files by path", () => {
  for (const { f, specs } of appImports()) {
    for (const spec of specs) {
      assert.ok(!INTERNAL.test(spec), `${f} imports core's internal ${spec}`);
      assert.ok(!/(^|\/)core\/src\//.test(spec), `${f} reaches into core by path: ${spec}`);
      if (spec.startsWith("@cryptex/core")) {
        const sub = spec === "@cryptex/core" ? "." : `./${spec.slice("@cryptex/core/".length)}`;
        assert.ok(sub in exportsMap, `${f} imports ${spec}, which core does not export`);
      }
    }
  }
});

test("the surface check sees real imports (it cannot pass vacuously)", () => {
  const all = appImports().flatMap((x) => x.specs);
  assert.ok(all.includes("@cryptex/core/ids.ts"));
  assert.ok(all.includes("@cryptex/core/vault/session-seal.ts"));
  assert.ok(all.includes("@cryptex/core/password-strength.ts"), "dynamic imports are seen too");
  assert.ok(INTERNAL.test("@cryptex/core/formats/aad.ts") && INTERNAL.test("@cryptex/core/keys/derive.ts"));
});
