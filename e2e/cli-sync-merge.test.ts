// End to end: two real `cryptex` devices (their own SQLite files) and a real HTTPS server process. Both edit one
// item offline; sync merges changes to different fields into one item (its history holds both lines), keeps a
// conflict copy only when both changed the same field, and settles: a second sync sends and receives nothing.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { outboxMailbox } from "@cryptex/server/src/testing/mailbox.ts";
import { startServer } from "@cryptex/server/src/testing/start-server.ts";
import { qrPngFromOutbox, runCli, runCliWithCode } from "../packages/cli/src/testing/run-cli.ts";

type Server = Awaited<ReturnType<typeof startServer>>;
let srv: Server;
let dir: string;
let env: Record<string, string>;
const PW = "tangerine orbit 42 velvet";
const EMAIL = "merge@example.org";
let A: string;
let B: string;
const sessions: Record<string, string> = {};

const cli = (home: string, args: string[], stdin = "") =>
  runCli(args, { home, stdin, env: { ...env, ...(sessions[home] ? { CRYPTEX_SESSION: sessions[home]! } : {}) } });
const ok = async (home: string, args: string[], stdin = "") => {
  const r = await cli(home, args, stdin);
  assert.equal(r.code, 0, `cryptex ${args.join(" ")} failed (${r.code}): ${r.stderr}`);
  return r;
};
const unlock = async (home: string) => {
  sessions[home] = (await ok(home, ["unlock", "--raw", "--password-stdin"], `${PW}\n`)).stdout;
};
const titles = async (home: string) =>
  (JSON.parse((await ok(home, ["list", "--json"])).stdout) as { title: string }[]).map((e) => e.title).sort();
interface ShownItem {
  id: string;
  fields: { name: string; value: string }[];
  notes: string;
  tags: string[];
}
const shown = async (home: string, title: string) => {
  const it = JSON.parse((await ok(home, ["get", title, "--json"])).stdout) as ShownItem & { createdAt: string; updatedAt: string };
  return { ...it, tags: [...it.tags].sort() };
};
const field = (it: ShownItem, name: string) => it.fields.find((f) => f.name === name)?.value;
const settled = async (home: string) => {
  const r = await ok(home, ["sync"]);
  assert.match(r.stdout, /Synced: 0 received, 0 sent/, `a second sync on ${home} has nothing to do: ${r.stdout}`);
};

before(async () => {
  srv = await startServer();
  dir = mkdtempSync(join(tmpdir(), "cryptex-e2e-merge-"));
  writeFileSync(join(dir, "ca.pem"), srv.caPem);
  env = { NODE_EXTRA_CA_CERTS: join(dir, "ca.pem") };
  A = join(dir, "a");
  B = join(dir, "b");
  const r = await runCliWithCode(
    ["signup", "--server", srv.url, "--email", EMAIL, "--password-stdin"],
    { home: A, stdin: `${PW}\n`, env },
    () => outboxMailbox(srv.outboxDir).code(EMAIL, "signup"),
  );
  assert.equal(r.code, 0, r.stderr);
  writeFileSync(join(dir, "qr.png"), qrPngFromOutbox(srv.outboxDir, EMAIL));
  await unlock(A);
  await ok(A, ["add", "login", "--title", "Mail", "--field", "username=alice", "--field", "password=first", "--tag", "work"]);
  await ok(A, ["sync"]);
  await ok(B, ["signin", "--server", srv.url, "--email", EMAIL, "--qr", join(dir, "qr.png"), "--password-stdin"], `${PW}\n`);
  await unlock(B);
});

after(async () => {
  await srv?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test("A changes the password, B adds a tag and notes offline: both sync to one item with both changes", async () => {
  await ok(A, ["edit", "Mail", "--field", "password=from-A"]);
  await ok(B, ["edit", "Mail", "--tag", "work", "--tag", "bank", "--notes", "notes from B"]);
  await ok(A, ["sync"]);
  const s = await ok(B, ["sync"]);
  assert.match(s.stdout, /Merged: item .* both changes/);
  assert.doesNotMatch(s.stdout, /Conflict/);
  await ok(A, ["sync"]);
  const seen = [];
  for (const home of [A, B]) {
    assert.deepEqual(await titles(home), ["Mail"], "no conflict copy");
    const it = await shown(home, "Mail");
    assert.deepEqual(
      [field(it, "password"), field(it, "username"), it.tags, it.notes],
      ["from-A", "alice", ["bank", "work"], "notes from B"],
    );
    seen.push(it);
  }
  assert.deepEqual(seen[0], seen[1], "both devices show the same item");
  // the history holds both devices' versions and the one they started from
  const h = JSON.parse((await ok(A, ["history", "Mail", "--json", "--reveal"])).stdout) as {
    versions: { number: number; rev: number; savedBy: string | null }[];
    history: { value: string }[];
  };
  assert.deepEqual(
    h.versions.map((v) => v.rev),
    [1, 2, 2, 3],
    "the first version, A's and B's edits of it, the merged one",
  );
  assert.ok(h.history.some((x) => x.value === "first"));
  // each side's version reads back whole: A's (2) held only the new password, B's (3) only the tag and notes
  const diff = (await ok(A, ["history", "Mail", "--diff", "2", "3", "--reveal"])).stdout;
  assert.match(diff, /tags +changed +"work" → "bank, work"/);
  assert.match(diff, /password +changed +"from-A" → "first"/);
  assert.match(diff, /notes +added +"notes from B"/);
  await settled(A);
  await settled(B);
});

test("both devices sync at once after offline edits of different fields: they agree and then settle", async () => {
  await ok(A, ["edit", "Mail", "--field", "username=alice-A"]);
  await ok(B, ["edit", "Mail", "--notes", "second notes from B"]);
  const both = await Promise.all([cli(A, ["sync"]), cli(B, ["sync"])]);
  for (const r of both) assert.equal(r.code, 0, r.stderr);
  const outs = [...both.map((r) => r.stdout), (await ok(A, ["sync"])).stdout, (await ok(B, ["sync"])).stdout].join("\n");
  assert.equal(outs.match(/Merged:/g)?.length, 1, `one device merged, once: ${outs}`);
  assert.doesNotMatch(outs, /Conflict/);
  const [a, b] = [await shown(A, "Mail"), await shown(B, "Mail")];
  assert.deepEqual(a, b, "both devices show the same item");
  assert.deepEqual([field(a, "username"), a.notes, field(a, "password")], ["alice-A", "second notes from B", "from-A"]);
  assert.deepEqual(await titles(A), ["Mail"]);
  await settled(A);
  await settled(B);
});

test("the same field changed on both devices still keeps a conflict copy", async () => {
  await ok(A, ["edit", "Mail", "--field", "password=same-field-A"]);
  await ok(B, ["edit", "Mail", "--field", "password=same-field-B"]);
  await ok(A, ["sync"]);
  const s = await ok(B, ["sync"]);
  assert.match(s.stdout, /Conflict: .*both versions are kept/);
  await ok(A, ["sync"]);
  for (const home of [A, B]) {
    assert.deepEqual(await titles(home), ["Mail", "Mail (conflict copy)"]);
    const values = [field(await shown(home, "Mail"), "password"), field(await shown(home, "Mail (conflict copy)"), "password")].sort();
    assert.deepEqual(values, ["same-field-A", "same-field-B"]);
  }
  await settled(A);
  await settled(B);
});
