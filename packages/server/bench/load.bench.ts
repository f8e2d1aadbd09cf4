// Load test of a real deployment, bounded and on loopback only: two server processes on one PostgreSQL behind
// nginx (deploy/nginx/cryptex.conf), 1,000 accounts of 1,000 items each, then 200 concurrent clients doing
// delta syncs for 60 s (mostly empty pulls; one in ten pushes one item first). Prints throughput, latency
// percentiles, errors, and each server process's memory over the run: resident memory and JS heap in use, read
// every 5 s. "Flat" is judged from the middle of the run to its end: early in the run each process steps up once
// (V8 grows its young generation to suit the allocation rate, ~50 MB; the working set of a loaded process,
// ~50 MB more) and then stays level, where a leak keeps climbing (docs/performance.md).
// Sizes: LOAD_ACCOUNTS, LOAD_ITEMS, LOAD_CLIENTS, LOAD_SECONDS; LOAD_NODE_FLAGS (below).
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { Agent, request as httpsRequest } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SERVER_NODE_FLAGS } from "../src/node-flags.ts";
import { openPostgresStore } from "../src/store/postgres.ts";
import { signUp, type TestAccount } from "../src/testing/accounts.ts";
import { type RunningNginx, startNginx } from "../src/testing/nginx.ts";
import { startPostgres } from "../src/testing/postgres.ts";
import { startServer } from "../src/testing/start-server.ts";

const ACCOUNTS = Number(process.env.LOAD_ACCOUNTS ?? 1000);
const ITEMS = Number(process.env.LOAD_ITEMS ?? 1000);
const CLIENTS = Number(process.env.LOAD_CLIENTS ?? 200);
const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
/** A process's JS heap in use, from its own /metrics over its own socket (nginx would pick either process). */
const heapOf = (socketPath: string) =>
  new Promise<number>((resolve) => {
    const req = httpRequest({ socketPath, path: "/metrics", headers: { authorization: `Bearer ${METRICS_TOKEN}` } }, (res) => {
      let text = "";
      res.on("data", (c: Buffer) => {
        text += c;
      });
      res.on("end", () => resolve(Number(/^nodejs_heap_used_bytes (\S+)$/m.exec(text)?.[1] ?? Number.NaN)));
    });
    req.on("error", () => resolve(Number.NaN));
    req.end();
  });
const rssOf = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) * 1024;

const pg = await startPostgres();
const dir = mkdtempSync(join(tmpdir(), "cryptex-load-"));
const { freePort } = await import("../src/testing/free-port.ts");
const port = await freePort();
const METRICS_TOKEN = "load-bench-metrics-token-0123456789";
// The server processes run with the shipped Node flags (node-flags.ts); LOAD_NODE_FLAGS replaces them
// (space-separated; empty for Node's defaults), e.g. to weigh a young-generation cap against none.
const nodeFlags = process.env.LOAD_NODE_FLAGS === undefined ? SERVER_NODE_FLAGS : process.env.LOAD_NODE_FLAGS.split(/\s+/).filter(Boolean);
/** CPU time (user + system) a process has used so far, in ms (Linux clock ticks of 10 ms). */
const cpuMsOf = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
};
const env = {
  METRICS_TOKEN,
  LOG_LEVEL: "warn",
  RATE_LIMIT_SCALE: "1000000",
  PUBLIC_URL: `https://localhost:${port}`,
  TRUST_PROXY: "true",
};
const started = await Promise.allSettled(
  // one DATA_DIR for both: the outbox where either process writes the sign-up codes
  [0, 1].map((i) =>
    startServer({ nodeFlags, dataDir: join(dir, "data"), databaseUrl: pg.url, env: { ...env, LISTEN: `unix:${join(dir, `s${i}.sock`)}` } }),
  ),
);
const servers = started.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
let front: RunningNginx | undefined;

try {
  // a process that failed to start fails the run, after everything started so far is stopped (finally)
  for (const r of started) if (r.status === "rejected") throw r.reason;
  const proxy = await startNginx(
    [0, 1].map((i) => `unix:${join(dir, `s${i}.sock`)}`),
    { port, connections: CLIENTS * 2 + 100, workers: 2 },
  );
  front = proxy;
  // ---- set-up: accounts through the API (real sessions), items straight into the store (faster than HTTP) ----
  let t = performance.now();
  const accounts: TestAccount[] = [];
  for (let i = 0; i < ACCOUNTS; i += 50) {
    accounts.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(50, ACCOUNTS - i) }, () => signUp({ ...proxy, outboxDir: servers[0]!.outboxDir })),
      )),
    );
  }
  const signUpS = (performance.now() - t) / 1000;
  const store = await openPostgresStore(pg.url);
  const payload = () => randomBytes(300);
  for (let i = 0; i < accounts.length; i += 4) {
    await Promise.all(
      accounts.slice(i, i + 4).map((a) =>
        store.push(
          a.accountId,
          Array.from({ length: ITEMS }, () => ({ id: randomUUID(), baseRevision: 0, data: payload() })),
          "load",
        ),
      ),
    );
  }
  await store.close();
  console.log(
    `set-up: ${ACCOUNTS} accounts × ${ITEMS} items on PostgreSQL in ${((performance.now() - t) / 1000).toFixed(0)} s ` +
      `(sign-ups through nginx ${signUpS.toFixed(0)} s, items into the store ${((performance.now() - t) / 1000 - signUpS).toFixed(0)} s)`,
  );

  // ---- the run ----
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  const call = (method: string, path: string, token: string, body?: string) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const headers: Record<string, string> = { authorization: `Bearer ${token}` };
      if (body) Object.assign(headers, { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) });
      const req = httpsRequest(`${proxy.url}${path}`, { method, headers, ca: proxy.caPem, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
        res.on("error", reject);
      });
      req.on("error", reject);
      req.end(body);
    });
  // raw limit of the same deployment and clients: GET /healthz (no session, no database) through nginx
  const rawLat: number[] = [];
  const rawEnd = performance.now() + Math.min(15, SECONDS) * 1000;
  t = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < rawEnd) {
        const started = performance.now();
        await call("GET", "/healthz", "x").catch(() => undefined);
        rawLat.push(performance.now() - started);
      }
    }),
  );
  const rawRate = rawLat.length / ((performance.now() - t) / 1000);
  rawLat.sort((x, y) => x - y);
  const rawP99 = rawLat[Math.floor(rawLat.length * 0.99)] ?? Number.NaN;
  console.log(
    `raw limit: GET /healthz through the same nginx, ${CLIENTS} clients: ${rawRate.toFixed(0)} req/s, p99 ${rawP99.toFixed(1)} ms`,
  );

  const latencies: number[] = [];
  let errors = 0;
  let pushes = 0;
  const memory: number[][] = servers.map(() => []);
  const heap: number[][] = servers.map(() => []);
  const sampler = setInterval(() => {
    for (const [i, s] of servers.entries()) {
      memory[i]!.push(rssOf(s.pid));
      void heapOf(join(dir, `s${i}.sock`)).then((h) => heap[i]!.push(h));
    }
  }, 5000);
  const cpu0 = servers.map((s) => cpuMsOf(s.pid));
  const end = performance.now() + SECONDS * 1000;
  t = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      const a = accounts[c % accounts.length]!;
      let since = ITEMS;
      while (performance.now() < end) {
        const started = performance.now();
        try {
          if (Math.random() < 0.1) {
            const body = JSON.stringify({
              items: [{ id: randomUUID(), baseRevision: 0, data: payload().toString("base64url") }],
            });
            const r = await call("POST", "/api/v1/items", a.token, body);
            if (r.status !== 200) errors++;
            pushes++;
          }
          const r = await call("GET", `/api/v1/items?since=${since}`, a.token);
          if (r.status !== 200) errors++;
          else since = (JSON.parse(r.text) as { revision: number }).revision;
        } catch {
          errors++;
        }
        latencies.push(performance.now() - started);
      }
    }),
  );
  clearInterval(sampler);
  const seconds = (performance.now() - t) / 1000;
  // CPU per sync is less at the mercy of other jobs on the machine than syncs per second
  const cpuMs = servers.reduce((sum, s, i) => sum + cpuMsOf(s.pid) - cpu0[i]!, 0);
  latencies.sort((x, y) => x - y);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((latencies.length * p) / 100))]!.toFixed(1);
  console.log(
    `${CLIENTS} clients, ${seconds.toFixed(0)} s: ${(latencies.length / seconds).toFixed(0)} delta syncs/s (${pushes} with a push), ` +
      `latency p50 ${pct(50)} ms, p99 ${pct(99)} ms, max ${pct(100)} ms; errors ${errors} (target 0: ${errors === 0 ? "met" : "NOT met"})\n` +
      `  = ${((latencies.length / seconds / rawRate) * 100).toFixed(0)}% of the /healthz rate, p99 ${(Number(pct(99)) / rawP99).toFixed(1)}× its p99\n` +
      `  server CPU (both processes, node ${nodeFlags.join(" ") || "with Node's defaults"}): ${(cpuMs / latencies.length).toFixed(3)} ms per delta sync`,
  );
  const pctOf = (x: number) => `${x >= 0 ? "+" : ""}${(x * 100).toFixed(0)}%`;
  memory.forEach((xs, i) => {
    const mid = xs[Math.floor(xs.length / 2)] ?? 0;
    const last = xs.at(-1) ?? 0;
    const growth = (last - mid) / mid;
    const whole = (last - (xs[0] ?? 0)) / (xs[0] ?? 1);
    console.log(
      `server process ${i + 1}: RSS ${xs.map(mb).join(" → ")}\n  JS heap in use ${heap[i]!.map(mb).join(" → ")}\n` +
        `  whole run ${pctOf(whole)}; second half ${pctOf(growth)} (flat within 10 %: ${Math.abs(growth) <= 0.1 ? "met" : "NOT met"})`,
    );
  });
} finally {
  await front?.stop();
  await Promise.all(servers.map((s) => s.stop()));
  await pg.stop();
  rmSync(dir, { recursive: true, force: true });
}
