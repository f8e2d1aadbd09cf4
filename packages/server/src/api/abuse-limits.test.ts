// Abuse limits against the real server process with its real limits (RATE_LIMIT_SCALE=1): a flood from
// one address (127.0.0.2) cannot lock out a user on another (127.0.0.1); unauthenticated routes refuse big
// bodies with 413 before reading them; the storage quota; live stream caps per account and per address.
import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { request as httpsRequest } from "node:https";
import { after, before, describe, test } from "node:test";
import { b64u, signIn, signUp } from "../testing/accounts.ts";
import { request } from "../testing/https-client.ts";
import { openEvents } from "../testing/sse.ts";
import { type RunningServer, startServer } from "../testing/start-server.ts";

let srv: RunningServer;
/** The same server reached at 127.0.0.1, so a client socket can be bound to another loopback address. */
let direct: { url: string; caPem: string };
before(async () => {
  srv = await startServer({
    env: { RATE_LIMIT_SCALE: "1", ACCOUNT_QUOTA: "1MiB", LIVE_STREAMS_PER_ACCOUNT: "3", LIVE_STREAMS_PER_ADDRESS: "5" },
  });
  direct = { url: `https://127.0.0.1:${srv.port}`, caPem: srv.caPem };
});
after(() => srv?.stop());

const FLOODER = "127.0.0.2";

describe("no lock-out", () => {
  test("a flood from 127.0.0.2 against one account does not stop its owner signing in from 127.0.0.1", async () => {
    const victim = await signUp(srv); // from localhost: 127.0.0.1 or ::1
    const statuses = { challenge: [] as number[], signin: [] as number[] };
    for (let i = 0; i < 25; i++) {
      const c = await request("POST", `${direct.url}/api/v1/auth/challenge`, {
        ca: srv.caPem,
        localAddress: FLOODER,
        body: { email: victim.email },
      });
      statuses.challenge.push(c.status);
      const s = await request("POST", `${direct.url}/api/v1/auth/signin`, {
        ca: srv.caPem,
        localAddress: FLOODER,
        body: { accountId: victim.accountId, challenge: b64u(randomBytes(32)), signature: b64u(randomBytes(64)), deviceName: "x" },
      });
      statuses.signin.push(s.status);
    }
    // the flooder itself is held back, per address and identifier …
    assert.ok(statuses.challenge.includes(429), `challenge flood never limited: ${statuses.challenge}`);
    assert.ok(statuses.signin.includes(429), `sign-in flood never limited: ${statuses.signin}`);
    assert.ok(statuses.signin.every((s) => s === 401 || s === 429));
    // … while the owner, on another address, signs in at once
    const started = Date.now();
    const t = await signIn(srv, victim, "owner's phone");
    assert.match(t.token, /^[A-Za-z0-9_-]{43}$/);
    assert.ok(Date.now() - started < 5000);
    const still = await request("POST", `${direct.url}/api/v1/auth/challenge`, {
      ca: srv.caPem,
      localAddress: FLOODER,
      body: { email: victim.email },
    });
    assert.equal(still.status, 429, "the flooder is still limited");
    assert.match(String(still.headers["retry-after"]), /^\d+$/);
    // the log traces the flood to its address, without the e-mail or any token
    const lines = srv
      .logs()
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.ok(lines.some((l) => l.msg === "request" && String(l.client).endsWith("127.0.0.2") && l.status === 429));
    assert.ok(!srv.logs().includes(victim.email) && !srv.logs().includes(t.token) && !srv.logs().includes(victim.token));
  });
});

describe("global ceiling", () => {
  test("past the ceiling on unauthenticated calls, calls wait their turn instead of being refused", async () => {
    // 30 calls a minute for everybody together: a burst of 30, then one turn every 2 s
    const tight = await startServer({ env: { RATE_LIMIT_SCALE: "1", AUTH_CEILING_PER_MINUTE: "30" } });
    try {
      const started = Date.now();
      const took: number[] = [];
      const timed = async (p: Promise<{ status: number }>) => {
        const r = await p;
        took.push(Date.now() - started);
        return r.status;
      };
      const challenges = Array.from({ length: 20 }, (_, i) =>
        timed(request("POST", `${tight.url}/api/v1/auth/challenge`, { ca: tight.caPem, body: { email: `u${i}@example.org` } })),
      );
      const signins = Array.from({ length: 14 }, () =>
        timed(
          request("POST", `${tight.url}/api/v1/auth/signin`, {
            ca: tight.caPem,
            body: { accountId: randomUUID(), challenge: b64u(randomBytes(32)), signature: b64u(randomBytes(64)), deviceName: "x" },
          }),
        ),
      );
      const statuses = await Promise.all([...challenges, ...signins]);
      assert.deepEqual(
        statuses.filter((s) => s !== 200 && s !== 401),
        [],
        "nothing refused",
      );
      // 34 calls against a burst of 30: the last few waited for turns (the burst refills by one every 2 s
      // while the calls arrive, so a slow machine may see fewer than 4 wait)
      const m = await request("GET", `${tight.url}/metrics`, { ca: tight.caPem });
      const delayed = Number(/cryptex_auth_delayed_total (\d+)/.exec(m.text)?.[1] ?? 0);
      assert.ok(delayed >= 1 && delayed <= 4, `delayed: ${delayed}`);
      assert.ok(Math.max(...took) >= 1500, `the last call waited its turn (${Math.max(...took)} ms)`);
    } finally {
      await tight.stop();
    }
  });
});

/** Sends the headers and only part of the body (never ending it); resolves with the answer. */
function sendPart(path: string, headers: Record<string, string>, part: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(`${direct.url}${path}`, {
      method: "POST",
      ca: srv.caPem,
      headers: { "content-type": "application/json", ...headers },
      timeout: 10_000,
    });
    req.on("response", (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => {
        body += c;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      res.on("error", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("timeout", () => req.destroy(new Error(`no answer before the body was sent: ${path}`)));
    req.on("error", reject);
    req.write(part); // and never the rest
  });
}

describe("small bodies before sign-in", () => {
  for (const path of ["/api/v1/accounts", "/api/v1/auth/challenge", "/api/v1/auth/signin"]) {
    test(`${path}: a declared 24 MiB body is answered 413 without being read`, async () => {
      const r = await sendPart(path, { "content-length": String(24 * 1024 * 1024) }, `{"email":"${"a".repeat(1000)}`);
      assert.equal(r.status, 413);
      assert.equal(JSON.parse(r.body).code, "too_large");
    });
  }

  test("a chunked body past 16 KiB is refused with 413 too", async () => {
    const r = await sendPart("/api/v1/auth/signin", { "transfer-encoding": "chunked" }, `{"deviceName":"${"a".repeat(17 * 1024)}`);
    assert.equal(r.status, 413);
    assert.equal(JSON.parse(r.body).code, "too_large");
  });

  test("signed-in routes keep their large limit", async () => {
    const a = await signUp(srv);
    const items = [{ id: randomUUID(), baseRevision: 0, data: b64u(randomBytes(600 * 1024)) }];
    const r = await request("POST", `${srv.url}/api/v1/items`, { ca: srv.caPem, token: a.token, body: { items } });
    assert.equal(r.status, 200, r.text);
  });
});

describe("storage quota", () => {
  const push = (token: string, items: unknown[]) => request("POST", `${srv.url}/api/v1/items`, { ca: srv.caPem, token, body: { items } });
  const blob = (n: number) => b64u(randomBytes(n));

  test("a push past the account's quota is refused 413 quota_exceeded, nothing applied; deleting makes room", async () => {
    const a = await signUp(srv);
    const big = Array.from({ length: 3 }, () => ({ id: randomUUID(), baseRevision: 0, data: blob(300 * 1024) }));
    const first = await push(a.token, big);
    assert.equal(first.status, 200, first.text);
    const over = await push(a.token, [{ id: randomUUID(), baseRevision: 0, data: blob(200 * 1024) }]);
    assert.equal(over.status, 413);
    assert.equal(over.json.code, "quota_exceeded");
    assert.match(over.json.message, /quota of 1\.0 MiB is full \(900 KiB in use\)/);
    const pulled = await request("GET", `${srv.url}/api/v1/items?since=0`, { ca: srv.caPem, token: a.token });
    assert.equal(pulled.json.revision, 3, "nothing of the refused push was stored");
    const manifest = await request("PUT", `${srv.url}/api/v1/manifests/${randomUUID()}`, {
      ca: srv.caPem,
      token: a.token,
      body: { data: blob(200 * 1024) },
    });
    assert.equal(manifest.status, 413);
    assert.equal(manifest.json.code, "quota_exceeded");
    // a tombstone frees its bytes; the same push then fits
    assert.equal((await push(a.token, [{ id: big[0]!.id, baseRevision: 1, data: blob(16) }])).status, 200);
    assert.equal((await push(a.token, [{ id: randomUUID(), baseRevision: 0, data: blob(200 * 1024) }])).status, 200);
    // another account has its own quota
    const b = await signUp(srv);
    assert.equal((await push(b.token, [{ id: randomUUID(), baseRevision: 0, data: blob(500 * 1024) }])).status, 200);
  });
});

describe("live stream caps", () => {
  test("an account opens at most LIVE_STREAMS_PER_ACCOUNT streams, an address at most LIVE_STREAMS_PER_ADDRESS", async () => {
    const a = await signUp(srv);
    const streams = [];
    for (let i = 0; i < 3; i++) {
      const s = await openEvents(srv, a.token);
      assert.equal(s.status, 200);
      streams.push(s);
    }
    const fourth = await request("GET", `${srv.url}/api/v1/events`, { ca: srv.caPem, token: a.token });
    assert.equal(fourth.status, 429);
    assert.equal(fourth.json.code, "rate_limited");
    assert.match(fourth.json.message, /live streams/);
    // closing one makes room again
    streams.pop()!.close();
    await waitUntil(async () => {
      const s = await openEvents(srv, a.token);
      if (s.status === 200) streams.push(s);
      else s.close();
      return s.status === 200;
    });
    // the same address with other accounts reaches the per-address cap (5) …
    const b = await signUp(srv);
    for (let i = 0; i < 2; i++) {
      const s = await openEvents(srv, b.token);
      assert.equal(s.status, 200);
      streams.push(s);
    }
    const c = await signUp(srv);
    const sixth = await request("GET", `${srv.url}/api/v1/events`, { ca: srv.caPem, token: c.token });
    assert.equal(sixth.status, 429);
    assert.match(sixth.json.message, /this address/);
    for (const s of streams) s.close();
  });
});

async function waitUntil(ok: () => Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}
