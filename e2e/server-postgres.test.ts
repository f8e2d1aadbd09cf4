// Two server processes sharing one PostgreSQL: sign-up on one, sign-in on the other; a push on one is
// announced on the other's live channel (LISTEN/NOTIFY); a revoke on one closes the stream on the other.
// Then the pg_dump of the whole database is scanned for tokens, the EAK text and item payload markers.
import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { after, before, test } from "node:test";
import { b64u, signIn, signUp } from "../packages/server/src/testing/accounts.ts";
import { request } from "../packages/server/src/testing/https-client.ts";
import { type RunningPostgres, startPostgres } from "../packages/server/src/testing/postgres.ts";
import { openEvents } from "../packages/server/src/testing/sse.ts";
import { type RunningServer, startServer } from "../packages/server/src/testing/start-server.ts";

let pg: RunningPostgres;
let one: RunningServer;
let two: RunningServer;
before(async () => {
  pg = await startPostgres();
  [one, two] = await Promise.all([startServer({ databaseUrl: pg.url }), startServer({ databaseUrl: pg.url })]);
});
after(async () => {
  await Promise.all([one?.stop(), two?.stop()]);
  await pg?.stop();
});

test("a push on one server process is announced on the other's live channel; revocation crosses too", async () => {
  // (each test process has its own port, so its own origin; a real deployment gives all one PUBLIC_URL)
  const a = await signUp(one);
  const twoSession = await signIn(two, a, "second-process");
  const live = await openEvents(two, twoSession.token);
  const marker = randomBytes(48);
  const push = await request("POST", `${one.url}/api/v1/items`, {
    ca: one.caPem,
    token: a.token,
    body: { items: [{ id: randomUUID(), baseRevision: 0, data: b64u(marker) }] },
  });
  assert.equal(push.status, 200, push.text);
  assert.deepEqual((await live.waitFor((e) => e.event === "revision")).data, { revision: 1 });
  const pulled = await request("GET", `${two.url}/api/v1/items?since=0`, { ca: two.caPem, token: twoSession.token });
  assert.equal(pulled.json.items[0].data, b64u(marker));
  assert.equal(
    (await request("DELETE", `${one.url}/api/v1/sessions/${twoSession.sessionId}`, { ca: one.caPem, token: a.token })).status,
    204,
  );
  await live.waitClosed();
  assert.equal((await request("GET", `${two.url}/api/v1/account`, { ca: two.caPem, token: twoSession.token })).status, 401);

  // concurrent pushes through both processes never share a revision
  const pushes = await Promise.all(
    Array.from({ length: 20 }, (_, i) => {
      const srv = i % 2 ? one : two;
      return request("POST", `${srv.url}/api/v1/items`, {
        ca: srv.caPem,
        token: a.token,
        body: { items: [{ id: randomUUID(), baseRevision: 0, data: "AA" }] },
      });
    }),
  );
  const revs = pushes.map((r) => r.json.revision as number).sort((x, y) => x - y);
  assert.deepEqual(
    revs,
    Array.from({ length: 20 }, (_, i) => i + 2),
    "consecutive, none shared",
  );

  const dump = await pg.dump();
  assert.ok(dump.includes(a.accountId), "the dump is of the right database");
  for (const [name, secret] of [
    ["token", a.token],
    ["token", twoSession.token],
    ["eak text", a.eakText],
  ] as const) {
    assert.ok(!dump.includes(secret), `${name} is in the database`);
  }
  for (const s of [one, two]) {
    const logs = s.logs();
    for (const secret of [a.token, twoSession.token, a.eakText, b64u(marker), marker.toString("hex")])
      assert.ok(!logs.includes(secret), "a secret or payload is in the logs");
  }
});
