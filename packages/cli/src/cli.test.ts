// The `cryptex` program offline (real processes, real SQLite file, no server): exit codes, JSON input and
// output, sessions, export/import, totp, generate.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { writeExport } from "@cryptex/core/export/cryptex-export.ts";
import { createItem, LIMITS } from "@cryptex/core/vault/item.ts";
import { makeOfflineVault } from "./testing/offline-vault.ts";
import { runCli } from "./testing/run-cli.ts";

const PW = "offline pass 42 walnut";
let dir: string;
let home: string;
let session: string;
const run = (args: string[], stdin = "", env: Record<string, string> = { CRYPTEX_SESSION: session }) => runCli(args, { home, stdin, env });

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "cryptex-cli-"));
  home = join(dir, "home");
  await makeOfflineVault(home, PW, 3);
  const r = await runCli(["unlock", "--raw", "--password-stdin"], { home, stdin: `${PW}\n` });
  assert.equal(r.code, 0, r.stderr);
  session = r.stdout;
});
after(() => rmSync(dir, { recursive: true, force: true }));

test("usage errors, missing vault and a locked vault have their own exit codes", async () => {
  assert.equal((await run(["get"])).code, 2);
  assert.equal((await run(["frobnicate"])).code, 2);
  assert.equal((await run(["list", "--nope"])).code, 2);
  assert.equal((await runCli(["list"], { home: join(dir, "empty") })).code, 11);
  const locked = await run(["list"], "", {});
  assert.equal(locked.code, 5, locked.stderr);
  const bad = await run(["list"], "", { CRYPTEX_SESSION: `${session.slice(0, -3)}AAA` });
  assert.equal(bad.code, 5);
  const wrong = await run(["list", "--password-stdin"], "wrong password here\n", {});
  assert.equal(wrong.code, 6);
  const json = await run(["get", "nothing-like-this", "--json"]);
  assert.equal(json.code, 3);
  assert.deepEqual(Object.keys(JSON.parse(json.stderr).error), ["code", "message"]);
});

test("add from flags and from JSON on stdin; get, search, ambiguous titles", async () => {
  assert.equal((await run(["add", "Login", "--title", "Twin", "--field", "password=one"])).code, 0);
  const j = await run(["add", "login"], JSON.stringify({ title: "Twin", fields: { username: "u2", password: "two" }, tags: ["x"] }));
  assert.equal(j.code, 0, j.stderr);
  const amb = await run(["get", "twin"]);
  assert.equal(amb.code, 4);
  const found = JSON.parse((await run(["search", "twin", "--json"])).stdout) as { id: string; subtitle: string }[];
  assert.equal(found.length, 2);
  const second = found.find((e) => e.subtitle === "u2")!;
  assert.equal((await run(["get", second.id.slice(0, 8), "--field", "password"])).stdout, "two");
  assert.equal((await run(["add", "spaceship", "--title", "x"])).code, 2);
  const list = JSON.parse((await run(["list", "--json", "--tag", "x"])).stdout) as { id: string }[];
  assert.deepEqual(
    list.map((e) => e.id),
    [second.id],
  );
  const all = (await run(["list"])).stdout;
  assert.doesNotMatch(all, /two|one/, "list never shows secrets");
});

test("list and search order titles case-insensitively and numbers by value", async () => {
  const sorted = join(dir, "sorted");
  await makeOfflineVault(sorted, PW, 0);
  const s = (await runCli(["unlock", "--raw", "--password-stdin"], { home: sorted, stdin: `${PW}\n` })).stdout;
  const cli = (args: string[]) => runCli(args, { home: sorted, env: { CRYPTEX_SESSION: s } });
  for (const title of ["Visa", "amazon", "Sort 943", "Sort 95"]) assert.equal((await cli(["add", "login", "--title", title])).code, 0);
  const titles = (JSON.parse((await cli(["list", "--json"])).stdout) as { title: string }[]).map((e) => e.title);
  assert.deepEqual(titles, ["amazon", "Sort 95", "Sort 943", "Visa"]);
  const found = (JSON.parse((await cli(["search", "sort", "--json"])).stdout) as { title: string }[]).map((e) => e.title);
  assert.deepEqual(found, ["Sort 95", "Sort 943"]);
});

test("totp, generate, lock", async () => {
  await run(["add", "login", "--title", "2FA", "--field", "totp=JBSWY3DPEHPK3PXP"]);
  const code = (await run(["totp", "2FA"])).stdout;
  assert.match(code, /^\d{6}$/);
  assert.match((await run(["generate", "--length", "32", "--no-symbols"])).stdout, /^[A-Za-z0-9]{32}$/);
  assert.equal((await run(["generate", "--words", "5", "--separator", "."])).stdout.split(".").length, 5);
  assert.equal((await run(["generate", "--length", "2"])).code, 9);
});

test("import names an item over the size limit and imports the others", async () => {
  const small = createItem({ type: "login", title: "Small", fields: { password: "fits" } });
  const huge = createItem({
    type: "secure-note",
    title: "Huge",
    notes: "€".repeat(LIMITS.notes),
    fields: { a: "€".repeat(LIMITS.fieldValue), b: "€".repeat(LIMITS.fieldValue) },
  });
  const file = join(dir, "huge.cxex");
  writeFileSync(file, await writeExport([small, huge], "export pass 77 harbour"));
  const fresh = join(dir, "fresh");
  await makeOfflineVault(fresh, PW, 0);
  const imp = await runCli(["import", file, "--password-stdin", "--json"], { home: fresh, stdin: `${PW}\nexport pass 77 harbour\n` });
  assert.equal(imp.code, 0, imp.stderr);
  assert.equal(JSON.parse(imp.stdout).imported, 1);
  assert.match(imp.stderr, /Not imported: "Huge" is too large to save and sync/);
});

test("export then import into a new vault; the file's password is its own", async () => {
  const file = join(dir, "vault.cxex");
  const ex = await run(["export", "--out", file, "--password-stdin"], "export pass 99 lantern\n");
  assert.equal(ex.code, 0, ex.stderr);
  const other = join(dir, "other");
  await makeOfflineVault(other, PW, 0);
  const wrong = await runCli(["import", file, "--password-stdin"], { home: other, stdin: `${PW}\nnot it at all\n` });
  assert.equal(wrong.code, 6, wrong.stderr);
  const imp = await runCli(["import", file, "--password-stdin", "--json"], { home: other, stdin: `${PW}\nexport pass 99 lantern\n` });
  assert.equal(imp.code, 0, imp.stderr);
  assert.equal(JSON.parse(imp.stdout).imported, 6);
  const lock = await run(["lock"]);
  assert.equal(lock.code, 0);
  assert.equal((await run(["list"])).code, 5, "the session no longer works after lock");
});
