// The CLI's sign-up confirmation and forgotten-password erase against the real server: a wrong code or an
// address that is not one plain addr-spec leaves no vault; `account forgot` says before and after that the data
// cannot be recovered, erases the account with the mailed code (also in two runs with --code), the device that
// held it is told the account was reset and keeps its items for export, and the address signs up again.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { outboxMailbox } from "@cryptex/server/src/testing/mailbox.ts";
import { type RunningServer, startServer } from "@cryptex/server/src/testing/start-server.ts";
import { CLI_BIN } from "../packages/cli/src/testing/offline-vault.ts";
import { runCli, runCliWithCode } from "../packages/cli/src/testing/run-cli.ts";

const PW = "quartz meadow 64 lantern ferry";
let srv: RunningServer;
let dir: string;
let env: Record<string, string>;
before(async () => {
  srv = await startServer();
  dir = mkdtempSync(join(tmpdir(), "cryptex-e2e-forgot-"));
  writeFileSync(join(dir, "ca.pem"), srv.caPem);
  env = { NODE_EXTRA_CA_CERTS: join(dir, "ca.pem") };
});
after(async () => {
  await srv?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const signup = (home: string, email: string, code?: string) =>
  runCliWithCode(
    ["signup", "--server", srv.url, "--email", email, "--password-stdin", "--no-email"],
    { home, stdin: `${PW}\n`, env },
    async () => code ?? (await outboxMailbox(srv.outboxDir).code(email, "signup")),
  );

test("signup: a wrong code or a list of addresses leaves no vault", async () => {
  for (const email of ["x<victim@example.org", "a,victim@example.org"]) {
    const r = await runCli(["signup", "--server", srv.url, "--email", email, "--password-stdin"], {
      home: join(dir, "bad"),
      stdin: `${PW}\n`,
      env,
    });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /not one plain e-mail address/);
  }
  const home = join(dir, "wrong-code");
  const r = await signup(home, "wrong-code@example.org", "0000 0000");
  assert.equal(r.code, 13, r.stderr);
  assert.match(r.stderr, /A confirmation code was mailed to wrong-code@example.org/);
  assert.match(r.stderr, /code from the mail was not accepted/);
  assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/);
  assert.equal(existsSync(join(home, "vault.sqlite")), false);
});

test("account forgot erases the account by the mailed code; the old device keeps its items; the address signs up again", async () => {
  const email = "dora@example.org";
  const A = join(dir, "a");
  assert.equal((await signup(A, email)).code, 0);
  const session = (await runCli(["unlock", "--raw", "--password-stdin"], { home: A, stdin: `${PW}\n`, env })).stdout.trim();
  const envA = { ...env, CRYPTEX_SESSION: session };
  assert.equal((await runCli(["add", "login", "--title", "Kept here"], { home: A, env: envA })).code, 0);
  assert.equal((await runCli(["sync"], { home: A, env: envA })).code, 0);

  // without a terminal and without --password-stdin: mail the code, then a second run with --code
  const first = await runCli(["account", "forgot", "--server", srv.url, "--email", email], { home: join(dir, "x"), env });
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stderr, /cannot recover your data/);
  assert.match(first.stderr, /run again with --code/);
  const code = await outboxMailbox(srv.outboxDir).code(email, "forgot");
  const wrong = await runCli(
    ["account", "forgot", "--server", srv.url, "--email", email, "--code", code === "12345678" ? "87654321" : "12345678"],
    {
      home: join(dir, "x"),
      env,
    },
  );
  assert.equal(wrong.code, 13, wrong.stderr);
  const erased = await runCli(["account", "forgot", "--server", srv.url, "--email", email, "--code", code], { home: join(dir, "x"), env });
  assert.equal(erased.code, 0, erased.stderr);
  assert.match(erased.stdout, /erased .*cannot be recovered by anyone/);
  assert.match(erased.stdout, /cryptex signup --server .* --email dora@example.org/);

  // the device that held the account: told it was reset, its items still readable locally
  const s = await runCli(["sync"], { home: A, env: envA });
  assert.equal(s.code, 16, s.stderr);
  assert.match(s.stderr, /reset/);
  assert.match((await runCli(["list"], { home: A, env: envA })).stdout, /Kept here/);

  assert.equal((await signup(join(dir, "a2"), email)).code, 0, "the address signs up again");
});

test("signup in two runs: stdin ends before the code, then --code finishes it", async () => {
  const email = "finn@example.org";
  const home = join(dir, "two-runs");
  const first = await runCli(["signup", "--server", srv.url, "--email", email, "--password-stdin"], { home, stdin: `${PW}\n`, env });
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /cryptex signup --code CODE --password-stdin/);
  assert.equal(existsSync(join(home, "vault.sqlite")), false, "no account yet");
  const code = await outboxMailbox(srv.outboxDir).code(email, "signup");
  const wrongPw = await runCli(["signup", "--code", code, "--password-stdin"], { home, stdin: "not the password at all 1\n", env });
  assert.equal(wrongPw.code, 6, wrongPw.stderr);
  const done = await runCli(["signup", "--code", code, "--password-stdin", "--emergency-kit", join(dir, "finn.png")], {
    home,
    stdin: `${PW}\n`,
    env,
  });
  assert.equal(done.code, 0, done.stderr);
  assert.match(done.stdout, /Account finn@example.org created/);
  assert.match(done.stdout, /mailed to finn@example.org/);
  assert.equal(existsSync(join(home, "signup-pending.json")), false, "the pending file is gone");
  assert.equal((await runCli(["unlock", "--raw", "--password-stdin"], { home, stdin: `${PW}\n`, env })).code, 0);
  const again = await runCli(["signup", "--code", code, "--password-stdin"], { home: join(dir, "none"), stdin: `${PW}\n`, env });
  assert.equal(again.code, 2, again.stderr);
  assert.match(again.stderr, /no sign-up is waiting/);
});

test("account forgot with --password-stdin reads the code as the next line", async () => {
  const email = "eve@example.org";
  assert.equal((await signup(join(dir, "e"), email)).code, 0);
  const r = await runCliWithCode(
    ["account", "forgot", "--server", srv.url, "--email", email, "--password-stdin"],
    { home: join(dir, "y"), env },
    () => outboxMailbox(srv.outboxDir).code(email, "forgot"),
  );
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /cannot be recovered by anyone/);
});

test("signup on a terminal asks for the code after the password, and again after a wrong one", async () => {
  const email = "gil@example.org";
  const home = join(dir, "tty");
  const cmd = [process.execPath, CLI_BIN, "signup", "--server", srv.url, "--email", email, "--no-email"]
    .map((a) => `'${a.replace(/'/g, "'\\''")}'`)
    .join(" ");
  const child = spawn("script", ["-qefc", cmd, "/dev/null"], {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home, CRYPTEX_HOME: home, ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let out = "";
  let seen = 0;
  child.stdout.on("data", (c: Buffer) => {
    out += c.toString("utf8");
  });
  const exited = new Promise<number | null>((r) => child.once("close", (code) => r(code)));
  /** Waits for the next occurrence of `text` after the last one answered, then types `line`. */
  const answer = async (text: string, line: string) => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const at = out.indexOf(text, seen);
      if (at >= 0) {
        seen = at + text.length;
        break;
      }
      if (Date.now() > deadline) throw new Error(`no "${text}" on the terminal; got: ${out}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    child.stdin.write(`${line}\r`);
  };
  await answer("Choose an Account Password:", PW);
  await answer("Repeat it:", PW);
  await answer("Code from the mail:", "11111111");
  const code = await outboxMailbox(srv.outboxDir).code(email, "signup");
  await answer("Code from the mail:", code === "22222222" ? "33333333" : "22222222"); // wrong once more: still asked
  await answer("Code from the mail:", code);
  assert.equal(await exited, 0, out);
  assert.match(out, /the code is wrong, used or expired.*Try again/);
  assert.match(out, /Account gil@example.org created/);
});
