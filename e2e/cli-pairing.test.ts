// CLI-to-CLI pairing end to end: real `cryptex` processes and a real server. Flow A (`signin --pair` shows the
// code, `device approve CODE --yes` approves), flow B (`device add` shows it, `signin --pair-code` types it),
// and the clear failures: a mistyped code, an unknown code, no terminal to ask.
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { startServer } from "@cryptex/server/src/testing/start-server.ts";
import { collect, runCli, runCliWithCode, spawnCli } from "../packages/cli/src/testing/run-cli.ts";
import { outboxMailbox } from "../packages/server/src/testing/mailbox.ts";

type Server = Awaited<ReturnType<typeof startServer>>;
let srv: Server;
let dir: string;
let env: Record<string, string>;
let session = "";
const PW = "juniper canyon 58 lantern";
const EMAIL = "dana@example.org";
const home = (n: string) => join(dir, n);
const cli = (h: string, args: string[], stdin = "", extra: Record<string, string> = {}) =>
  runCli(args, { home: h, stdin, env: { ...env, ...extra } });
const noStack = (s: string) => assert.doesNotMatch(s, /at .*\.ts:\d+/, "no stack trace");

function waitFor(child: ChildProcess, stream: "stdout" | "stderr", re: RegExp, ms = 20_000): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let seen = "";
    const t = setTimeout(() => reject(new Error(`timed out waiting for ${re} on ${stream}; got: ${seen}`)), ms);
    child[stream]!.on("data", (c: Buffer) => {
      seen += c.toString("utf8");
      const m = re.exec(seen);
      if (m) {
        clearTimeout(t);
        resolve(m);
      }
    });
  });
}

before(async () => {
  srv = await startServer();
  dir = mkdtempSync(join(tmpdir(), "cryptex-e2e-pair-"));
  writeFileSync(join(dir, "ca.pem"), srv.caPem);
  env = { NODE_EXTRA_CA_CERTS: join(dir, "ca.pem") };
  const up = await runCliWithCode(
    ["signup", "--server", srv.url, "--email", EMAIL, "--no-email", "--password-stdin"],
    { home: home("a"), stdin: `${PW}\n`, env },
    () => outboxMailbox(srv.outboxDir).code(EMAIL, "signup"),
  );
  assert.equal(up.code, 0, up.stderr);
  session = (await cli(home("a"), ["unlock", "--raw", "--password-stdin"], `${PW}\n`)).stdout.trim();
});
after(async () => {
  await srv?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const eakOf = async (h: string, extra: Record<string, string>) => {
  const r = await cli(h, ["account", "qr", "--json"], "", extra);
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as { eakText: string }).eakText;
};

test("flow A: signin --pair prints the code on its own line; device approve CODE --yes adds the device", async () => {
  const b = spawnCli(["signin", "--server", srv.url, "--email", EMAIL, "--pair", "--password-stdin", "--device-name", "phone"], {
    home: home("b"),
    stdin: `${PW}\n`,
    env,
  });
  const done = collect(b);
  const code = (await waitFor(b, "stdout", /^Pairing code: ([A-Z2-7-]{34})$/m))[1]!;
  const bCompare = waitFor(b, "stdout", /^Comparison code: (\d{6})/m);
  const approve = await cli(home("a"), ["device", "approve", code, "--yes"], "", { CRYPTEX_SESSION: session });
  assert.equal(approve.code, 0, approve.stderr);
  assert.match(approve.stdout, /Device "phone" added: it is signed in\./);
  assert.match(approve.stderr, /A new device asks to sign in: "phone" \(cryptex CLI \(linux\)\) for dana@example\.org\./);
  const shownOnA = /Comparison code: (\d{6})/.exec(approve.stderr)![1];
  assert.equal((await bCompare)[1], shownOnA);
  const r = await done;
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /Signed in as dana@example\.org/);
  assert.match(r.stdout, /█|▀|▄/, "a terminal QR code is printed");
  const bSession = (await cli(home("b"), ["unlock", "--raw", "--password-stdin"], `${PW}\n`)).stdout.trim();
  assert.equal(await eakOf(home("b"), { CRYPTEX_SESSION: bSession }), await eakOf(home("a"), { CRYPTEX_SESSION: session }));
  // the code was used once: it cannot be approved again
  const again = await cli(home("a"), ["device", "approve", code, "--yes"], "", { CRYPTEX_SESSION: session });
  assert.equal(again.code, 18, again.stderr);
  assert.match(again.stderr, /already used/);
  noStack(again.stderr);
});

test("flow B: device add shows the code, signin --pair-code types it (lower case, spaces)", async () => {
  const a = spawnCli(["device", "add", "--yes"], { home: home("a"), env: { ...env, CRYPTEX_SESSION: session } });
  const done = collect(a);
  const code = (await waitFor(a, "stdout", /^Pairing code: ([A-Z2-7-]{34})$/m))[1]!;
  const typed = code.toLowerCase().replaceAll("-", " ");
  const c = await cli(home("c"), ["signin", "--server", srv.url, "--email", EMAIL, "--pair-code", typed, "--password-stdin"], `${PW}\n`);
  assert.equal(c.code, 0, c.stderr);
  const r = await done;
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Device ".*" added: it is signed in\./);
});

test("clear failures: a mistyped code, a code nobody shows, a question without a terminal", async () => {
  const short = await cli(
    home("d"),
    ["signin", "--server", srv.url, "--email", EMAIL, "--pair-code", "ABCD-EFGH", "--password-stdin"],
    `${PW}\n`,
  );
  assert.equal(short.code, 9, short.stderr);
  assert.match(short.stderr, /a pairing code has 28 letters and digits/);
  noStack(short.stderr);
  const unknown = await cli(
    home("d"),
    ["signin", "--server", srv.url, "--email", EMAIL, "--pair-code", `AE${"Q".repeat(25)}A`, "--password-stdin"],
    `${PW}\n`,
  );
  assert.equal(unknown.code, 18, unknown.stderr);
  assert.match(unknown.stderr, /no device waits under this pairing code/);
  noStack(unknown.stderr);
  const foreign = await cli(home("a"), ["device", "approve", `CRYPTEX-PAIR1:AE${"Q".repeat(25)}A@https://evil.example`, "--yes"], "", {
    CRYPTEX_SESSION: session,
  });
  assert.equal(foreign.code, 9, foreign.stderr);
  assert.match(foreign.stderr, /belongs to https:\/\/evil\.example/);
  const noTty = await cli(home("a"), ["device", "approve", `AE${"Q".repeat(25)}A`], "", { CRYPTEX_SESSION: session });
  assert.equal(noTty.code, 2, noTty.stderr);
  assert.match(noTty.stderr, /pass --yes/);
});
