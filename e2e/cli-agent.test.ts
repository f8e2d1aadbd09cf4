// The session agent (packages/cli/src/agent/): real `cryptex` processes on a real vault. A read command with a
// session starts the agent; later ones are answered by it with exactly the bytes and exit code of a direct run;
// it sees what other processes change, refuses a wrong token, ends with the session (lock, expiry) or when idle,
// rejects malformed requests, and never puts the token in its arguments, its environment or a file.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { TOKEN_RE } from "@cryptex/cli/src/agent/paths.ts";
import { encodeRequest, PROTOCOL } from "@cryptex/cli/src/agent/protocol.ts";
import { makeOfflineVault } from "@cryptex/cli/src/testing/offline-vault.ts";
import { runCli } from "@cryptex/cli/src/testing/run-cli.ts";

const PW = "agent test password 42 quince";
let dir: string;
let home: string;
let session: string;

const idOf = (token: string) => TOKEN_RE.exec(token)![1]!;
const socketOf = (token: string, h = home) => join(h, "agent", `${idOf(token)}.sock`);

/** runs `cryptex`; `from` is where bin/cryptex.js says the command ran: "agent", "bundle" or "sources" */
async function cx(args: string[], env: Record<string, string> = {}, h = home) {
  const r = await runCli(args, { home: h, env: { CRYPTEX_SESSION: session, CRYPTEX_START_TRACE: "1", ...env } });
  const from = /cryptex: start from (agent|bundle|sources)\n/.exec(r.stderr)?.[1];
  const why = /cryptex: agent: (.*)\n/.exec(r.stderr)?.[1];
  return { ...r, from, why, stderr: r.stderr.replace(/cryptex: (start from \w+|agent: .*)\n/g, "") };
}

/** the same command without any agent */
const direct = (args: string[], env: Record<string, string> = {}) => cx(args, { ...env, CRYPTEX_AGENT: "0" });

async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** a session whose agent runs: one direct run starts it, then wait until it answers */
async function agentFor(token: string, env: Record<string, string> = {}, h = home): Promise<void> {
  const r = await cx(["get", "site-1", "--field", "password"], { CRYPTEX_SESSION: token, ...env }, h);
  assert.equal(r.code, 0, r.stderr);
  await until("the agent's socket", () => existsSync(socketOf(token, h)));
  const again = await cx(["get", "site-1", "--field", "password"], { CRYPTEX_SESSION: token, ...env }, h);
  assert.equal(again.from, "agent", again.why);
}

async function unlock(minutes?: number): Promise<string> {
  const r = await runCli(["unlock", "--raw", "--password-stdin", ...(minutes ? ["--minutes", String(minutes)] : [])], {
    home,
    stdin: `${PW}\n`,
  });
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

/** one raw request on the agent's socket; resolves to the reply's bytes */
function raw(token: string, bytes: Uint8Array): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const s = connect(socketOf(token));
    s.on("connect", () => s.end(bytes));
    s.on("data", (c: Buffer) => chunks.push(c));
    s.on("close", () => resolve(Buffer.concat(chunks)));
    s.on("error", reject);
  });
}
const declineOf = (reply: Buffer) => (reply[0] === 4 ? reply.subarray(5).toString("latin1") : undefined);

/** the pids of agent processes and what they were given on their command line and environment */
function agentProcesses(): Array<{ pid: number; cmdline: string; environ: string }> {
  const out: Array<{ pid: number; cmdline: string; environ: string }> = [];
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, "latin1");
      if (!cmdline.includes("/src/agent/agent.ts")) continue;
      // read the start time around the environment: a pid reused meanwhile (pids wrap at 32768 here) is skipped
      const started = readFileSync(`/proc/${pid}/stat`, "latin1").split(") ")[1]?.split(" ")[19];
      const environ = readFileSync(`/proc/${pid}/environ`, "latin1");
      if (readFileSync(`/proc/${pid}/stat`, "latin1").split(") ")[1]?.split(" ")[19] === started)
        out.push({ pid: Number(pid), cmdline, environ });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "cryptex-agent-"));
  home = join(dir, "home");
  await makeOfflineVault(home, PW, 50);
  session = await unlock();
});
after(() => rmSync(dir, { recursive: true, force: true }));

test("the first read command runs directly and starts the agent; the next ones print exactly what a direct run prints", async () => {
  const first = await cx(["get", "site-3", "--field", "password"]);
  assert.equal(first.why, "none");
  assert.notEqual(first.from, "agent");
  assert.equal(first.stdout, "pw-3-secret");
  await until("the agent's socket", () => existsSync(socketOf(session)));
  const cases = [
    ["get", "site-3", "--field", "password"],
    ["get", "site-3", "--json"],
    ["get", "site-3"],
    ["get", "site-3", "--reveal"],
    ["get", "no-such-item"],
    ["--json", "get", "no-such-item"],
    ["get", "site-3", "--field", "nope"],
    ["search", "site-1", "--json"],
    ["search", "is:favorite tag:work"],
    ["search", "--deep", "secret", "--json"],
    ["search"],
    ["totp", "site-1"],
    ["list"],
    ["--json", "list", "--tag", "work"],
    ["list", "--type", "spaceship"],
    ["get", "--help"],
    ["get", "--bogus"],
  ];
  for (const args of cases) {
    const viaAgent = await cx(args);
    const viaDirect = await direct(args);
    assert.equal(viaAgent.from, "agent", `${args.join(" ")}: ${viaAgent.why}`);
    assert.notEqual(viaDirect.from, "agent");
    assert.deepEqual(
      { code: viaAgent.code, stdout: viaAgent.stdout, stderr: viaAgent.stderr },
      { code: viaDirect.code, stdout: viaDirect.stdout, stderr: viaDirect.stderr },
      args.join(" "),
    );
  }
  // a home given relative to the client's folder is the agent's home too
  const rel = relative(process.cwd(), home);
  const r = await cx(["--home", rel, "get", "site-4", "--field", "password"]);
  assert.equal(r.from, "agent", r.why);
  assert.equal(r.stdout, "pw-4-secret");
  // a locale other than the agent's could sort titles otherwise: that command runs directly
  const fr = await cx(["list"], { LC_ALL: "sv_SE.UTF-8" });
  assert.equal(fr.why, "declined: locale");
  assert.equal(fr.code, 0);
});

test("the agent sees what other processes change: add, edit, trash", async () => {
  await agentFor(session);
  // the agent has opened the index for a search and for a list before the change
  assert.doesNotMatch((await cx(["search", "fresh"])).stdout, /Fresh/);
  assert.doesNotMatch((await cx(["list"])).stdout, /Fresh/);
  const add = await runCli(["add", "login", "--title", "Fresh", "--field", "password=first"], { home, env: { CRYPTEX_SESSION: session } });
  assert.equal(add.code, 0, add.stderr);
  let r = await cx(["get", "Fresh", "--field", "password"]);
  assert.deepEqual([r.from, r.stdout], ["agent", "first"]);
  assert.equal((await cx(["search", "fresh"])).stdout, (await direct(["search", "fresh"])).stdout);
  assert.match((await cx(["list"])).stdout, /Fresh/);
  const edit = await runCli(["edit", "Fresh", "--field", "password=second"], { home, env: { CRYPTEX_SESSION: session } });
  assert.equal(edit.code, 0, edit.stderr);
  r = await cx(["get", "Fresh", "--field", "password"]);
  assert.deepEqual([r.from, r.stdout], ["agent", "second"]);
  assert.equal((await runCli(["rm", "Fresh"], { home, env: { CRYPTEX_SESSION: session } })).code, 0);
  r = await cx(["get", "Fresh"]);
  assert.deepEqual([r.from, r.code], ["agent", 3]);
  assert.doesNotMatch((await cx(["list"])).stdout, /Fresh/);
});

test("an import by another process is seen; non-ASCII titles and values come out byte for byte", async () => {
  await agentFor(session);
  assert.doesNotMatch((await cx(["list"])).stdout, /サーバー/);
  const fixture = new URL("../packages/core/src/import/fixtures/bitwarden.json", import.meta.url).pathname;
  const imp = await runCli(["import", fixture], { home, env: { CRYPTEX_SESSION: session } });
  assert.equal(imp.code, 0, imp.stderr);
  for (const args of [
    ["get", "Git 🔑 サーバー", "--field", "password"],
    ["--json", "list", "--folder", "Work"],
    ["search", "サーバー"],
    ["search", "git", "--json"],
    ["list"],
  ]) {
    const viaAgent = await cx(args);
    const viaDirect = await direct(args);
    assert.equal(viaAgent.from, "agent", viaAgent.why);
    assert.deepEqual(
      [viaAgent.code, viaAgent.stdout, viaAgent.stderr],
      [viaDirect.code, viaDirect.stdout, viaDirect.stderr],
      args.join(" "),
    );
  }
  assert.equal((await cx(["get", "Git 🔑 サーバー", "--field", "password"])).stdout, "p@ss word ");
});

test("a wrong token for the same session is refused: the command runs directly and fails as it would", async () => {
  await agentFor(session);
  const key = session.split("_")[2]!;
  const wrong = session.replace(key, `${key[0] === "A" ? "B" : "A"}${key.slice(1)}`);
  const r = await cx(["get", "site-3", "--field", "password"], { CRYPTEX_SESSION: wrong });
  assert.equal(r.why, "declined: token");
  assert.equal(r.code, 5);
  assert.equal(r.stdout, "");
  assert.deepEqual(
    { code: r.code, stderr: r.stderr },
    await direct(["get", "site-3", "--field", "password"], { CRYPTEX_SESSION: wrong }).then((d) => ({ code: d.code, stderr: d.stderr })),
  );
  // and on the socket itself, without the client
  const reply = await raw(
    session,
    encodeRequest({
      v: PROTOCOL,
      node: process.version,
      token: wrong,
      argv: ["list"],
      cwd: "/",
      env: {},
      stdinTty: false,
      stdoutTty: false,
    }),
  );
  assert.equal(declineOf(reply), "token");
  // the right one is still served
  assert.equal((await cx(["get", "site-3", "--field", "password"])).from, "agent");
});

test("malformed, oversized and half-sent requests are declined without output; the agent keeps serving", async () => {
  await agentFor(session);
  const good = { v: PROTOCOL, node: process.version, token: session, argv: ["list"], cwd: "/", env: {}, stdinTty: false, stdoutTty: false };
  const frame = (text: string) => {
    const b = Buffer.from(text);
    const head = Buffer.alloc(4);
    head.writeUInt32BE(b.length);
    return Buffer.concat([head, b]);
  };
  assert.equal(declineOf(await raw(session, frame("{not json"))), "request");
  assert.equal(declineOf(await raw(session, frame(JSON.stringify({ ...good, extra: 1 })))), "request");
  assert.equal(declineOf(await raw(session, frame(JSON.stringify({ ...good, argv: "list" })))), "request");
  assert.equal(declineOf(await raw(session, frame(JSON.stringify({ ...good, env: { PATH: "/tmp" } })))), "request");
  assert.equal(declineOf(await raw(session, frame(JSON.stringify({ ...good, argv: ["sync"] })))), "command");
  assert.equal(declineOf(await raw(session, frame(JSON.stringify({ ...good, argv: ["--home", "/elsewhere", "list"] })))), "home");
  const huge = Buffer.alloc(4);
  huge.writeUInt32BE(0x7fffffff);
  assert.equal(declineOf(await raw(session, huge)), "size");
  assert.equal((await raw(session, frame(JSON.stringify(good)).subarray(0, 10))).length, 0, "a request cut short gets nothing");
  const ok = await raw(session, encodeRequest({ ...good, cwd: home, env: { CRYPTEX_HOME: home } }));
  assert.equal(ok[0], 1, "stdout first");
  assert.match(ok.toString("utf8"), /site-49/);
  assert.equal((await cx(["get", "site-3", "--field", "password"])).from, "agent");
});

test("the token is never in the agent's arguments, environment or files", async () => {
  await agentFor(session);
  const key = session.split("_")[2]!;
  const agents = agentProcesses();
  assert.ok(agents.length > 0);
  for (const a of agents) {
    assert.ok(!a.cmdline.includes(key), `agent ${a.pid}'s arguments`);
    const names = a.environ
      .split("\0")
      .filter((kv) => kv.includes(key))
      .map((kv) => kv.split("=")[0]);
    assert.deepEqual(names, [], `agent ${a.pid}'s environment (${a.cmdline.replaceAll("\0", " ")})`);
  }
  assert.deepEqual(readdirSync(join(home, "agent")), [`${idOf(session)}.sock`]);
});

test("cryptex lock stops the agent; the old token then fails exactly as without an agent", async () => {
  await agentFor(session);
  const lock = await runCli(["lock"], { home });
  assert.equal(lock.code, 0, lock.stderr);
  await until("the agent to stop", () => !existsSync(socketOf(session)), 5_000);
  const r = await cx(["get", "site-3", "--field", "password"]);
  assert.notEqual(r.from, "agent");
  assert.equal(r.code, 5);
  assert.deepEqual(
    { code: r.code, stderr: r.stderr },
    await direct(["get", "site-3", "--field", "password"]).then((d) => ({ code: d.code, stderr: d.stderr })),
  );
  assert.ok(!existsSync(socketOf(session)), "no agent is started for a session that does not open the vault");
  session = await unlock();
});

test("an expired session is refused by its agent, which stops", async () => {
  await agentFor(session);
  // as if the clock had passed the session's end: written by another process, as time would have it
  const db = new DatabaseSync(join(home, "vault.sqlite"));
  db.prepare("UPDATE sessions SET expires_at = ? WHERE id = ?").run(Date.now() - 1, idOf(session));
  db.close();
  const r = await cx(["get", "site-3", "--field", "password"]);
  assert.ok(r.why === "declined: session" || r.why === "none", r.why);
  assert.equal(r.code, 5);
  assert.match(r.stderr, /expired/);
  await until("the agent to stop", () => !existsSync(socketOf(session)), 5_000);
  session = await unlock();
});

test("an idle agent stops by itself (CRYPTEX_AGENT_IDLE_SECONDS)", async () => {
  const token = await unlock();
  await agentFor(token, { CRYPTEX_AGENT_IDLE_SECONDS: "1" });
  await until("the idle agent to stop", () => !existsSync(socketOf(token)), 10_000);
  const r = await cx(["get", "site-3", "--field", "password"], { CRYPTEX_SESSION: token });
  assert.deepEqual([r.why, r.code, r.stdout], ["none", 0, "pw-3-secret"]);
});

test("CRYPTEX_AGENT=0 neither asks nor starts an agent", async () => {
  const token = await unlock();
  for (let i = 0; i < 2; i++) {
    const r = await cx(["get", "site-3", "--field", "password"], { CRYPTEX_SESSION: token, CRYPTEX_AGENT: "0" });
    assert.equal(r.code, 0);
    assert.equal(r.why, undefined);
  }
  await sleep(1_000);
  assert.ok(!existsSync(socketOf(token)));
});
