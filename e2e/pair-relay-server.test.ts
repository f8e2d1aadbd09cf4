// The pairing relay as deployed: two server processes on one PostgreSQL share channels through LISTEN/NOTIFY
// (one claim wins across both); one process with real rate limits refuses a flood and stays small.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, test } from "node:test";
import { request } from "../packages/server/src/testing/https-client.ts";
import { type RunningPostgres, startPostgres } from "../packages/server/src/testing/postgres.ts";
import { type RunningServer, startServer } from "../packages/server/src/testing/start-server.ts";

let pg: RunningPostgres;
let one: RunningServer;
let two: RunningServer;
let strict: RunningServer;
before(async () => {
  pg = await startPostgres();
  [one, two, strict] = await Promise.all([
    startServer({ databaseUrl: pg.url }),
    startServer({ databaseUrl: pg.url }),
    startServer({ env: { RATE_LIMIT_SCALE: "1" } }),
  ]);
});
after(async () => {
  await Promise.all([one?.stop(), two?.stop(), strict?.stop()]);
  await pg?.stop();
});

const channel = () => randomBytes(16).toString("base64url");
const call = (srv: RunningServer, method: string, path: string, body?: unknown) =>
  request(method, `${srv.url}/api/v1/pair/${path}`, { ca: srv.caPem, ...(body !== undefined ? { body } : {}) });

test("two processes on PostgreSQL: a channel opened on one is claimed once across both, messages cross", async () => {
  const c = channel();
  assert.equal((await call(one, "POST", c)).status, 201);
  assert.equal((await call(two, "POST", c)).status, 409);
  const claims = await Promise.all(Array.from({ length: 6 }, (_, i) => call(i % 2 ? one : two, "POST", `${c}/claim`)));
  assert.deepEqual(claims.map((r) => r.status).sort(), [200, 409, 409, 409, 409, 409]);
  const waiting = call(one, "GET", `${c}/b/0`);
  await new Promise((r) => setTimeout(r, 200));
  assert.equal((await call(two, "PUT", `${c}/b/0`, { body: "aGVsbG8" })).status, 201);
  const got = await waiting;
  assert.equal(got.status, 200);
  assert.deepEqual(got.json, { body: "aGVsbG8" });
  assert.equal((await call(one, "PUT", `${c}/b/0`, { body: "b3RoZXI" })).status, 409); // write-once, across processes
});

test("hostile input: malformed channel ids and slots are 400, big messages 413, unknown channels 404", async () => {
  const c = channel();
  assert.equal((await call(strict, "POST", "short")).status, 400);
  assert.equal((await call(strict, "GET", `${c}/c/0`)).status, 400);
  assert.equal((await call(strict, "GET", `${c}/a/9`)).status, 400);
  assert.equal((await call(strict, "GET", `${c}/a/0`)).status, 404);
  assert.equal((await call(strict, "POST", `${c}/claim`)).status, 404);
  assert.equal((await call(strict, "POST", c)).status, 201);
  assert.equal((await call(strict, "POST", `${c}/claim`)).status, 200);
  assert.equal((await call(strict, "PUT", `${c}/a/0`, { body: randomBytes(4097).toString("base64url") })).status, 400);
  assert.equal((await call(strict, "PUT", `${c}/a/0`, { body: randomBytes(7000).toString("base64url") })).status, 413);
  assert.equal((await call(strict, "PUT", `${c}/a/0`, { body: randomBytes(4096).toString("base64url") })).status, 201);
  assert.equal((await call(strict, "PUT", `${c}/a/0`, { body: "not base64!" })).status, 400);
});

test("a flood of pairing requests from one address: rate-limited, and the relay holds no more channels", async () => {
  const statuses: number[] = [];
  for (let i = 0; i < 40; i++) statuses.push((await call(strict, "POST", channel())).status);
  const created = statuses.filter((s) => s === 201).length;
  assert.ok(created <= 10, `${created} channels opened`);
  assert.ok(statuses.filter((s) => s === 429).length >= 29);
  const metrics = await request("GET", `${strict.url}/metrics`, { ca: strict.caPem });
  const held = Number(/^cryptex_pair_channels (\d+)$/m.exec(metrics.text)?.[1]);
  assert.ok(held <= 11, `relay holds ${held} channels`);
});
