// Core's API client against the real server's limits: "sign out every other device" and a full storage
// quota reach the client as a count and as a typed 413 quota_exceeded, with nothing applied.
import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { after, before, test } from "node:test";
import { ApiError, createApiClient, type FetchLike } from "@cryptex/core/client/api-client.ts";
import { b64u, signIn, signUp } from "../packages/server/src/testing/accounts.ts";
import { request } from "../packages/server/src/testing/https-client.ts";
import { type RunningServer, startServer } from "../packages/server/src/testing/start-server.ts";

let srv: RunningServer;
before(async () => {
  srv = await startServer({ env: { ACCOUNT_QUOTA: "1MiB" } });
});
after(() => srv?.stop());

/** fetch over node:https trusting the test server's certificate (Node's fetch takes no CA per call). */
const fetchWithCa: FetchLike = async (url, init) => {
  const r = await request(init.method ?? "GET", url, {
    ca: srv.caPem,
    headers: Object.fromEntries(Object.entries((init.headers ?? {}) as Record<string, string>)),
    ...(typeof init.body === "string" ? { rawBody: init.body } : {}),
  });
  const headers = new Headers();
  for (const [k, v] of Object.entries(r.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(", ") : v);
  return new Response(r.status === 204 ? null : r.text, { status: r.status, headers });
};

test("endOtherSessions signs out the account's other devices and keeps this one", async () => {
  const a = await signUp(srv);
  const phone = await signIn(srv, a, "phone");
  const tablet = await signIn(srv, a, "tablet");
  const laptop = createApiClient({ baseUrl: srv.url, fetch: fetchWithCa, token: a.token });
  assert.equal(await laptop.endOtherSessions(), 2);
  for (const token of [phone.token, tablet.token]) {
    const other = createApiClient({ baseUrl: srv.url, fetch: fetchWithCa, token });
    await assert.rejects(other.account(), (e: unknown) => e instanceof ApiError && e.status === 401 && e.code === "unauthorized");
  }
  assert.equal((await laptop.account()).accountId, a.accountId);
  assert.deepEqual(
    (await laptop.sessions()).sessions.map((s) => s.deviceName),
    ["laptop"],
  );
});

test("a push past the quota is a typed 413 quota_exceeded for the client, and nothing is applied", async () => {
  const a = await signUp(srv);
  const api = createApiClient({ baseUrl: srv.url, fetch: fetchWithCa, token: a.token });
  const item = (bytes: number) => ({ id: randomUUID(), baseRevision: 0, data: b64u(randomBytes(bytes)) });
  const ok = await api.push([item(700 * 1024)]);
  assert.ok(ok.ok);
  await assert.rejects(
    api.push([item(400 * 1024)]),
    (e: unknown) => e instanceof ApiError && e.status === 413 && e.code === "quota_exceeded" && /quota of 1\.0 MiB is full/.test(e.message),
  );
  assert.equal((await api.pull(0)).revision, 1);
});
