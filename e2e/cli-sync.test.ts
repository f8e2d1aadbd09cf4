// End to end: two devices (real `cryptex` processes, real SQLite files) and a real HTTPS server process.
// Sign-up mail → QR PNG → sign-in on device B; items both ways; a conflict keeps both versions; deletes
// travel; a password change on A is recovered on B; wrong password / foreign QR / bad image leave no vault.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { outboxMailbox } from "@cryptex/server/src/testing/mailbox.ts";
import { startServer } from "@cryptex/server/src/testing/start-server.ts";
import { collect, qrPngFromOutbox, runCli, runCliWithCode, spawnCli } from "../packages/cli/src/testing/run-cli.ts";

type Server = Awaited<ReturnType<typeof startServer>>;
let srv: Server;
let dir: string;
let env: Record<string, string>;
const PW = "tangerine orbit 42 velvet";
const PW2 = "marmalade comet 77 bishop";
const EMAIL = "alice@example.org";
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
/** `cryptex signup …`, with the code from the outbox mail as the next stdin line. */
const signup = async (home: string, args: string[], email: string) => {
  const r = await runCliWithCode(
    ["signup", "--server", srv.url, "--email", email, "--password-stdin", ...args],
    { home, stdin: `${PW}\n`, env },
    () => outboxMailbox(srv.outboxDir).code(email, "signup"),
  );
  assert.equal(r.code, 0, `cryptex signup failed (${r.code}): ${r.stderr}`);
  return r;
};
const unlock = async (home: string, password = PW) => {
  sessions[home] = (await ok(home, ["unlock", "--raw", "--password-stdin"], `${password}\n`)).stdout;
};
const titles = async (home: string) =>
  (JSON.parse((await ok(home, ["list", "--json"])).stdout) as { title: string }[]).map((e) => e.title).sort();

before(async () => {
  srv = await startServer();
  dir = mkdtempSync(join(tmpdir(), "cryptex-e2e-cli-"));
  writeFileSync(join(dir, "ca.pem"), srv.caPem);
  env = { NODE_EXTRA_CA_CERTS: join(dir, "ca.pem") };
  A = join(dir, "a");
  B = join(dir, "b");
});

after(async () => {
  await srv?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test("device A signs up; the mail carries the QR code; a weak password is refused", async () => {
  const weak = await cli(
    join(dir, "weak"),
    ["signup", "--server", srv.url, "--email", "weak@example.org", "--password-stdin"],
    "password1\n",
  );
  assert.equal(weak.code, 10, weak.stderr);
  const r = await signup(A, ["--emergency-kit", join(dir, "kit.png")], EMAIL);
  assert.match(r.stderr, /A confirmation code was mailed to alice@example.org/);
  assert.match(r.stdout, /mailed to alice@example.org/);
  writeFileSync(join(dir, "qr.png"), qrPngFromOutbox(srv.outboxDir, EMAIL));
  assert.ok(existsSync(join(dir, "kit.png")));
  await unlock(A);
});

test("wrong password, a foreign QR code and an unreadable image each fail clearly and leave no vault", async () => {
  const C = join(dir, "c");
  const wrong = await cli(
    C,
    ["signin", "--server", srv.url, "--email", EMAIL, "--qr", join(dir, "qr.png"), "--password-stdin"],
    "not the password 123\n",
  );
  assert.equal(wrong.code, 6, wrong.stderr);
  assert.match(wrong.stderr, /wrong account password/i);
  const other = join(dir, "other");
  await signup(other, ["--no-email", "--emergency-kit", join(dir, "bob.png")], "bob@example.org");
  const foreign = await cli(
    C,
    ["signin", "--server", srv.url, "--email", EMAIL, "--qr", join(dir, "bob.png"), "--password-stdin"],
    `${PW}\n`,
  );
  assert.equal(foreign.code, 7, foreign.stderr);
  assert.match(foreign.stderr, /another account/);
  writeFileSync(join(dir, "junk.png"), "this is not an image");
  const junk = await cli(
    C,
    ["signin", "--server", srv.url, "--email", EMAIL, "--qr", join(dir, "junk.png"), "--password-stdin"],
    `${PW}\n`,
  );
  assert.equal(junk.code, 8, junk.stderr);
  assert.equal(existsSync(join(C, "vault.sqlite")), false, "no local vault after a failed sign-in");
  assert.doesNotMatch(wrong.stderr + foreign.stderr + junk.stderr, /at .*\.ts:\d+/, "no stack traces");
});

test("device B signs in with the QR image; items added on either side appear on the other after sync", async () => {
  await ok(A, ["add", "login", "--title", "Mail", "--field", "username=alice", "--field", "password=first-secret", "--tag", "work"]);
  await ok(A, ["sync"]);
  await ok(B, ["signin", "--server", srv.url, "--email", EMAIL, "--qr", join(dir, "qr.png"), "--password-stdin"], `${PW}\n`);
  await unlock(B);
  assert.equal((await ok(B, ["get", "Mail", "--field", "password"])).stdout, "first-secret");
  await ok(B, ["add", "credit-card", "--title", "Visa", "--field", "number=4111111111111111"]);
  const s = await ok(B, ["sync"]);
  assert.match(s.stdout, /1 sent/);
  await ok(A, ["sync"]);
  assert.deepEqual(await titles(A), ["Mail", "Visa"]);
  assert.equal((await ok(A, ["get", "visa", "--field", "number"])).stdout, "4111111111111111");
});

test("both devices edit one item: sync keeps both versions and says so", async () => {
  await ok(A, ["edit", "Mail", "--field", "password=from-A"]);
  await ok(B, ["edit", "Mail", "--field", "password=from-B"]);
  await ok(A, ["sync"]);
  const s = await ok(B, ["sync"]);
  assert.match(s.stdout, /Conflict: .*both versions are kept/);
  await ok(A, ["sync"]);
  for (const home of [A, B]) {
    assert.deepEqual(await titles(home), ["Mail", "Mail (conflict copy)", "Visa"]);
    const values = [
      (await ok(home, ["get", "Mail", "--field", "password"])).stdout,
      (await ok(home, ["get", "Mail (conflict copy)", "--field", "password"])).stdout,
    ].sort();
    assert.deepEqual(values, ["from-A", "from-B"]);
  }
  const hist = JSON.parse((await ok(B, ["history", "Mail", "--json"])).stdout) as { history: { value: string }[] };
  assert.ok(
    hist.history.some((h) => h.value === "first-secret"),
    "the replaced password is in the history",
  );
});

test("trash, restore and purge: a purge travels to the other device as a tombstone", async () => {
  await ok(A, ["rm", "Mail (conflict copy)"]);
  assert.deepEqual(await titles(A), ["Mail", "Visa"]);
  await ok(A, ["restore", "Mail (conflict copy)"]);
  await ok(A, ["rm", "Mail (conflict copy)"]);
  await ok(A, ["purge", "Mail (conflict copy)"]);
  await ok(A, ["sync"]);
  await ok(B, ["sync"]);
  assert.deepEqual(await titles(B), ["Mail", "Visa"]);
  const trash = JSON.parse((await ok(B, ["list", "--trash", "--json"])).stdout) as unknown[];
  assert.equal(trash.length, 0);
});

/** Starts `cryptex edit ITEM --stdin` on `home` and waits until it has read the item (its base version). */
async function startStaleEdit(home: string, item: string) {
  const child = spawnCli(["edit", item, "--stdin"], {
    home,
    keepStdinOpen: true,
    env: { ...env, CRYPTEX_SESSION: sessions[home]! },
  });
  const done = collect(child);
  await new Promise<void>((resolve, reject) => {
    let err = "";
    child.stderr!.on("data", (c: Buffer) => {
      err += c.toString("utf8");
      if (/reading the changes/.test(err)) resolve();
    });
    child.once("close", () => reject(new Error(`edit ended early: ${err}`)));
  });
  return {
    finish: (json: string) => {
      child.stdin!.end(json);
      return done;
    },
  };
}

test("a stale edit on A (B changed the same password meanwhile, A synced it): both values survive, history holds B's", async () => {
  const edit = await startStaleEdit(A, "Mail");
  await ok(B, ["edit", "Mail", "--field", "password=stale-from-B"]);
  await ok(B, ["sync"]);
  await ok(A, ["sync"]); // a second process on A receives B's version while the edit still waits
  assert.equal((await ok(A, ["get", "Mail", "--field", "password"])).stdout, "stale-from-B");
  const r = await edit.finish(JSON.stringify({ fields: { password: "stale-from-A" } }));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /changed the same field, so it was kept as a conflict copy/);
  assert.equal((await ok(A, ["get", "Mail", "--field", "password"])).stdout, "stale-from-A");
  assert.equal((await ok(A, ["get", "Mail (conflict copy)", "--field", "password"])).stdout, "stale-from-B");
  const hist = JSON.parse((await ok(A, ["history", "Mail", "--json", "--reveal"])).stdout) as { history: { value: string }[] };
  assert.ok(
    hist.history.some((h) => h.value === "stale-from-B"),
    "the replaced password is in the history",
  );
  await ok(A, ["sync"]);
  await ok(B, ["sync"]);
  assert.deepEqual(await titles(B), ["Mail", "Mail (conflict copy)", "Visa"]);
  await ok(B, ["rm", "Mail (conflict copy)"]);
  await ok(B, ["purge", "Mail (conflict copy)"]);
  await ok(B, ["sync"]);
  await ok(A, ["sync"]);
});

test("a stale edit of another field merges: A's new username and B's new password are both kept", async () => {
  const edit = await startStaleEdit(A, "Mail");
  await ok(B, ["edit", "Mail", "--field", "password=merge-from-B"]);
  await ok(B, ["sync"]);
  await ok(A, ["sync"]);
  const r = await edit.finish(JSON.stringify({ fields: { username: "alice-from-A" } }));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /merged with a newer version/);
  await ok(A, ["sync"]);
  await ok(B, ["sync"]);
  for (const home of [A, B]) {
    assert.deepEqual(await titles(home), ["Mail", "Visa"]);
    assert.equal((await ok(home, ["get", "Mail", "--field", "password"])).stdout, "merge-from-B");
    assert.equal((await ok(home, ["get", "Mail", "--field", "username"])).stdout, "alice-from-A");
  }
});

test("add and edit refuse an item over the size limit with a clear message and save nothing", async () => {
  const huge = { title: "Huge", notes: "€".repeat(262144), fields: { a: "€".repeat(65536), b: "€".repeat(65536) } };
  const add = await cli(A, ["add", "secure-note"], JSON.stringify(huge));
  assert.equal(add.code, 9, add.stderr);
  assert.match(add.stderr, /Too large to save and sync: .*over the limit of \d+/);
  const edit = await cli(A, ["edit", "Mail", "--stdin"], JSON.stringify({ notes: huge.notes, fields: huge.fields }));
  assert.equal(edit.code, 9, edit.stderr);
  assert.match(edit.stderr, /Too large to save and sync: .*over the limit of \d+/);
  assert.deepEqual(await titles(A), ["Mail", "Visa"]);
  assert.equal((await ok(A, ["get", "Mail", "--field", "password"])).stdout, "merge-from-B");
});

test("A changes the password; B learns it on its next sync and works with the new one", async () => {
  await ok(A, ["account", "change-password", "--password-stdin", "--no-email"], `${PW}\n${PW2}\n`);
  // B is unlocked by its session (the AK is unchanged); sync adopts the new EAK and checks the new password
  const s = await ok(B, ["sync", "--password-stdin"], `${PW2}\n`);
  assert.match(s.stderr, /password was changed on another device/i);
  assert.match(s.stderr, /New password confirmed/);
  await ok(B, ["lock"]);
  delete sessions[B];
  const old = await cli(B, ["list", "--password-stdin"], `${PW}\n`);
  assert.equal(old.code, 6, old.stderr);
  await unlock(B, PW2);
  assert.deepEqual(await titles(B), ["Mail", "Visa"]);
});

test("secrets never reach the server: its database, logs and mail hold none of the planted values", async () => {
  const { readdirSync, readFileSync, statSync } = await import("node:fs");
  const planted = ["first-secret", "from-A", "from-B", "stale-from-A", "stale-from-B", "merge-from-B", "4111111111111111", PW, PW2, "Visa"];
  const files: string[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else files.push(p);
    }
  };
  walk(srv.dataDir);
  const blobs = [srv.logs(), ...files.map((f) => readFileSync(f).toString("latin1"))];
  for (const secret of planted) for (const b of blobs) assert.equal(b.includes(secret), false, `"${secret}" found on the server`);
});
