// The import boundary that makes "the server cannot read your data" visible in the import graph
// (STYLE.md): server code imports from core only the wire contract, the validator, encodings and the
// QR image formatter — never crypto/, keys/, vault/, client/, sync/ or the other formats.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { test } from "node:test";

const root = new URL(".", import.meta.url).pathname;
const ALLOWED = [
  /^@cryptex\/core\/wire\//,
  /^@cryptex\/core\/schema\//,
  /^@cryptex\/core\/encoding\//,
  /^@cryptex\/core\/formats\/qr\.ts$/,
];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? sources(join(dir, d.name)) : d.name.endsWith(".ts") && !d.name.endsWith(".test.ts") ? [join(dir, d.name)] : [],
  );
}
const imports = (file: string) =>
  [...readFileSync(file, "utf8").matchAll(/(?:^(?:import|export)\b[^;]*?\bfrom\s+|\bimport\s*\(\s*)["']([^"']+)["']/gms)].map((m) => m[1]!);

test("server sources import from core only wire/, schema/, encoding/ and formats/qr.ts", () => {
  const files = sources(root);
  assert.ok(files.length > 20);
  for (const f of files) {
    for (const spec of imports(f)) {
      if (spec.startsWith("@cryptex/")) {
        assert.ok(
          ALLOWED.some((r) => r.test(spec)),
          `${relative(root, f)} imports ${spec}`,
        );
      }
      assert.ok(
        !spec.includes("packages/core") && !/^(\.\.\/){2,}core\//.test(spec),
        `${relative(root, f)} reaches into core by path: ${spec}`,
      );
    }
  }
});

test("the boundary check sees real imports (it cannot pass vacuously)", () => {
  const seen = sources(root).flatMap(imports);
  assert.ok(seen.includes("@cryptex/core/wire/api.ts"));
  assert.ok(seen.includes("@cryptex/core/formats/qr.ts"));
  assert.ok(imports(join(root, "testing", "accounts.ts")).includes("@cryptex/core/wire/auth-message.ts"));
});
