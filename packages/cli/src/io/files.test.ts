// Private atomic writes: a random, exclusively created temp name, so a planted symlink at a predictable name is
// never written through; the result is 0600.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { writePrivateAtomic } from "./files.ts";

test("writePrivateAtomic never writes through a planted temp name and leaves a 0600 file", () => {
  const dir = mkdtempSync(join(tmpdir(), "cryptex-files-"));
  try {
    const victim = join(dir, "victim.txt");
    writeFileSync(victim, "untouched");
    const target = join(dir, "kit.png");
    // the names the old code used: <path>.<pid>.tmp and <path>.<pid>.check
    symlinkSync(victim, `${target}.${process.pid}.tmp`);
    writePrivateAtomic(target, new TextEncoder().encode("kit bytes"));
    assert.equal(readFileSync(victim, "utf8"), "untouched");
    assert.equal(readFileSync(target, "utf8"), "kit bytes");
    assert.equal(statSync(target).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(dir).sort(), ["kit.png", `kit.png.${process.pid}.tmp`, "victim.txt"], "no temp file is left");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
