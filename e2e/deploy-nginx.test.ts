// The deployment of deploy/nginx/cryptex.conf, for real: Debian's nginx terminates TLS on 127.0.0.1 and spreads
// requests round-robin over two server processes on one PostgreSQL — one on plain HTTP on a loopback port, one on
// a Unix socket. Sign-up, sign-in, sync and live push work through it across processes; rate limits count each
// client (by the X-Forwarded-For nginx adds), and a forged X-Forwarded-For sent around nginx is not believed.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { b64u, signIn, signUp } from "../packages/server/src/testing/accounts.ts";
import { freePort } from "../packages/server/src/testing/free-port.ts";
import { request } from "../packages/server/src/testing/https-client.ts";
import { type RunningNginx, startNginx } from "../packages/server/src/testing/nginx.ts";
import { type RunningPostgres, startPostgres } from "../packages/server/src/testing/postgres.ts";
import { openEvents } from "../packages/server/src/testing/sse.ts";
import { type RunningServer, startServer } from "../packages/server/src/testing/start-server.ts";

let pg: RunningPostgres;
let tcp: RunningServer;
let sock: RunningServer;
let front: RunningNginx & { outboxDir: string };
const dir = mkdtempSync(join(tmpdir(), "cryptex-deploy-"));

before(async () => {
  pg = await startPostgres();
  const port = await freePort();
  const socket = join(dir, "cryptex.sock");
  const common = { PUBLIC_URL: `https://localhost:${port}`, RATE_LIMIT_SCALE: "1" };
  // one DATA_DIR for both (its outbox is where either process writes the sign-up mail), as on one host
  const dataDir = join(dir, "data");
  [tcp, sock] = await Promise.all([
    startServer({ dataDir, databaseUrl: pg.url, env: { ...common, TLS: "off", HOST: "127.0.0.1", TRUST_PROXY: "127.0.0.1" } }),
    startServer({ dataDir, databaseUrl: pg.url, env: { ...common, LISTEN: `unix:${socket}`, TRUST_PROXY: "true" } }),
  ]);
  const nginx = await startNginx([tcp.url.slice("http://".length), `unix:${socket}`], { port });
  front = { ...nginx, outboxDir: tcp.outboxDir };
});

after(async () => {
  await front?.stop();
  await Promise.all([tcp?.stop(), sock?.stop()]);
  await pg?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const requestsServed = (s: RunningServer) => (s.logs().match(/"route":"\/api\/v1\//g) ?? []).length;

test("through nginx: sign-up, sign-in, sync and live push across the two processes", async () => {
  const a = await signUp(front);
  const phone = await signIn(front, a, "phone");
  const live = await openEvents(front, phone.token);
  const ids: string[] = [];
  for (let i = 1; i <= 6; i++) {
    const id = randomUUID();
    ids.push(id);
    const push = await request("POST", `${front.url}/api/v1/items`, {
      ca: front.caPem,
      token: a.token,
      body: { items: [{ id, baseRevision: 0, data: b64u(new Uint8Array([i, i, i])) }] },
    });
    assert.equal(push.status, 200, push.text);
    // every push is announced, whichever process took it and whichever holds the stream
    assert.deepEqual((await live.waitFor((e) => e.event === "revision" && (e.data as { revision: number }).revision === i)).data, {
      revision: i,
    });
  }
  const pulled = await request("GET", `${front.url}/api/v1/items?since=0`, { ca: front.caPem, token: phone.token });
  assert.deepEqual(
    pulled.json.items.map((x: { id: string }) => x.id),
    ids,
  );
  live.close();
  assert.ok(requestsServed(tcp) > 0 && requestsServed(sock) > 0, "nginx used both processes");
});

test("rate limits count each client behind nginx; a forged X-Forwarded-For around nginx is not believed", async () => {
  const challenge = (from: string) =>
    request("POST", `${front.url}/api/v1/auth/challenge`, {
      ca: front.caPem,
      localAddress: from,
      body: { email: `${randomUUID()}@example.org` },
    });
  // 127.0.0.3 floods through nginx until both processes (each counts on its own) refuse it
  const statuses: number[] = [];
  for (let i = 0; i < 70; i++) statuses.push((await challenge("127.0.0.3")).status);
  assert.equal(statuses[0], 200);
  assert.deepEqual(statuses.slice(-4), [429, 429, 429, 429], statuses.join(","));
  // another client through the same nginx is not affected: the servers saw nginx's X-Forwarded-For
  assert.equal((await challenge("127.0.0.4")).status, 200);
  // around nginx, from 127.0.0.2 and claiming to be the flooded 127.0.0.3: the claim is ignored
  assert.equal(await plainChallenge(tcp.url, "127.0.0.2", "127.0.0.3"), 200);
});

/** A POST to the plain-HTTP process directly (not through nginx), with an optional forged X-Forwarded-For. */
async function plainChallenge(base: string, from: string, forged?: string): Promise<number> {
  const { request: httpRequest } = await import("node:http");
  const body = JSON.stringify({ email: `${randomUUID()}@example.org` });
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${base}/api/v1/auth/challenge`,
      {
        method: "POST",
        localAddress: from,
        headers: {
          "content-type": "application/json",
          "content-length": String(body.length),
          ...(forged ? { "x-forwarded-for": forged } : {}),
        },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}
