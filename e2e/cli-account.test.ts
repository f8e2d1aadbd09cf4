// End to end, the account life cycle of the `cryptex` CLI: real `cryptex` processes with real SQLite files, a real
// HTTPS server process mailing through a real in-process SMTP server. Emergency Kit, account qr / resend-email,
// status, sync --watch (live changes, SIGINT/SIGTERM), conflict copies in list/get, devices and revoke, a password
// change learned by a locked device, account reset, and the sync progress bar on a terminal (a pty from script(1)).
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { unlockWithPassword } from "@cryptex/core/client/account.ts";
import { decodeQrImage } from "@cryptex/core/formats/qr-decode.ts";
import { Vault } from "@cryptex/core/sync/engine.ts";
import { createItem } from "@cryptex/core/vault/item.ts";
import { startServer } from "@cryptex/server/src/testing/start-server.ts";
import { openSqliteStore } from "../packages/cli/src/store/sqlite-store.ts";
import { CLI_BIN } from "../packages/cli/src/testing/offline-vault.ts";
import { collect, runCli, runCliWithCode, spawnCli } from "../packages/cli/src/testing/run-cli.ts";
import { smtpMailbox } from "../packages/server/src/testing/mailbox.ts";
import { type RunningSmtp, startSmtp } from "../packages/server/src/testing/smtp.ts";

type Server = Awaited<ReturnType<typeof startServer>>;
let srv: Server;
let smtp: RunningSmtp;
let dir: string;
let env: Record<string, string>;
const PW = "juniper canyon 58 lantern";
const PW2 = "saffron glacier 19 harbor";
const PW3 = "obsidian meadow 73 pilot";
const EMAIL = "carol@example.org";
let A: string;
let B: string;
const sessions: Record<string, string> = {};

const envFor = (home: string) => ({ ...env, ...(sessions[home] ? { CRYPTEX_SESSION: sessions[home]! } : {}) });
const cli = (home: string, args: string[], stdin = "") => runCli(args, { home, stdin, env: envFor(home) });
const ok = async (home: string, args: string[], stdin = "") => {
  const r = await cli(home, args, stdin);
  assert.equal(r.code, 0, `cryptex ${args.join(" ")} failed (${r.code}): ${r.stderr}`);
  return r;
};
const unlock = async (home: string, password: string) => {
  sessions[home] = (await ok(home, ["unlock", "--raw", "--password-stdin"], `${password}\n`)).stdout;
};
const titles = async (home: string) =>
  (JSON.parse((await ok(home, ["list", "--json"])).stdout) as { title: string }[]).map((e) => e.title).sort();
const eakTextOf = async (home: string) => (JSON.parse((await ok(home, ["account", "qr", "--json"])).stdout) as { eakText: string }).eakText;
/** The next QR mail (skipping code and sign-in notices), decoded. */
const qrMail = async () => {
  const m = await smtpMailbox(smtp).next(EMAIL, /QR Code/);
  const png = m.attachments.find((a) => a.contentType === "image/png");
  assert.ok(png, "the mail carries the QR code as PNG");
  return { to: m.to, subject: m.subject, text: decodeQrImage(png.content) };
};
const noStack = (s: string) => assert.doesNotMatch(s, /at .*\.ts:\d+/, "no stack trace");

/** Output that appears on a child's stream, within `ms`. */
function waitForOutput(child: ChildProcess, stream: "stdout" | "stderr", re: RegExp, ms = 20_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = "";
    const t = setTimeout(() => reject(new Error(`timed out waiting for ${re} on ${stream}; got: ${seen}`)), ms);
    child[stream]!.on("data", (c: Buffer) => {
      seen += c.toString("utf8");
      if (re.test(seen)) {
        clearTimeout(t);
        resolve(seen);
      }
    });
  });
}

async function eventually(check: () => Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

before(async () => {
  smtp = await startSmtp();
  srv = await startServer({ env: { SMTP_URL: smtp.url } });
  dir = mkdtempSync(join(tmpdir(), "cryptex-e2e-account-"));
  writeFileSync(join(dir, "ca.pem"), srv.caPem);
  env = { NODE_EXTRA_CA_CERTS: join(dir, "ca.pem") };
  A = join(dir, "a");
  B = join(dir, "b");
});

after(async () => {
  await srv?.stop();
  await smtp?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test("signup writes an Emergency Kit: its QR code signs in a second device; the mail's QR is the same key", async () => {
  const kit = join(dir, "kit.png");
  const bad = await cli(join(dir, "nokit"), [
    "signup",
    "--server",
    srv.url,
    "--email",
    "x@example.org",
    "--emergency-kit",
    join(dir, "kit.jpg"),
  ]);
  assert.equal(bad.code, 2, bad.stderr);
  const r = await runCliWithCode(
    ["signup", "--server", srv.url, "--email", EMAIL, "--password-stdin", "--emergency-kit", kit, "--device-name", "A-laptop"],
    { home: A, stdin: `${PW}\n`, env: envFor(A) },
    () => smtpMailbox(smtp).code(EMAIL, "signup"),
  );
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Emergency Kit written to .*kit\.png/);
  await unlock(A, PW);
  const eak = await eakTextOf(A);
  assert.equal(decodeQrImage(new Uint8Array(readFileSync(kit))), eak, "the kit's QR code is the account's EAK text");
  const txt = readFileSync(join(dir, "kit.txt"), "utf8");
  assert.ok(txt.includes(EMAIL) && txt.includes(srv.url), "the kit text names the account and the server");
  assert.equal(/CRYPTEX:[A-Z2-7 \n]+/.exec(txt)![0].replace(/\s+/g, ""), eak, "the kit text holds the EAK text");
  const mail = await qrMail();
  assert.match(mail.to, /carol@example\.org/);
  assert.equal(mail.text, eak);
  await ok(B, ["signin", "--server", srv.url, "--email", EMAIL, "--qr", kit, "--password-stdin", "--device-name", "B-phone"], `${PW}\n`);
  await unlock(B, PW);
});

test("account qr --png decodes to the EAK text; status shows lock state, pending changes and quarantine", async () => {
  const png = join(dir, "qr.png");
  await ok(A, ["account", "qr", "--png", png]);
  assert.equal(decodeQrImage(new Uint8Array(readFileSync(png))), await eakTextOf(A));
  await ok(A, ["account", "qr", "--kit", join(dir, "kit2.png")]);
  assert.equal(decodeQrImage(new Uint8Array(readFileSync(join(dir, "kit2.png")))), await eakTextOf(A));
  assert.ok(readFileSync(join(dir, "kit2.txt"), "utf8").includes(EMAIL));

  const locked = JSON.parse((await runCli(["status", "--json"], { home: A, env })).stdout);
  assert.equal(locked.locked, true);
  assert.equal(locked.session, "none");
  await ok(A, ["add", "login", "--title", "Mail", "--field", "username=carol", "--field", "password=mail-secret-1"]);
  await ok(A, ["add", "secure-note", "--title", "Notes"]);
  const s1 = JSON.parse((await ok(A, ["status", "--json"])).stdout);
  assert.equal(s1.locked, false);
  assert.equal(s1.session, "valid");
  assert.equal(s1.pendingChanges, 2);
  assert.equal(s1.quarantined, 0);
  assert.match((await ok(A, ["status"])).stdout, /pending: +2 local changes not yet synced/);
  await ok(A, ["sync"]);
  const s2 = JSON.parse((await ok(A, ["status", "--json"])).stdout);
  assert.equal(s2.pendingChanges, 0);
  assert.ok(s2.revision >= 2);
  // what the sync engine records for an item the server sent that failed verification
  const store = openSqliteStore(join(A, "vault.sqlite"));
  await store.write({ quarantine: [{ id: "00000000-0000-4000-8000-000000000001", revision: 1, reason: "tampered", at: Date.now() }] });
  await store.close();
  const s3 = await ok(A, ["status"]);
  assert.match(s3.stdout, /warning: +1 server item\(s\) failed verification/);
  assert.equal(JSON.parse((await ok(A, ["status", "--json"])).stdout).quarantined, 1);
  await ok(A, ["lock"]);
  assert.equal(JSON.parse((await ok(A, ["status", "--json"])).stdout).session, "ended");
  await unlock(A, PW);
});

test("sync --watch: a change pushed by another device arrives without a manual sync; SIGINT and SIGTERM stop it cleanly", async () => {
  await ok(B, ["sync"]);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    const watcher = spawnCli(["sync", "--watch"], { home: B, env: envFor(B) });
    const done = collect(watcher);
    await waitForOutput(watcher, "stderr", /Watching for changes/);
    const title = `Pushed while watching ${signal}`;
    await ok(A, ["add", "login", "--title", title, "--field", "password=watch-secret"]);
    await ok(A, ["sync"]);
    await eventually(async () => (await titles(B)).includes(title), `B receives "${title}"`);
    watcher.kill(signal);
    const r = await done;
    assert.equal(r.code, 0, `watch ends with exit 0 on ${signal}: ${r.stderr}`);
    assert.match(r.stdout, /Synced: 1 received/);
    assert.match(r.stderr, /Stopped watching/);
  }
  assert.equal((await ok(B, ["get", "Pushed while watching SIGINT", "--field", "password"])).stdout, "watch-secret");
});

test("conflict copies are marked in list, search and get (text and --json)", async () => {
  await ok(A, ["edit", "Mail", "--field", "password=from-A"]);
  await ok(B, ["edit", "Mail", "--field", "password=from-B"]);
  await ok(A, ["sync"]);
  await ok(B, ["sync"]);
  const list = JSON.parse((await ok(B, ["list", "--json"])).stdout) as { id: string; title: string; conflictOf?: string }[];
  const original = list.find((e) => e.title === "Mail")!;
  const copy = list.find((e) => e.title === "Mail (conflict copy)")!;
  assert.equal(copy.conflictOf, original.id);
  assert.equal(original.conflictOf, undefined);
  assert.equal(list.filter((e) => e.conflictOf).length, 1, "only the copy is marked");
  assert.match((await ok(B, ["list"])).stdout, /Mail \(conflict copy\).*\(conflict copy of "Mail"\)/);
  assert.match((await ok(B, ["search", "mail"])).stdout, /\(conflict copy of "Mail"\)/);
  const got = JSON.parse((await ok(B, ["get", copy.id, "--json"])).stdout);
  assert.equal(got.conflictOf, original.id);
  assert.match((await ok(B, ["get", copy.id])).stdout, /conflict copy of/);
});

test("account devices and revoke: the revoked device is told it was signed out (exit 13) and can sign in again", async () => {
  const devices = JSON.parse((await ok(A, ["account", "devices", "--json"])).stdout) as {
    id: string;
    deviceName: string;
    current: boolean;
  }[];
  assert.deepEqual(devices.map((d) => d.deviceName).sort(), ["A-laptop", "B-phone"]);
  assert.equal(devices.find((d) => d.current)!.deviceName, "A-laptop");
  assert.match((await ok(A, ["account", "devices"])).stdout, /B-phone/);
  assert.equal((await cli(A, ["account", "revoke", "no-such-device"])).code, 3);

  const watcher = spawnCli(["sync", "--watch"], { home: B, env: envFor(B) });
  const watching = collect(watcher);
  await waitForOutput(watcher, "stderr", /Watching for changes/);
  const b = devices.find((d) => d.deviceName === "B-phone")!;
  assert.match((await ok(A, ["account", "revoke", "B-phone"])).stdout, new RegExp(`Signed out B-phone \\(${b.id}\\)`));
  const w = await watching;
  assert.equal(w.code, 13, `the watching device stops with exit 13: ${w.stderr}`);
  assert.match(w.stderr, /session/);

  const dev = await cli(B, ["account", "devices"]);
  assert.equal(dev.code, 13, dev.stderr);
  assert.match(dev.stderr, /signed out from another device/);
  const sync = await cli(B, ["sync"]);
  assert.equal(sync.code, 13, sync.stderr);
  assert.match(sync.stderr, /ended this device's session.*--password-stdin/);
  noStack(dev.stderr + sync.stderr + w.stderr);
  // a device that still has the password signs in again (revoking ends a session, not the key)
  await ok(B, ["sync", "--password-stdin"], `${PW}\n`);
  assert.equal((JSON.parse((await ok(A, ["account", "devices", "--json"])).stdout) as unknown[]).length, 2);
});

test("a password change: resend-email mails the current QR; a locked device learns it from the previous password", async () => {
  await ok(B, ["lock"]);
  delete sessions[B];
  const before = await eakTextOf(A);
  await ok(A, ["account", "change-password", "--password-stdin", "--no-email"], `${PW}\n${PW2}\n`);
  const current = await eakTextOf(A);
  assert.notEqual(current, before);
  assert.match((await ok(A, ["account", "resend-email"])).stdout, /sent again to carol@example\.org/);
  assert.equal((await qrMail()).text, current, "the mail holds the current QR code, not the old one");

  // a new device with the kit from before the change is told so, with the new and with the old password
  for (const password of [PW2, PW]) {
    const stale = await cli(
      join(dir, "C"),
      ["signin", "--server", srv.url, "--email", EMAIL, "--qr", join(dir, "kit.png"), "--password-stdin", "--json"],
      `${password}\n`,
    );
    assert.equal(stale.code, 6, stale.stderr);
    assert.equal(JSON.parse(stale.stderr).error.code, "stale_kit");
  }

  // B is locked and still holds the old key: the new password does not open it, and the message says what to do
  const withNew = await cli(B, ["sync", "--password-stdin"], `${PW2}\n`);
  assert.equal(withNew.code, 6, withNew.stderr);
  assert.match(withNew.stderr, /give the previous password once/);
  const adopt = await ok(B, ["sync", "--password-stdin"], `${PW}\n${PW2}\n`);
  assert.match(adopt.stderr, /New password confirmed/);
  assert.equal((await cli(B, ["list", "--password-stdin"], `${PW}\n`)).code, 6, "the old password no longer opens B");
  await unlock(B, PW2);
  assert.equal(await eakTextOf(B), current);
});

test("account reset: confirmation required; a watching device stops with exit 16, a signed-out one is told what to do", async () => {
  const noConfirm = await cli(A, ["account", "reset", "--password-stdin"], `${PW2}\n${PW3}\n`);
  assert.equal(noConfirm.code, 2, noConfirm.stderr);
  assert.match(noConfirm.stderr, /--confirm "RESET carol@example\.org"/);
  const wrong = await cli(A, ["account", "reset", "--password-stdin", "--confirm", "RESET someone@else"], `${PW2}\n${PW3}\n`);
  assert.equal(wrong.code, 2, wrong.stderr);

  const watcher = spawnCli(["sync", "--watch"], { home: B, env: envFor(B) });
  const watching = collect(watcher);
  await waitForOutput(watcher, "stderr", /Watching for changes/);
  const old = await eakTextOf(A);
  await ok(A, ["account", "reset", "--password-stdin", "--confirm", `RESET ${EMAIL}`], `${PW2}\n${PW3}\n`);
  const w = await watching;
  assert.equal(w.code, 16, `a watching device learns of the reset: ${w.stderr}`);
  assert.match(w.stderr, /reset on another device.*cryptex export/);

  sessions[A] = "";
  await unlock(A, PW3);
  assert.deepEqual(await titles(A), [], "the reset device starts empty");
  const fresh = await eakTextOf(A);
  assert.notEqual(fresh, old);
  assert.equal((await qrMail()).text, fresh, "the reset mail holds the new QR code");

  // B's session was ended by the reset: the server says so (401 account_reset), and the message gives the way out
  const s = await cli(B, ["sync", "--password-stdin"], `${PW2}\n`);
  assert.equal(s.code, 16, s.stderr);
  assert.match(s.stderr, /reset/);
  assert.match(s.stderr, /cryptex export --out FILE.*cryptex signin.*cryptex import FILE/);
  noStack(w.stderr + s.stderr);
  // nothing was lost on B: its items are still readable locally with the password it knows
  assert.ok((await titles(B)).includes("Mail"));
});

/** Runs `cryptex ARGS` on a pseudo-terminal (script(1)); returns everything the terminal showed. */
function onTerminal(home: string, args: string[]): Promise<{ code: number | null; out: string }> {
  const cmd = [process.execPath, CLI_BIN, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
  const child = spawn("script", ["-qefc", cmd, "/dev/null"], {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home, CRYPTEX_HOME: home, ...envFor(home) },
    stdio: ["pipe", "pipe", "pipe"],
  });
  child.stdin.end();
  return collect(child).then((r) => ({ code: r.code, out: r.stdout + r.stderr }));
}

test("sync progress bar: on a terminal when more than 300 items move; never on a pipe, never in --json output", async () => {
  const seed = async (from: number) => {
    const store = openSqliteStore(join(A, "vault.sqlite"));
    const meta = (await store.readMeta())!;
    const vault = await Vault.open(store, (await unlockWithPassword(meta, PW3)).keys);
    for (let i = from; i < from + 301; i++)
      await vault.save(createItem({ type: "password", title: `bulk-${i}`, fields: { password: `p${i}` } }), null);
    await store.close();
  };
  await seed(0);
  const tty = await onTerminal(A, ["sync"]);
  assert.equal(tty.code, 0, tty.out);
  assert.match(tty.out, /push \[#+\] 301\/301/);
  assert.match(tty.out, /301 sent/);

  await seed(1000);
  const json = await onTerminal(A, ["sync", "--json"]);
  assert.equal(json.code, 0, json.out);
  assert.doesNotMatch(json.out, /\[#/);
  assert.equal(JSON.parse(json.out.trim()).pushed, 301, "the terminal shows one JSON document and nothing else");

  await seed(2000);
  const piped = await ok(A, ["sync"]);
  assert.match(piped.stdout, /301 sent/);
  assert.doesNotMatch(piped.stderr, /\[#/, "no bar on a pipe");
  assert.equal((await ok(A, ["list", "--json"])).stdout.split('"bulk-').length - 1, 903);
});

test("secrets never reach the server: its database, logs and every mail hold none of the planted values", async () => {
  const { readdirSync, statSync } = await import("node:fs");
  const planted = [PW, PW2, PW3, "mail-secret-1", "from-A", "from-B", "watch-secret", "Pushed while watching", "bulk-1000"];
  const files: string[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else files.push(p);
    }
  };
  walk(srv.dataDir);
  assert.ok(files.length > 0);
  const blobs = [srv.logs(), ...smtp.messages.map((m) => m.raw), ...files.map((f) => readFileSync(f).toString("latin1"))];
  for (const secret of planted) for (const b of blobs) assert.equal(b.includes(secret), false, `"${secret}" found on the server`);
});
