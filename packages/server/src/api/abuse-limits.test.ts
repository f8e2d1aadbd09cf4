// Abuse limits against the real server process with its real limits (RATE_LIMIT_SCALE=1): a flood from
// one address (127.0.0.2) cannot lock out a user on another (127.0.0.1), and unauthenticated routes refuse
// big bodies with 413 before reading them.
import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { request as httpsRequest } from "node:https";
import { after, before, describe, test } from "node:test";
import { b64u, signIn, signUp } from "../testing/accounts.ts";
import { request } from "../testing/https-client.ts";
import { type RunningServer, startServer } from "../testing/start-server.ts";

let srv: RunningServer;
/** The same server reached at 127.0.0.1, so a client socket can be bound to another loopback address. */
let direct: { url: string; caPem: string };
before(async () => {
  srv = await startServer({ env: { RATE_LIMIT_SCALE: "1" } });
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
  });
});

/** Sends the headers and only part of the body (never ending it); resolves with the answer. */
function sendPart(path: string, headers: Record<string, string>, part: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(`${direct.url}${path}`, {
      method: "POST",
      ca: srv.caPem,
      servername: "localhost",
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
    const items = [{ id: randomUUID(), baseRevision: 0, deleted: false, data: b64u(randomBytes(600 * 1024)) }];
    const r = await request("POST", `${srv.url}/api/v1/items`, { ca: srv.caPem, token: a.token, body: { items } });
    assert.equal(r.status, 200, r.text);
  });
});
