// The CLI against a hostile server and a shared machine, end to end with the real `cryptex` and a real server
// behind a recording proxy: server text with terminal escapes is printed without them; the server token is not in
// the vault file in clear; loose modes on an existing home are repaired; `--qr-text -` reads stdin; a chunked
// answer far over the limit is cut off as it arrives instead of filling memory.
import assert from "node:assert/strict";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { createHttpsFetch } from "@cryptex/cli/src/net/https-fetch.ts";
import { createApiClient } from "@cryptex/core/client/api-client.ts";
import { runCli, runCliWithCode } from "../packages/cli/src/testing/run-cli.ts";
import { freePort } from "../packages/server/src/testing/free-port.ts";
import { outboxMailbox } from "../packages/server/src/testing/mailbox.ts";
import { type RunningServer, startServer } from "../packages/server/src/testing/start-server.ts";
import { type HostileProxy, startHostileProxy } from "./support/hostile-proxy.ts";

const PW = "juniper canyon 58 lantern";
const EMAIL = "hardening@example.org";
const ESCAPES = "\u001b]0;owned\u0007\u001b]52;c;cHduZWQ=\u0007\u009b31m\u001b[2J";
let srv: RunningServer;
let proxy: HostileProxy;
let dir: string;
let env: Record<string, string>;
let A: string;
let session = "";

before(async () => {
  const port = await freePort();
  srv = await startServer({ env: { PUBLIC_URL: `https://localhost:${port}` } });
  proxy = await startHostileProxy(srv, port);
  dir = mkdtempSync(join(tmpdir(), "cryptex-e2e-hardening-"));
  writeFileSync(join(dir, "ca.pem"), srv.caPem);
  env = { NODE_EXTRA_CA_CERTS: join(dir, "ca.pem") };
  A = join(dir, "a");
});
after(async () => {
  await proxy?.stop();
  await srv?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const cli = (h: string, args: string[], stdin = "") => runCli(args, { home: h, stdin, env: { ...env, CRYPTEX_SESSION: session } });
const ok = async (h: string, args: string[], stdin = "") => {
  const r = await cli(h, args, stdin);
  assert.equal(r.code, 0, `cryptex ${args.join(" ")} failed (${r.code}): ${r.stderr}`);
  return r;
};
const vaultBytes = (h: string) =>
  Buffer.concat(
    ["vault.sqlite", "vault.sqlite-wal"]
      .map((f) => join(h, f))
      .filter((f) => existsSync(f))
      .map((f) => readFileSync(f)),
  );

test("the server session token is not in the vault file in clear", async () => {
  const up = await runCliWithCode(
    ["signup", "--server", proxy.url, "--email", EMAIL, "--password-stdin", "--no-email"],
    { home: A, stdin: `${PW}\n`, env: { ...env, CRYPTEX_SESSION: session } },
    () => outboxMailbox(srv.outboxDir).code(EMAIL, "signup"),
  );
  assert.equal(up.code, 0, up.stderr);
  const token = (proxy.last("POST", "/api/v1/accounts/confirm")!.json as { token: string }).token;
  assert.ok(token.length >= 43);
  assert.equal(vaultBytes(A).includes(Buffer.from(token)), false);
  session = (await ok(A, ["unlock", "--raw", "--password-stdin"], `${PW}\n`)).stdout.trim();
  await ok(A, ["add", "login", "--title", "Mail", "--field", "password=m41l"]);
  await ok(A, ["sync"]);
  assert.equal(vaultBytes(A).includes(Buffer.from(token)), false);
});

test("terminal escapes in server text never reach the terminal", async () => {
  proxy.onAnswer((x) => {
    if (x.method === "GET" && x.path === "/api/v1/account") return { status: 403, json: { code: "forbidden", message: `no${ESCAPES}pe` } };
    if (x.method === "GET" && x.path === "/api/v1/sessions") {
      const s = x.json as { sessions: { deviceName: string }[] };
      return { json: { sessions: s.sessions.map((d) => ({ ...d, deviceName: `evil${ESCAPES}` })) } };
    }
    return undefined;
  });
  try {
    const refused = await cli(A, ["sync"]);
    assert.equal(refused.code, 13, refused.stderr);
    assert.match(refused.stderr, /no.*pe/, "the message is shown, its control characters removed");
    const json = await cli(A, ["sync", "--json"]);
    const devices = await ok(A, ["account", "devices"]);
    assert.match(devices.stdout, /evil/);
    for (const out of [refused.stderr, refused.stdout, json.stderr, devices.stdout, devices.stderr])
      assert.ok(![...out].some((c) => c < "\t" || (c > "\n" && c < " ") || (c >= "\u007f" && c <= "\u009f")), JSON.stringify(out));
  } finally {
    proxy.onAnswer(undefined);
  }
});

test("loose modes on an existing home, vault file and WAL are repaired", async () => {
  chmodSync(A, 0o755);
  chmodSync(join(A, "vault.sqlite"), 0o644);
  if (existsSync(join(A, "vault.sqlite-wal"))) chmodSync(join(A, "vault.sqlite-wal"), 0o644);
  await ok(A, ["status"]);
  assert.equal(statSync(A).mode & 0o777, 0o700);
  for (const f of ["vault.sqlite", "vault.sqlite-wal", "vault.sqlite-shm"]) {
    const p = join(A, f);
    if (existsSync(p)) assert.equal(statSync(p).mode & 0o777, 0o600, f);
  }
});

test("signin --qr-text - reads the QR text from stdin, then the password", async () => {
  const text = (JSON.parse((await ok(A, ["account", "qr", "--json"])).stdout) as { eakText: string }).eakText;
  const B = join(dir, "b");
  await ok(B, ["signin", "--server", proxy.url, "--email", EMAIL, "--qr-text", "-", "--password-stdin"], `${text}\n${PW}\n`);
  assert.equal(statSync(B).mode & 0o777, 0o700);
  assert.equal(statSync(join(B, "vault.sqlite")).mode & 0o777, 0o600);
  const empty = await cli(join(dir, "c"), ["signin", "--server", proxy.url, "--email", EMAIL, "--qr-text", "-", "--password-stdin"], "");
  assert.equal(empty.code, 2, empty.stderr);
});

test("a chunked answer of 1.2 GB is cut off as it arrives, past the 48 MiB limit", async () => {
  const cert = readFileSync(join(srv.dataDir, "tls", "cert.pem"));
  const key = readFileSync(join(srv.dataDir, "tls", "key.pem"));
  let sent = 0;
  const chunk = Buffer.alloc(1024 * 1024, 0x61);
  const server = createServer({ cert, key }, (_req, res) => {
    res.writeHead(200, { "content-type": "application/json" }); // no length: chunked
    res.write('["');
    const pump = () => {
      while (sent < 1.2e9) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once("drain", pump);
      }
      res.end('"]');
    };
    res.on("close", () => res.removeAllListeners("drain"));
    pump();
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
  try {
    const api = createApiClient({ baseUrl: `https://localhost:${port}`, fetch: createHttpsFetch(srv.caPem), timeoutMs: 120_000 });
    const before = process.memoryUsage().rss;
    await assert.rejects(api.account(), { code: "answer_too_large" });
    assert.ok(sent < 200 * 1024 * 1024, `the client stopped reading early (${Math.round(sent / 1048576)} MiB sent)`);
    assert.ok(process.memoryUsage().rss - before < 400 * 1024 * 1024, "memory stayed bounded");
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
});
