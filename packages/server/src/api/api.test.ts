// The HTTP API against the real server process (SQLite): every endpoint of docs/api.md, signed actions,
// sessions, conflicts, bad input (typed 4xx, nothing stored), no account enumeration, headers.
import assert from "node:assert/strict";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { parse } from "@cryptex/core/schema/shape.ts";
import { errorAnswer } from "@cryptex/core/wire/api.ts";
import { authMessage, changePasswordPayload, resetPayload } from "@cryptex/core/wire/auth-message.ts";
import { ed25519 } from "@noble/curves/ed25519.js";
import { actionChallenge, b64u, kitOf, newKeyPair, randomEakText, signIn, signUp, type TestAccount } from "../testing/accounts.ts";
import { request } from "../testing/https-client.ts";
import { openEvents } from "../testing/sse.ts";
import { type RunningServer, startServer } from "../testing/start-server.ts";

let srv: RunningServer;
before(async () => {
  srv = await startServer();
});
after(() => srv?.stop());

const api = (method: string, path: string, opts: Parameters<typeof request>[2] = {}) =>
  request(method, `${srv.url}/api/v1${path}`, { ca: srv.caPem, ...opts });
const item = (data = b64u(randomBytes(40))) => ({ id: randomUUID(), baseRevision: 0, data });

function assertError(r: { status: number; json: unknown }, status: number, code: string) {
  assert.equal(r.status, status, JSON.stringify(r.json));
  assert.equal(parse(errorAnswer, r.json).code, code);
}

describe("sign-in", () => {
  test("unknown e-mails get the same answer shape with a stable fake account id, and fail like a bad signature", async () => {
    const a = await signUp(srv);
    const real = await api("POST", "/auth/challenge", { body: { email: a.email } });
    const fake1 = await api("POST", "/auth/challenge", { body: { email: "nobody@example.org" } });
    const fake2 = await api("POST", "/auth/challenge", { body: { email: "NOBODY@example.org" } });
    assert.equal(real.json.accountId, a.accountId);
    assert.deepEqual(Object.keys(fake1.json).sort(), Object.keys(real.json).sort());
    assert.equal(fake1.json.accountId, fake2.json.accountId, "stable");
    const fingerprint = (text: string) => createHash("sha256").update(text).digest().subarray(0, 16).toString("base64url");
    assert.equal(real.json.kit, fingerprint(a.eakText), "the current kit's fingerprint");
    assert.equal(fake1.json.kit, fake2.json.kit, "a stable fake kit for an unknown e-mail");
    assert.match(fake1.json.kit, /^[A-Za-z0-9_-]{22}$/);
    assert.match(fake1.json.accountId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const other = newKeyPair();
    const signWith = (sk: Uint8Array, ch: { accountId: string; challenge: string; origin: string }) =>
      b64u(ed25519.sign(authMessage("signin", ch.origin, ch.accountId, Buffer.from(ch.challenge, "base64url")), sk));
    const unknown = await api("POST", "/auth/signin", {
      body: {
        accountId: fake1.json.accountId,
        challenge: fake1.json.challenge,
        signature: signWith(other.secretKey, fake1.json),
        deviceName: "x",
      },
    });
    const badSig = await api("POST", "/auth/signin", {
      body: { accountId: a.accountId, challenge: real.json.challenge, signature: signWith(other.secretKey, real.json), deviceName: "x" },
    });
    assert.equal(unknown.status, 401);
    assert.deepEqual(unknown.json, badSig.json, "same status, code and message");
  });

  test("a challenge is single-use, bound to its account and origin", async () => {
    const a = await signUp(srv);
    const c = await api("POST", "/auth/challenge", { body: { email: a.email } });
    const sig = b64u(a.sign(authMessage("signin", c.json.origin, a.accountId, Buffer.from(c.json.challenge, "base64url"))));
    const body = { accountId: a.accountId, challenge: c.json.challenge, signature: sig, deviceName: "phone" };
    assert.equal((await api("POST", "/auth/signin", { body })).status, 200);
    assertError(await api("POST", "/auth/signin", { body }), 401, "unauthorized"); // replayed nonce
    const c2 = await api("POST", "/auth/challenge", { body: { email: a.email } });
    const elsewhere = b64u(a.sign(authMessage("signin", "https://evil.example", a.accountId, Buffer.from(c2.json.challenge, "base64url"))));
    assertError(
      await api("POST", "/auth/signin", { body: { ...body, challenge: c2.json.challenge, signature: elsewhere } }),
      401,
      "unauthorized",
    );
  });
});

describe("sessions", () => {
  test("list, revoke (401 at once, live stream closed), sign out", async () => {
    const a = await signUp(srv, { deviceName: "laptop" });
    const phone = await signIn(srv, a, "phone");
    const list = await api("GET", "/sessions", { token: a.token });
    assert.deepEqual(
      list.json.sessions.map((s: { deviceName: string; current: boolean }) => [s.deviceName, s.current]),
      [
        ["laptop", true],
        ["phone", false],
      ],
    );
    const live = await openEvents(srv, phone.token);
    assert.equal(live.status, 200);
    assert.equal((await api("DELETE", `/sessions/${phone.sessionId}`, { token: a.token })).status, 204);
    await live.waitClosed();
    assertError(await api("GET", "/account", { token: phone.token }), 401, "unauthorized");
    assertError(await api("DELETE", `/sessions/${phone.sessionId}`, { token: a.token }), 404, "not_found");
    const other = await signUp(srv);
    assertError(await api("DELETE", `/sessions/${a.sessionId}`, { token: other.token }), 404, "not_found");
    assertError(await api("DELETE", "/sessions/not-a-uuid", { token: a.token }), 400, "bad_request");
    assert.equal((await api("POST", "/auth/signout", { token: a.token })).status, 204);
    assertError(await api("GET", "/account", { token: a.token }), 401, "unauthorized");
  });

  test("missing, malformed and unknown tokens are 401", async () => {
    assertError(await api("GET", "/account"), 401, "unauthorized");
    assertError(await api("GET", "/account", { headers: { authorization: "Basic abc" } }), 401, "unauthorized");
    assertError(await api("GET", "/items", { token: b64u(randomBytes(32)) }), 401, "unauthorized");
  });
});

describe("delta sync", () => {
  test("pull pages, push conflicts with the current version, revision from the future", async () => {
    const a = await signUp(srv);
    const phone = await signIn(srv, a);
    const items = Array.from({ length: 5 }, () => item());
    const p = await api("POST", "/items", { token: a.token, body: { items } });
    assert.equal(p.json.revision, 5);
    const page1 = await api("GET", "/items?since=0&limit=2", { token: phone.token });
    assert.deepEqual([page1.json.items.length, page1.json.more, page1.json.next, page1.json.revision], [2, true, 2, 5]);
    const page3 = await api("GET", "/items?since=4&limit=2", { token: phone.token });
    assert.deepEqual([page3.json.items.length, page3.json.more, page3.json.next], [1, false, 5]);
    // the phone edits item 0, then the laptop edits it from the old base: conflict, nothing applied
    const edit = await api("POST", "/items", { token: phone.token, body: { items: [{ ...items[0], baseRevision: 1, data: "cGhvbmU" }] } });
    assert.equal(edit.json.items[0].revision, 6);
    const fresh = item();
    const stale = await api("POST", "/items", {
      token: a.token,
      body: { items: [fresh, { ...items[0], baseRevision: 1, data: "bGFwdG9w" }] },
    });
    assert.equal(stale.status, 409);
    assert.deepEqual(stale.json.conflicts, [{ id: items[0]!.id, revision: 6, data: "cGhvbmU" }]);
    assert.equal(stale.json.code, "conflict");
    const after = await api("GET", "/items?since=6", { token: a.token });
    assert.deepEqual(after.json.items, [], "the fresh item of the rejected batch was not stored");
    // the server has no delete of its own: a `deleted` flag is not part of the wire, a data-less write neither
    for (const bad of [
      { id: items[1]!.id, baseRevision: 2, deleted: true },
      { id: items[1]!.id, baseRevision: 2, deleted: true, data: "AA" },
      { id: items[1]!.id, baseRevision: 2 },
    ])
      assertError(await api("POST", "/items", { token: a.token, body: { items: [bad] } }), 400, "bad_request");
    const del = await api("POST", "/items", { token: a.token, body: { items: [{ id: items[1]!.id, baseRevision: 2, data: "dG9tYg" }] } });
    assert.equal(del.status, 200);
    const tomb = await api("GET", "/items?since=6", { token: a.token });
    assert.deepEqual(tomb.json.items, [{ id: items[1]!.id, revision: 7, data: "dG9tYg" }], "a tombstone is data like any other");
    assertError(await api("GET", "/items?since=8", { token: a.token }), 400, "revision_from_future");
    assertError(
      await api("POST", "/items", { token: a.token, body: { items: [{ ...items[2], baseRevision: 99 }] } }),
      400,
      "revision_from_future",
    );
  });

  test("a push is announced on the other sessions' live channel, not the pusher's", async () => {
    const a = await signUp(srv);
    const phone = await signIn(srv, a);
    const mine = await openEvents(srv, a.token);
    const theirs = await openEvents(srv, phone.token);
    await api("POST", "/items", { token: a.token, body: { items: [item()] } });
    assert.deepEqual((await theirs.waitFor((e) => e.event === "revision")).data, { revision: 1 });
    // No sleep to prove an absence: a push from the other session reaches `mine` after anything announced
    // before it (one ordered stream), so its first event must be revision 2.
    await api("POST", "/items", { token: phone.token, body: { items: [item()] } });
    assert.deepEqual((await mine.waitFor((e) => e.event === "revision")).data, { revision: 2 });
    assert.deepEqual(
      mine.events.map((e) => e.data),
      [{ revision: 2 }],
    );
    mine.close();
    theirs.close();
  });

  test("bad batches are 400 and store nothing", async () => {
    const a = await signUp(srv);
    const x = item();
    const cases = [
      { items: [x, x] },
      { items: [{ ...item(), deleted: true }] },
      { items: [{ ...item(), deleted: false }] },
      { items: [{ id: randomUUID(), baseRevision: 0 }] },
      { items: [{ ...item(), data: "A" }] },
      { items: [{ ...item(), data: "AB" }] }, // not canonical: trailing bits
      { items: [{ ...item(), extra: 1 }] },
      { items: [{ ...item(), id: "not-a-uuid" }] },
      { items: [{ ...item(), baseRevision: -1 }] },
      { items: [{ ...item(), baseRevision: "0" }] },
      { items: Array.from({ length: 1001 }, () => item("AA")) },
      { item: [] },
    ];
    for (const body of cases) assertError(await api("POST", "/items", { token: a.token, body }), 400, "bad_request");
    assertError(await api("GET", "/items?since=-1", { token: a.token }), 400, "bad_request");
    assertError(await api("GET", "/items?since=0&limit=1001", { token: a.token }), 400, "bad_request");
    assertError(await api("GET", "/items?since=0&token=x", { token: a.token }), 400, "bad_request");
    assert.equal((await api("GET", "/account", { token: a.token })).json.revision, 0);
  });
});

describe("bad input", () => {
  test("malformed JSON, wrong media type, wrong types, unknown fields, oversized bodies", async () => {
    const a = await signUp(srv);
    assertError(
      await api("POST", "/auth/challenge", { rawBody: "{", headers: { "content-type": "application/json" } }),
      400,
      "invalid_json",
    );
    assertError(
      await api("POST", "/auth/challenge", { rawBody: Buffer.from([0x7b, 0xff, 0x7d]), headers: { "content-type": "application/json" } }),
      400,
      "invalid_json",
    );
    assertError(
      await api("POST", "/auth/challenge", { rawBody: '{"email":"a@b.c"}', headers: { "content-type": "text/plain" } }),
      415,
      "unsupported_media_type",
    );
    assertError(await api("POST", "/auth/challenge", { body: { email: 5 } }), 400, "bad_request");
    assertError(await api("POST", "/auth/challenge", { body: { email: "a@b.c", admin: true } }), 400, "bad_request");
    assertError(await api("POST", "/auth/challenge", { body: [] }), 400, "bad_request");
    const huge = "x".repeat(25 * 1024 * 1024);
    assertError(
      await api("POST", "/items", { token: a.token, rawBody: huge, headers: { "content-type": "application/json" } }),
      413,
      "too_large",
    );
    assertError(await api("POST", "/auth/signout", { token: a.token, body: { x: 1 } }), 400, "bad_request");
    assertError(await api("GET", "/nope"), 404, "not_found");
    const wrong = await api("PATCH", "/items", { token: a.token });
    assertError(wrong, 405, "method_not_allowed");
    assert.equal(wrong.headers.allow, "GET, POST");
  });
});

describe("signed account actions", () => {
  async function changePassword(a: TestAccount, generation: number, sign = a.sign) {
    const ch = await actionChallenge(srv, a.token);
    const next = newKeyPair();
    const wrapped = randomBytes(100);
    const payload = changePasswordPayload(next.publicKey, generation, wrapped);
    const eakText = randomEakText();
    return {
      next,
      eakText,
      answer: await api("POST", "/account/password", {
        token: a.token,
        body: {
          challenge: ch.text,
          signature: b64u(sign(authMessage("change-password", ch.origin, a.accountId, ch.bytes, payload))),
          authPublicKey: b64u(next.publicKey),
          wrappedEak: b64u(wrapped),
          eakGeneration: generation,
          sendEmail: false,
          kit: kitOf(eakText),
        },
      }),
    };
  }

  test("change password: signed by the current key, next generation only; other sessions hear of it", async () => {
    const a = await signUp(srv);
    const phone = await signIn(srv, a);
    const live = await openEvents(srv, phone.token);
    const intruder = newKeyPair();
    assertError((await changePassword(a, 1, (m) => ed25519.sign(m, intruder.secretKey))).answer, 403, "forbidden");
    assertError((await changePassword(a, 2)).answer, 409, "conflict");
    const { next, answer, eakText } = await changePassword(a, 1);
    assert.equal(answer.status, 200);
    const kit = (await api("POST", "/auth/challenge", { body: { email: a.email } })).json.kit;
    assert.equal(kit, createHash("sha256").update(eakText).digest().subarray(0, 16).toString("base64url"), "the new kit is current");
    assert.equal(answer.json.eakGeneration, 1);
    assert.deepEqual((await live.waitFor((e) => e.event === "account")).data, { eakGeneration: 1, resetEpoch: 0 });
    live.close();
    // the old key no longer signs in; the new one does
    await assert.rejects(signIn(srv, a));
    await signIn(srv, { email: a.email, sign: (m) => ed25519.sign(m, next.secretKey) });
    // a used action challenge cannot be replayed
    const ch = await actionChallenge(srv, a.token);
    const body = { challenge: ch.text, signature: b64u(new Uint8Array(64)), confirm: `DELETE ${a.email}` };
    assertError(await api("DELETE", "/account", { token: a.token, body }), 403, "forbidden");
    assertError(await api("DELETE", "/account", { token: a.token, body }), 403, "challenge_invalid");
  });

  test("reset wipes items and manifests, bumps resetEpoch, revokes other sessions", async () => {
    const a = await signUp(srv);
    const phone = await signIn(srv, a);
    await api("POST", "/items", { token: a.token, body: { items: [item(), item()] } });
    assert.equal((await api("PUT", `/manifests/${randomUUID()}`, { token: a.token, body: { data: "bWFuaWZlc3Q" } })).status, 204);
    const ch = await actionChallenge(srv, a.token);
    const next = newKeyPair();
    const confirm = `RESET ${a.email}`;
    const body = {
      challenge: ch.text,
      signature: b64u(a.sign(authMessage("reset", ch.origin, a.accountId, ch.bytes, resetPayload(confirm, next.publicKey)))),
      confirm,
      authPublicKey: b64u(next.publicKey),
      verifier: "bmV3dmVyaWZpZXI",
      wrappedEak: "bmV3ZWFr",
      sendEmail: false,
    };
    assertError(
      await api("POST", "/account/reset", { token: a.token, body: { ...body, confirm: "RESET someone@else" } }),
      400,
      "bad_request",
    );
    const r = await api("POST", "/account/reset", { token: a.token, body });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual([r.json.resetEpoch, r.json.eakGeneration, r.json.verifier, r.json.revision], [1, 0, "bmV3dmVyaWZpZXI", 2]);
    assert.deepEqual((await api("GET", "/items?since=0", { token: a.token })).json.items, []);
    assert.deepEqual((await api("GET", "/manifests", { token: a.token })).json.manifests, []);
    assertError(await api("GET", "/account", { token: phone.token }), 401, "account_reset");
  });

  test("delete needs the exact confirmation and a fresh signature, then everything is gone", async () => {
    const a = await signUp(srv);
    const ch = await actionChallenge(srv, a.token);
    const confirm = `DELETE ${a.email}`;
    const signature = b64u(a.sign(authMessage("delete", ch.origin, a.accountId, ch.bytes, new TextEncoder().encode(confirm))));
    assertError(
      await api("DELETE", "/account", { token: a.token, body: { challenge: ch.text, signature, confirm: "DELETE" } }),
      400,
      "bad_request",
    );
    assert.equal((await api("DELETE", "/account", { token: a.token, body: { challenge: ch.text, signature, confirm } })).status, 204);
    assertError(await api("GET", "/account", { token: a.token }), 401, "unauthorized");
    const c = await api("POST", "/auth/challenge", { body: { email: a.email } });
    assert.notEqual(c.json.accountId, a.accountId);
  });

  test("manifests: one per device, replaced on put", async () => {
    const a = await signUp(srv);
    const dev = randomUUID();
    await api("PUT", `/manifests/${dev}`, { token: a.token, body: { data: "b25l" } });
    await api("PUT", `/manifests/${dev}`, { token: a.token, body: { data: "dHdv" } });
    const m = await api("GET", "/manifests", { token: a.token });
    assert.deepEqual(
      m.json.manifests.map((x: { deviceId: string; data: string }) => [x.deviceId, x.data]),
      [[dev, "dHdv"]],
    );
    assertError(await api("PUT", "/manifests/xyz", { token: a.token, body: { data: "b25l" } }), 400, "bad_request");
  });
});

describe("transport and headers", () => {
  test("security headers on API answers and on the web app", async () => {
    for (const path of ["/healthz", "/api/v1/account", "/", "/some/client/route"]) {
      const r = await request("GET", `${srv.url}${path}`, { ca: srv.caPem });
      assert.match(String(r.headers["strict-transport-security"]), /max-age=\d+/);
      assert.equal(r.headers["x-content-type-options"], "nosniff");
      assert.equal(r.headers["referrer-policy"], "no-referrer");
      assert.equal(
        r.headers["content-security-policy"],
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self' https://api.pwnedpasswords.com; worker-src 'self' blob:; frame-src blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
      );
      assert.equal(r.headers["access-control-allow-origin"], undefined, "no CORS unless configured");
      // cross-origin isolation: the web app shares memory between its Argon2id lane workers (docs/web.md)
      assert.equal(r.headers["cross-origin-opener-policy"], "same-origin");
      assert.equal(r.headers["cross-origin-embedder-policy"], "require-corp");
      assert.equal(r.headers["cross-origin-resource-policy"], "same-origin");
    }
  });

  test("TLS below 1.2 is refused", async () => {
    const tls = await import("node:tls");
    const err = await new Promise<Error | undefined>((resolve) => {
      const s = tls.connect(
        { host: "localhost", port: srv.port, ca: srv.caPem, minVersion: "TLSv1", maxVersion: "TLSv1.1", ciphers: "DEFAULT@SECLEVEL=0" },
        () => {
          s.end();
          resolve(undefined);
        },
      );
      s.on("error", resolve);
    });
    assert.ok(err, "a TLS 1.1 handshake must fail");
    assert.match(err.message, /alert protocol version/, "refused by the server, not by the client");
    const ok = await new Promise<string>((resolve, reject) => {
      const s = tls.connect({ host: "localhost", port: srv.port, ca: srv.caPem, maxVersion: "TLSv1.2" }, () => {
        resolve(`${s.getProtocol()} ${s.getCipher().name}`);
        s.end();
      });
      s.on("error", reject);
    });
    assert.match(ok, /^TLSv1.2 ECDHE-ECDSA-(AES\d+-GCM|CHACHA20-POLY1305)/);
  });

  test("/metrics counts requests by route pattern, sync volume and live connections", async () => {
    const m = await request("GET", `${srv.url}/metrics`, { ca: srv.caPem });
    assert.equal(m.status, 200);
    assert.match(m.text, /cryptex_http_requests_total\{method="POST",route="\/api\/v1\/items",status="200"\} \d+/);
    assert.match(m.text, /cryptex_sync_items_pushed_total \d+/);
    assert.match(m.text, /cryptex_live_connections \d+/);
    assert.match(m.text, /cryptex_http_request_duration_seconds_bucket\{route="\/api\/v1\/items",le="0.01"\} \d+/);
    assert.ok(!/[0-9a-f]{8}-[0-9a-f]{4}-/.test(m.text), "no ids in metrics");
  });
});
