// Sync benchmark (`npm run bench -- sync`): the real server process over HTTPS on loopback, SQLite store.
// Each figure is printed next to a raw limit of this machine measured in the same run:
//   push/pull 10k and 100k items of 1 KiB      vs raw node:sqlite inserts and raw HTTPS bulk transfer
//   delta pull of 1 change in 100k             vs the full pull (time and bytes); target < 20 ms, < 4 KB
//   empty delta pull, 50 concurrent clients    vs a trivial HTTPS handler (requests/s, p99)
//   10,000 idle live-push (SSE) connections    vs 10,000 bare node:tls / node:https / node:http connections; target < 500 MB
// Only the idle-connection part: `node --expose-gc packages/server/bench/sync.bench.ts --idle-only` (IDLE_CONNECTIONS=n);
// add --nginx-only for just the streams through nginx; --sync-only skips the idle connections. The server runs with
// the shipped Node flags (node-flags.ts); SYNC_NODE_FLAGS replaces them (space-separated; empty for Node's defaults).
import { spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { Agent, request as httpsRequest } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import autocannon from "autocannon";
import { SERVER_NODE_FLAGS } from "../src/node-flags.ts";
import { signUp } from "../src/testing/accounts.ts";
import { freePort } from "../src/testing/free-port.ts";
import { startNginx } from "../src/testing/nginx.ts";
import { startServer } from "../src/testing/start-server.ts";

const agent = new Agent({ keepAlive: true, maxSockets: 1 });
const nodeFlags = process.env.SYNC_NODE_FLAGS === undefined ? SERVER_NODE_FLAGS : process.env.SYNC_NODE_FLAGS.split(/\s+/).filter(Boolean);
/** The bench opens thousands of streams for one account from one address: lift the per-account and per-address caps. */
const MANY_STREAMS = { LIVE_STREAMS_PER_ACCOUNT: "100000", LIVE_STREAMS_PER_ADDRESS: "1000000" };
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
const pad = (s: string, n = 52) => s.padEnd(n);
const line = (label: string, value: string, raw = "") => console.log(`${pad(label)} ${value.padEnd(30)} ${raw}`);

interface Wire {
  status: number;
  body: Buffer;
  bytes: number;
}
function call(url: string, ca: string, method: string, token: string, body?: string): Promise<Wire> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { authorization: `Bearer ${token}` };
    if (body) Object.assign(headers, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    const req = httpsRequest(url, { method, headers, ca, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const b = Buffer.concat(chunks);
        // HTTP bytes on the wire: status line + headers + body (TLS record framing excluded)
        let head = `HTTP/1.1 ${res.statusCode} ${res.statusMessage}\r\n`.length + 2;
        for (let i = 0; i < res.rawHeaders.length; i += 2) head += res.rawHeaders[i]!.length + res.rawHeaders[i + 1]!.length + 4;
        resolve({ status: res.statusCode ?? 0, body: b, bytes: head + b.length });
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

function rawSqliteInsert(n: number): number {
  const file = join(tmpdir(), `cryptex-bench-${randomUUID()}.db`);
  const db = new DatabaseSync(file);
  db.exec(
    "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; CREATE TABLE t (seq INTEGER PRIMARY KEY, id TEXT NOT NULL, data BLOB); CREATE UNIQUE INDEX t_id ON t (id)",
  );
  const ins = db.prepare("INSERT INTO t (id, data) VALUES (?, ?)");
  const blob = randomBytes(1024);
  const t = performance.now();
  db.exec("BEGIN");
  for (let i = 0; i < n; i++) ins.run(randomUUID(), blob);
  db.exec("COMMIT");
  const ms = performance.now() - t;
  db.close();
  for (const s of ["", "-wal", "-shm"]) rmSync(file + s, { force: true });
  return n / (ms / 1000);
}

/** A trivial HTTPS server in its own process (same certificate): the raw request-rate and transfer limit. */
async function trivialServer(cert: string, key: string) {
  const port = await freePort();
  const code = `
    const https = require("node:https");
    const big = Buffer.alloc(${1400 * 1024}, 97);
    https.createServer({ cert: process.env.C, key: process.env.K, minVersion: "TLSv1.2" }, (req, res) => {
      if (req.url === "/big") { res.writeHead(200, { "content-length": big.length }); res.end(big); }
      else { res.writeHead(200, { "content-type": "application/json", "content-length": 2 }); res.end("{}"); }
    }).listen(${port}, () => process.stdout.write("up\\n"));`;
  const child = spawn(process.execPath, ["-e", code], { env: { C: cert, K: key }, stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((r) => child.stdout.once("data", () => r()));
  return { url: `https://localhost:${port}`, pid: child.pid!, stop: () => child.kill("SIGKILL") };
}

function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(m?.[1] ?? 0) * 1024;
}

async function cannon(url: string, token?: string) {
  const r = await autocannon({ url, connections: 50, duration: 8, headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { rps: r.requests.average, p99: r.latency.p99, errors: r.errors + r.non2xx };
}

/** Opens n idle streams (TLS + optional SSE request) to a server; returns a closer. */
async function openIdle(url: string, n: number, token?: string) {
  const sockets: { destroy(): void }[] = [];
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const a = new Agent({ keepAlive: false });
      const req = httpsRequest(
        url,
        { headers: token ? { authorization: `Bearer ${token}` } : {}, rejectUnauthorized: false, agent: a },
        (res) => {
          if (res.statusCode !== 200) reject(new Error(`an idle stream was answered ${res.statusCode}`));
          res.once("data", () => resolve()); // the SSE comment sent on open, or the trivial body
          res.on("error", () => {});
        },
      );
      req.on("error", reject);
      req.end();
      sockets.push({ destroy: () => req.destroy() });
    });
  for (let i = 0; i < n; i += 200) await Promise.all(Array.from({ length: Math.min(200, n - i) }, one));
  return () => {
    for (const s of sockets) s.destroy();
  };
}

async function main() {
  console.log(
    "machine:",
    `${(await import("node:os")).cpus().length} cores, node ${process.version}; server: node ${nodeFlags.join(" ") || "(Node's defaults)"}`,
  );
  const srv = await startServer({ nodeFlags, env: { LOG_LEVEL: "warn", RATE_LIMIT_SCALE: "100000", ...MANY_STREAMS } });
  const key = readFileSync(join(srv.dataDir, "tls", "key.pem"), "utf8");
  const raw = await trivialServer(srv.caPem, key);
  try {
    const rawInsert = rawSqliteInsert(100_000);
    // raw HTTPS transfer: 100 × 1.4 MB (the size of a 1000-item pull page)
    let t = performance.now();
    let rawBytes = 0;
    for (let i = 0; i < 100; i++) rawBytes += (await call(`${raw.url}/big`, srv.caPem, "GET", "x")).body.length;
    const rawMBs = rawBytes / 1024 / 1024 / ((performance.now() - t) / 1000);
    console.log(
      `\nraw limits: node:sqlite insert (rowid, 1 KiB, WAL+FULL) ${Math.round(rawInsert)} rows/s; HTTPS bulk transfer ${rawMBs.toFixed(0)} MB/s\n`,
    );

    for (const n of [10_000, 100_000]) {
      const a = await signUp(srv);
      const ids = Array.from({ length: n }, () => randomUUID());
      t = performance.now();
      let pushed = 0;
      for (let i = 0; i < n; i += 1000) {
        const items = ids.slice(i, i + 1000).map((id) => ({ id, baseRevision: 0, data: randomBytes(1024).toString("base64url") }));
        const r = await call(`${srv.url}/api/v1/items`, srv.caPem, "POST", a.token, JSON.stringify({ items }));
        if (r.status !== 200) throw new Error(`push failed ${r.status} ${r.body}`);
        pushed += items.length;
      }
      const pushS = (performance.now() - t) / 1000;
      t = performance.now();
      let since = 0;
      let pulled = 0;
      let pullBytes = 0;
      for (;;) {
        const r = await call(`${srv.url}/api/v1/items?since=${since}&limit=1000`, srv.caPem, "GET", a.token);
        const p = JSON.parse(r.body.toString());
        pulled += p.items.length;
        pullBytes += r.bytes;
        if (!p.more) break;
        since = p.next;
      }
      const pullS = (performance.now() - t) / 1000;
      if (pulled !== n || pushed !== n) throw new Error("counts differ");
      line(
        `push ${n} items of 1 KiB (batches of 1000)`,
        `${pushS.toFixed(2)} s, ${Math.round(n / pushS)} items/s`,
        `${((n / pushS / rawInsert) * 100).toFixed(0)}% of raw sqlite insert rate`,
      );
      line(
        `pull ${n} items (pages of 1000)`,
        `${pullS.toFixed(2)} s, ${Math.round(n / pullS)} items/s`,
        `${mb(pullBytes)} at ${(pullBytes / 1024 / 1024 / pullS).toFixed(0)} MB/s = ${((pullBytes / 1024 / 1024 / pullS / rawMBs) * 100).toFixed(0)}% of raw HTTPS`,
      );

      if (n === 100_000) {
        const before = JSON.parse((await call(`${srv.url}/api/v1/account`, srv.caPem, "GET", a.token)).body.toString()).revision as number;
        const changed = await call(
          `${srv.url}/api/v1/items`,
          srv.caPem,
          "POST",
          a.token,
          JSON.stringify({
            items: [{ id: ids[50_000], baseRevision: 50_001, data: randomBytes(1024).toString("base64url") }],
          }),
        );
        if (changed.status !== 200) throw new Error(`edit failed ${changed.body}`);
        const times: number[] = [];
        let bytes = 0;
        for (let i = 0; i < 300; i++) {
          const t0 = performance.now();
          const r = await call(`${srv.url}/api/v1/items?since=${before}`, srv.caPem, "GET", a.token);
          times.push(performance.now() - t0);
          bytes = r.bytes;
          if (JSON.parse(r.body.toString()).items.length !== 1) throw new Error("delta pull must return 1 item");
        }
        times.sort((x, y) => x - y);
        const med = times[150]!;
        const p99 = times[297]!;
        line(
          "delta pull: 1 change in 100,000",
          `median ${med.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms`,
          `full pull ${(pullS * 1000).toFixed(0)} ms (${((pullS * 1000) / med).toFixed(0)}× longer); target < 20 ms`,
        );
        line(
          "delta pull: bytes on the wire (HTTP)",
          `${bytes} B`,
          `full pull ${mb(pullBytes)} (${Math.round(pullBytes / bytes)}× more); target < 4 KB`,
        );

        const empty = await cannon(`${srv.url}/api/v1/items?since=${before + 1}`, a.token);
        const trivial = await cannon(`${raw.url}/`);
        line(
          "empty delta pull, 50 concurrent clients",
          `${Math.round(empty.rps)} req/s, p99 ${empty.p99} ms`,
          `trivial HTTPS handler: ${Math.round(trivial.rps)} req/s, p99 ${trivial.p99} ms (${((empty.rps / trivial.rps) * 100).toFixed(0)}%)`,
        );
        if (empty.errors > 0) console.log(`  (${empty.errors} errors or non-2xx)`);
      }
    }
  } finally {
    raw.stop();
    await srv.stop();
  }
  if (!process.argv.includes("--sync-only")) await idleMemory();
}

/** A bare server in its own process (same certificate): `tls` answers "hi" on connect; `https` and `http`
 * answer any request like our live channel (200 text/event-stream and one comment) and keep it open. */
async function bareServer(kind: "tls" | "https" | "http", cert: string, key: string) {
  const port = await freePort();
  const sse = `(req, res) => { res.writeHead(200, { "content-type": "text/event-stream" }); res.write(": connected\\n\\n"); }`;
  const code =
    kind === "tls"
      ? `require("node:tls").createServer({ cert: process.env.C, key: process.env.K }, (s) => s.write("hi")).listen(${port}, () => process.stdout.write("up\\n"));`
      : kind === "https"
        ? `require("node:https").createServer({ cert: process.env.C, key: process.env.K }, ${sse}).listen(${port}, () => process.stdout.write("up\\n"));`
        : `require("node:http").createServer(${sse}).listen(${port}, () => process.stdout.write("up\\n"));`;
  const child = spawn(process.execPath, ["-e", code], { env: { C: cert, K: key }, stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((r) => child.stdout.once("data", () => r()));
  return { port, pid: child.pid!, stop: () => child.kill("SIGKILL") };
}

/** Opens n idle connections to a bare server: a TLS handshake reading the first bytes, or one request. */
async function openBare(kind: "tls" | "https" | "http", port: number, n: number) {
  const tls = await import("node:tls");
  const http = await import("node:http");
  const closers: (() => void)[] = [];
  const one = () =>
    new Promise<void>((resolve, reject) => {
      if (kind === "tls") {
        const s = tls.connect({ port, host: "localhost", rejectUnauthorized: false });
        closers.push(() => s.destroy());
        s.once("data", () => resolve());
        s.on("error", reject);
        return;
      }
      const get = kind === "https" ? httpsRequest : http.request;
      const req = get(
        `${kind}://localhost:${port}/`,
        { rejectUnauthorized: false, agent: kind === "https" ? new Agent({ keepAlive: false }) : new http.Agent({ keepAlive: false }) },
        (res) => res.once("data", () => resolve()),
      );
      req.on("error", reject);
      req.end();
      closers.push(() => req.destroy());
    });
  for (let i = 0; i < n; i += 200) await Promise.all(Array.from({ length: Math.min(200, n - i) }, one));
  return () => {
    for (const c of closers) c();
  };
}

/** Memory of N idle SSE streams (default 10,000; IDLE_CONNECTIONS overrides) on a fresh server process, as
 * resident-memory growth, next to Node's own floors measured the same way on fresh bare servers: node:tls
 * sockets, node:https streams, and plain node:http streams (what would be left in Node if a proxy ended TLS). */
async function idleMemory() {
  const N = Number(process.env.IDLE_CONNECTIONS ?? 10_000);
  const each = (bytes: number) => `+${mb(bytes)} (${(bytes / N / 1024).toFixed(1)} KB each)`;
  const fresh = await startServer({ nodeFlags, env: { LOG_LEVEL: "warn", RATE_LIMIT_SCALE: "100000", ...MANY_STREAMS } });
  const key = readFileSync(join(fresh.dataDir, "tls", "key.pem"), "utf8");
  try {
    const a = await signUp(fresh);
    await new Promise((r) => setTimeout(r, 500));
    const metric = async (name: string) => {
      const text = (await call(`${fresh.url}/metrics`, fresh.caPem, "GET", "x")).body.toString();
      return Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1] ?? Number.NaN);
    };
    const heap0 = await metric("nodejs_heap_used_bytes");
    const base = rssOf(fresh.pid);
    const t = performance.now();
    const close = await openIdle(`${fresh.url}/api/v1/events`, N, a.token);
    const openS = (performance.now() - t) / 1000;
    await new Promise((r) => setTimeout(r, 1000));
    const after = rssOf(fresh.pid);
    const heap1 = await metric("nodejs_heap_used_bytes");
    const live = await metric("cryptex_live_connections");
    close();
    if (live < N) throw new Error(`only ${live} of ${N} live connections were open`);
    line(
      `${N} idle live-push (SSE) connections`,
      `server RSS ${mb(after)}, ${each(after - base)}`,
      `JS heap in use ${each(heap1 - heap0)}; opened in ${openS.toFixed(0)} s; target < 500 MB`,
    );
    for (const kind of ["tls", "https", "http"] as const) {
      const bare = await bareServer(kind, fresh.caPem, key);
      try {
        const b0 = rssOf(bare.pid);
        const closeBare = await openBare(kind, bare.port, N);
        await new Promise((r) => setTimeout(r, 1000));
        const b1 = rssOf(bare.pid);
        closeBare();
        const what = {
          tls: "bare node:tls sockets (handshake only)",
          https: "bare node:https SSE streams",
          http: "bare node:http SSE streams (no TLS)",
        };
        line(`  floor: ${N} ${what[kind]}`, each(b1 - b0), `ours is ${((after - base) / (b1 - b0)).toFixed(2)}× this`);
      } finally {
        bare.stop();
      }
    }
  } finally {
    await fresh.stop();
  }
}

/** RSS growth once the streams have been held idle: opening them in a burst grows V8's young generation,
 * which V8's memory reducer gives back some seconds after allocation stops (when exactly varies). RSS is
 * sampled every 2 s for 30 s and the lowest is kept; the figure 1 s after opening is printed too. */
async function settledGrowth(pid: number, base: number): Promise<number> {
  let low = rssOf(pid);
  for (let i = 0; i < 15; i++) {
    await new Promise((r) => setTimeout(r, 2000));
    low = Math.min(low, rssOf(pid));
  }
  return low - base;
}

/** The same N idle streams through nginx (deploy/nginx/cryptex.conf), which terminates TLS: what the Node process
 * still pays per stream when it speaks plain HTTP on a Unix socket. Target: ≤ 200 MB for 10,000, both 1 s after
 * opening them in a burst and once held idle. */
async function idleMemoryBehindNginx() {
  const N = Number(process.env.IDLE_CONNECTIONS ?? 10_000);
  const socketDir = mkdtempSync(join(tmpdir(), "cryptex-bench-sock-"));
  const socket = join(socketDir, "cryptex.sock");
  const port = await freePort();
  const srv = await startServer({
    nodeFlags,
    env: {
      ...MANY_STREAMS,
      LOG_LEVEL: "warn",
      RATE_LIMIT_SCALE: "100000",
      LISTEN: `unix:${socket}`,
      TRUST_PROXY: "true",
      PUBLIC_URL: `https://localhost:${port}`,
      METRICS_TOKEN: "bench-metrics-token-0123456789abcdef",
    },
  });
  const front = await startNginx([`unix:${socket}`], { port, connections: N + 100, workers: 2 });
  try {
    const a = await signUp({ ...front, outboxDir: srv.outboxDir });
    await new Promise((r) => setTimeout(r, 500));
    const base = rssOf(srv.pid);
    const close = await openIdle(`${front.url}/api/v1/events`, N, a.token);
    await new Promise((r) => setTimeout(r, 1000));
    const atOnce = rssOf(srv.pid) - base;
    const metrics = (await call(`${front.url}/metrics`, front.caPem, "GET", "bench-metrics-token-0123456789abcdef")).body.toString();
    const live = Number(/^cryptex_live_connections (\S+)$/m.exec(metrics)?.[1] ?? Number.NaN);
    if (!(live >= N)) throw new Error(`only ${live} of ${N} live connections reached the server through nginx`);
    const grown = await settledGrowth(srv.pid, base);
    close();
    const target = 200 * 1024 * 1024 * (N / 10_000);
    const each = (b: number) => `+${mb(b)} (${(b / N / 1024).toFixed(1)} KB each)`;
    const verdict = (b: number) => `target ≤ ${mb(target)}: ${b <= target ? "met" : "NOT met"}`;
    line(`${N} idle live-push streams through nginx (TLS in nginx)`, `node ${nodeFlags.join(" ") || "(Node's defaults)"}`, "");
    line("  1 s after opening them in a burst", `server ${each(atOnce)}`, verdict(atOnce));
    line("  the same streams held idle (settled)", `server ${each(grown)}`, verdict(grown));
  } finally {
    await front.stop();
    await srv.stop();
    rmSync(socketDir, { recursive: true, force: true });
  }
}

if (process.argv.includes("--idle-only")) {
  if (!process.argv.includes("--nginx-only")) await idleMemory();
  await idleMemoryBehindNginx();
} else await main();
