// End to end: full item history with two devices (real `cryptex` processes, real SQLite files) and a real
// HTTPS server process: versions with dates and device names travel, diffs mask secrets, a restore is a new
// edit that syncs and obeys the conflict rules; bad version numbers fail clearly.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { outboxMailbox } from "@cryptex/server/src/testing/mailbox.ts";
import { startServer } from "@cryptex/server/src/testing/start-server.ts";
import { qrPngFromOutbox, runCli, runCliWithCode } from "../packages/cli/src/testing/run-cli.ts";

let srv: Awaited<ReturnType<typeof startServer>>;
let dir: string;
let env: Record<string, string>;
const PW = "tangerine orbit 42 velvet";
const EMAIL = "hist@example.org";
let A: string;
let B: string;
const sessions: Record<string, string> = {};
const names: Record<string, string> = {};

const cli = (home: string, args: string[], stdin = "") =>
  runCli(args, {
    home,
    stdin,
    env: { ...env, CRYPTEX_DEVICE_NAME: names[home] ?? "", ...(sessions[home] ? { CRYPTEX_SESSION: sessions[home]! } : {}) },
  });
const ok = async (home: string, args: string[], stdin = "") => {
  const r = await cli(home, args, stdin);
  assert.equal(r.code, 0, `cryptex ${args.join(" ")} failed (${r.code}): ${r.stderr}`);
  return r;
};
const unlock = async (home: string) => {
  sessions[home] = (await ok(home, ["unlock", "--raw", "--password-stdin"], `${PW}\n`)).stdout;
};
interface Versions {
  versions: { number: number; current: boolean; savedBy: string | null; savedAt: string }[];
}
const versions = async (home: string, title: string) =>
  (JSON.parse((await ok(home, ["history", title, "--json"])).stdout) as Versions).versions;

before(async () => {
  srv = await startServer();
  dir = mkdtempSync(join(tmpdir(), "cryptex-e2e-history-"));
  writeFileSync(join(dir, "ca.pem"), srv.caPem);
  env = { NODE_EXTRA_CA_CERTS: join(dir, "ca.pem") };
  A = join(dir, "a");
  B = join(dir, "b");
  names[A] = "laptop A";
  names[B] = "phone B";
  const r = await runCliWithCode(
    ["signup", "--server", srv.url, "--email", EMAIL, "--password-stdin"],
    { home: A, stdin: `${PW}\n`, env },
    () => outboxMailbox(srv.outboxDir).code(EMAIL, "signup"),
  );
  assert.equal(r.code, 0, r.stderr);
  writeFileSync(join(dir, "qr.png"), qrPngFromOutbox(srv.outboxDir, EMAIL));
  await unlock(A);
  await ok(B, ["signin", "--server", srv.url, "--email", EMAIL, "--qr", join(dir, "qr.png"), "--password-stdin"], `${PW}\n`);
  await unlock(B);
});

after(async () => {
  await srv?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test("versions saved on two devices list with their dates and device names on both", async () => {
  await ok(A, ["add", "login", "--title", "Mail", "--field", "username=alice", "--field", "password=pw-one-secret"]);
  await ok(A, ["edit", "Mail", "--field", "password=pw-two-secret"]);
  await ok(A, ["sync"]);
  await ok(B, ["sync"]);
  await ok(B, ["edit", "Mail", "--notes", "moved to the new provider"]);
  await ok(B, ["sync"]);
  await ok(A, ["sync"]);
  for (const home of [A, B]) {
    const v = await versions(home, "Mail");
    assert.deepEqual(
      v.map((x) => [x.number, x.savedBy, x.current]),
      [
        [1, "laptop A", false],
        [2, "laptop A", false],
        [3, "phone B", true],
      ],
    );
    assert.ok(v.every((x) => !Number.isNaN(Date.parse(x.savedAt))));
  }
  const text = (await ok(A, ["history", "Mail"])).stdout;
  assert.match(text, /^ {2}1 {2}\d{4}-\d\d-\d\d \d\d:\d\d {2}laptop A .*oldest version kept/m);
  assert.match(text, /^ {2}2 .*laptop A .*changed password/m);
  assert.match(text, /^ {2}3 .*phone B .*changed notes {2}\(current\)/m);
  assert.doesNotMatch(text, /pw-one-secret|pw-two-secret/, "no secret in the list");
});

test("--diff masks secrets unless --reveal, in text and JSON; V2 defaults to the current version", async () => {
  const masked = (await ok(A, ["history", "Mail", "--diff", "1", "2"])).stdout;
  assert.match(masked, /Changes from version 1 .* to version 2/);
  assert.match(masked, /password +changed +•••••••• → ••••••••/);
  assert.match(masked, /--reveal/);
  assert.doesNotMatch(masked, /pw-one-secret|pw-two-secret/);
  const shown = (await ok(A, ["history", "Mail", "--diff", "1", "2", "--reveal"])).stdout;
  assert.match(shown, /password +changed +"pw-one-secret" → "pw-two-secret"/);
  const json = JSON.parse((await ok(A, ["history", "Mail", "--diff", "1", "--json"])).stdout) as {
    from: number;
    to: number;
    changes: { name: string; change: string; before?: string; after?: string; secret: boolean }[];
  };
  assert.equal(json.from, 1);
  assert.equal(json.to, 3);
  assert.deepEqual(
    json.changes.map((c) => [c.name, c.change, c.secret]),
    [
      ["password", "changed", true],
      ["notes", "added", false],
    ],
  );
  assert.equal(json.changes[0]!.before, "••••••••");
  assert.equal(json.changes[1]!.after, "moved to the new provider");
});

test("bad version numbers and flag mixes fail with clear messages and exit codes, no stack trace", async () => {
  const cases: [string[], number, RegExp][] = [
    [["history", "Mail", "--diff", "9"], 3, /no version 9: this item has versions 1 to 3/],
    [["history", "Mail", "--diff", "two"], 2, /not a version number/],
    [["history", "Mail", "--restore", "3"], 2, /is the current version/],
    [["history", "Mail", "--restore", "1", "--diff", "2"], 2, /either --diff or --restore/],
    [["history", "Mail", "2"], 2, /goes with --diff/],
    [["history", "Nothing like it", "--restore", "1"], 3, /./],
  ];
  for (const [args, code, message] of cases) {
    const r = await cli(A, args);
    assert.equal(r.code, code, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/);
  }
  const bad = await runCli(["history", "Mail"], { home: A, env: { ...env, CRYPTEX_SESSION: sessions[A]!, CRYPTEX_HISTORY_KEEP: "lots" } });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /CRYPTEX_HISTORY_KEEP must be a whole number/);
});

test("a restore is a new edit: it syncs, and a concurrent edit of another field on the other device merges with it", async () => {
  await ok(B, ["edit", "Mail", "--title", "Mail (personal)"]); // not synced yet when A restores
  const r = await ok(A, ["history", "Mail", "--restore", "1"]);
  assert.match(r.stdout, /Restored version 1 of "Mail"/);
  assert.equal((await ok(A, ["get", "Mail", "--field", "password"])).stdout, "pw-one-secret");
  assert.equal((await versions(A, "Mail")).length, 4, "the restore is a fourth version");
  await ok(B, ["sync"]);
  // the restore changed the password, the phone the title: sync merges them (before sync merged from the
  // versions' common base, this was a conflict copy)
  const s = await ok(A, ["sync"]);
  assert.match(s.stdout, /Merged: item .* both changes/);
  await ok(B, ["sync"]);
  for (const home of [A, B]) {
    assert.equal((await ok(home, ["get", "Mail (personal)", "--field", "password"])).stdout, "pw-one-secret");
    const v = await versions(home, "Mail (personal)");
    assert.ok(
      v.some((x) => x.savedBy === "phone B" && !x.current),
      "the phone's concurrent version is in the history",
    );
    assert.equal((await ok(home, ["list", "--json"])).stdout.includes("conflict copy"), false, "no conflict copy");
  }
  const v = await versions(B, "Mail (personal)");
  const phone = v.find((x) => x.savedBy === "phone B" && !x.current)!;
  const diff = (await ok(B, ["history", "Mail (personal)", "--diff", String(phone.number), "current", "--reveal"])).stdout;
  assert.match(diff, /password +changed +"pw-two-secret" → "pw-one-secret"/);
});
