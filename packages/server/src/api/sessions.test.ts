// Session life: "sign out every other device" over the real server (SQLite), and the absolute lifetime that
// use cannot stretch (authenticate over a real SQLite store, with a test clock).
import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { after, before, describe, test } from "node:test";
import { authenticate } from "../auth/authenticate.ts";
import { b64u, hashToken } from "../auth/tokens.ts";
import { parseConfig } from "../config.ts";
import { openSqliteStore } from "../store/sqlite.ts";
import { sampleAccount } from "../store/store-contract.ts";
import { signIn, signUp } from "../testing/accounts.ts";
import { request } from "../testing/https-client.ts";
import { openEvents } from "../testing/sse.ts";
import { type RunningServer, startServer } from "../testing/start-server.ts";

let srv: RunningServer;
before(async () => {
  srv = await startServer();
});
after(() => srv?.stop());

const api = (method: string, path: string, token?: string) => request(method, `${srv.url}/api/v1${path}`, { ca: srv.caPem, token });

describe("ending the other sessions", () => {
  test("DELETE /sessions signs out every other device of the account, closes their streams, keeps this one", async () => {
    const a = await signUp(srv, { deviceName: "laptop" });
    const phone = await signIn(srv, a, "phone");
    const tablet = await signIn(srv, a, "tablet");
    const stranger = await signUp(srv);
    const live = await openEvents(srv, phone.token);
    const r = await api("DELETE", "/sessions", a.token);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json, { ended: 2 });
    await live.waitClosed();
    for (const t of [phone.token, tablet.token]) assert.equal((await api("GET", "/account", t)).status, 401);
    assert.equal((await api("GET", "/account", a.token)).status, 200, "this session stays");
    assert.equal((await api("GET", "/account", stranger.token)).status, 200, "other accounts are untouched");
    const list = await api("GET", "/sessions", a.token);
    assert.deepEqual(
      list.json.sessions.map((s: { deviceName: string }) => s.deviceName),
      ["laptop"],
    );
    assert.deepEqual((await api("DELETE", "/sessions", a.token)).json, { ended: 0 });
    assert.equal((await api("DELETE", "/sessions")).status, 401);
  });
});

describe("session lifetime", () => {
  test("use slides the idle expiry, but never past the absolute lifetime from sign-in", async () => {
    const DAY = 24 * 3600 * 1000;
    const parsed = parseConfig({ SESSION_IDLE_DAYS: "30", SESSION_MAX_DAYS: "90" });
    assert.ok(parsed.ok);
    const store = openSqliteStore(":memory:");
    try {
      const t0 = 1_700_000_000_000;
      const a = sampleAccount();
      const token = b64u(randomBytes(32));
      const session = { id: randomUUID(), accountId: a.id, deviceName: "laptop", createdAt: t0, lastSeenAt: t0, expiresAt: t0 + 30 * DAY };
      await store.createAccount(a, session, hashToken(token));
      let now = t0;
      const deps = { store, config: parsed.config, now: () => now };
      const req = { headers: { authorization: `Bearer ${token}` } } as IncomingMessage;
      // used every 20 days: each use moves the idle expiry on …
      for (const day of [20, 40, 60, 80]) {
        now = t0 + day * DAY;
        const s = await authenticate(deps, req);
        assert.equal(s.expiresAt, Math.min(now + 30 * DAY, t0 + 90 * DAY), `day ${day}`);
      }
      // … until the absolute lifetime ends it, however active it is
      now = t0 + 90 * DAY - 1;
      await authenticate(deps, req);
      now = t0 + 90 * DAY;
      await assert.rejects(authenticate(deps, req), { code: "unauthorized" });
    } finally {
      await store.close();
    }
  });

  test("idle sessions end after the idle time", async () => {
    const parsed = parseConfig({ SESSION_IDLE_DAYS: "1", SESSION_MAX_DAYS: "90" });
    assert.ok(parsed.ok);
    const store = openSqliteStore(":memory:");
    try {
      const t0 = 1_700_000_000_000;
      const a = sampleAccount();
      const token = b64u(randomBytes(32));
      const s = { id: randomUUID(), accountId: a.id, deviceName: "x", createdAt: t0, lastSeenAt: t0, expiresAt: t0 + 24 * 3600 * 1000 };
      await store.createAccount(a, s, hashToken(token));
      const req = { headers: { authorization: `Bearer ${token}` } } as IncomingMessage;
      await assert.rejects(authenticate({ store, config: parsed.config, now: () => t0 + 24 * 3600 * 1000 }, req), {
        code: "unauthorized",
      });
    } finally {
      await store.close();
    }
  });
});
