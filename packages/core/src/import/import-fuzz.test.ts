// Hostile files: every importer, fed mutated fixtures (flipped bytes, cuts, JSON values replaced by
// anything), either imports or fails with a typed CryptexError — never a TypeError or a stack trace.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";
import fc from "fast-check";
import { strToU8, zipSync } from "fflate";
import { CryptexError } from "../errors.ts";
import { importFile } from "./import-file.ts";

const dir = new URL("./fixtures/", import.meta.url);
const fixtures = readdirSync(dir)
  .filter((n) => !n.endsWith(".xml")) // KeePass XML goes through the KDBX test (it parses slowly under mutation)
  .map((n) => new Uint8Array(readFileSync(new URL(n, dir))));
fixtures.push(zipSync({ "export.data": new Uint8Array(readFileSync(new URL("1password-export.data.json", dir))) }));

async function onlyTyped(bytes: Uint8Array): Promise<void> {
  try {
    await importFile(bytes, { password: "x" });
  } catch (e) {
    assert.ok(e instanceof CryptexError, `untyped error: ${(e as Error)?.stack ?? String(e)}`);
  }
}

test("fuzz: flipped bytes and cuts in every fixture give typed errors only", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.nat(fixtures.length - 1),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
      fc.option(fc.nat()),
      async (which, flips, cut) => {
        const bytes = fixtures[which]!.slice(0, cut === null ? undefined : cut % (fixtures[which]!.length + 1));
        for (const [i, v] of flips) if (bytes.length) bytes[i % bytes.length] = v;
        await onlyTyped(bytes);
      },
    ),
    { numRuns: 400 },
  );
});

/** Every path into a JSON value, to replace one of them with anything. */
function paths(v: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (Array.isArray(v)) for (const [i, x] of v.entries()) paths(x, [...at, i], out);
  else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out);
  return out;
}

test("fuzz: any JSON value anywhere in the JSON fixtures gives typed errors only", async () => {
  const jsons = readdirSync(dir)
    .filter((n) => n.endsWith(".json"))
    .map((n) => JSON.parse(readFileSync(new URL(n, dir), "utf8")) as unknown);
  await fc.assert(
    fc.asyncProperty(fc.nat(jsons.length - 1), fc.nat(), fc.anything({ maxDepth: 3 }), async (which, p, value) => {
      const doc = structuredClone(jsons[which]);
      const all = paths(doc);
      const path = all[p % all.length]!;
      if (path.length === 0) return;
      let o = doc as Record<string | number, unknown>;
      for (const k of path.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
      o[path[path.length - 1]!] = value;
      await onlyTyped(strToU8(JSON.stringify(doc) ?? "null"));
    }),
    { numRuns: 1500 },
  );
});
