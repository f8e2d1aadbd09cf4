// Attachment blobs against the real server process: pieces that resume, streamed downloads from an offset, the
// quota, deletion, other accounts, and bad input answered with typed 4xx.
import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { request as httpsRequest } from "node:https";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { LIMITS } from "@cryptex/core/wire/api.ts";
import { signUp, type TestAccount } from "../testing/accounts.ts";
import { request } from "../testing/https-client.ts";
import { type RunningServer, startServer } from "../testing/start-server.ts";

let srv: RunningServer;
let a: TestAccount;
before(async () => {
  srv = await startServer({ env: { ACCOUNT_QUOTA: "2MiB" } });
  a = await signUp(srv);
});
after(() => srv?.stop());

const api = (method: string, path: string, opts: Parameters<typeof request>[2] = {}) =>
  request(method, `${srv.url}/api/v1${path}`, { ca: srv.caPem, token: a.token, ...opts });
const put = (id: string, offset: number, size: number, piece: Uint8Array, token = a.token) =>
  api("PUT", `/blobs/${id}?offset=${offset}&size=${size}`, {
    token,
    rawBody: piece,
    headers: { "content-type": "application/octet-stream" },
  });
async function download(id: string, offset = 0, token = a.token): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      `${srv.url}/api/v1/blobs/${id}?offset=${offset}`,
      { ca: srv.caPem, headers: { authorization: `Bearer ${token}` } },
      (res) => {
        const parts: Buffer[] = [];
        res.on("data", (c: Buffer) => parts.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts) }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end();
  });
}

test("a blob uploaded in pieces is stored as a file, streamed back from any offset, counted in the quota and deleted", async () => {
  const id = randomUUID();
  const blob = randomBytes(300_000);
  const before = await api("GET", "/account");
  assert.equal(before.status, 200);
  let r = await put(id, 0, blob.length, blob.subarray(0, 100_000));
  assert.deepEqual(r.json, { size: blob.length, received: 100_000 });
  r = await api("GET", `/blobs/${id}/state`);
  assert.deepEqual(r.json, { size: blob.length, received: 100_000 });
  assert.equal((await download(id)).status, 409, "an unfinished blob is not served");
  r = await put(id, 100_000, blob.length, blob.subarray(100_000));
  assert.deepEqual(r.json, { size: blob.length, received: blob.length });
  const whole = await download(id);
  assert.equal(whole.status, 200);
  assert.deepEqual(whole.body, blob);
  assert.deepEqual((await download(id, 123_456)).body, blob.subarray(123_456));
  const file = join(srv.dataDir, "blobs", a.accountId, id);
  assert.deepEqual(readFileSync(file), blob, "the bytes are a file under DATA_DIR, as sent");
  // the declared size already counts: a second blob that would pass the 2 MiB quota is refused before any byte
  r = await put(randomUUID(), 0, 2 * 1024 * 1024, new Uint8Array(10));
  assert.equal(r.status, 413);
  assert.equal(r.json.code, "quota_exceeded");
  r = await api("DELETE", `/blobs/${id}`);
  assert.equal(r.status, 204);
  assert.equal(existsSync(file), false);
  assert.equal((await api("DELETE", `/blobs/${id}`)).status, 404);
  assert.equal((await download(id)).status, 404);
  // freed: the same 2 MiB minus what items use now fits
  r = await put(randomUUID(), 0, 1024 * 1024, new Uint8Array(10));
  assert.equal(r.status, 200, JSON.stringify(r.json));
});

test("an upload cut off mid-piece keeps what arrived and resumes from there", async () => {
  const id = randomUUID();
  const blob = randomBytes(600_000);
  // declare the whole blob in one piece, send 250 kB of it, then drop the connection
  await new Promise<void>((resolve) => {
    const req = httpsRequest(`${srv.url}/api/v1/blobs/${id}?offset=0&size=${blob.length}`, {
      method: "PUT",
      ca: srv.caPem,
      headers: {
        authorization: `Bearer ${a.token}`,
        "content-type": "application/octet-stream",
        "content-length": String(blob.length),
      },
    });
    req.on("error", () => resolve());
    req.on("response", () => resolve());
    req.write(blob.subarray(0, 250_000), () => setTimeout(() => req.destroy(), 300));
    req.on("close", () => resolve());
  });
  let state = { size: 0, received: 0 };
  for (let i = 0; i < 50; i++) {
    state = (await api("GET", `/blobs/${id}/state`)).json;
    if (state?.received > 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(state.size, blob.length);
  assert.ok(state.received > 0 && state.received <= 250_000, `kept ${state.received} bytes`);
  const wrong = await put(id, 0, blob.length, blob.subarray(0, 10));
  assert.equal(wrong.status, 409, "a piece must start where the server is");
  const r = await put(id, state.received, blob.length, blob.subarray(state.received));
  assert.deepEqual(r.json, { size: blob.length, received: blob.length });
  assert.deepEqual((await download(id)).body, blob);
});

test("another account sees none of it; bad input is a typed 4xx and stores nothing", async () => {
  const id = randomUUID();
  assert.equal((await put(id, 0, 10, randomBytes(10))).status, 200);
  const b = await signUp(srv);
  assert.equal((await api("GET", `/blobs/${id}/state`, { token: b.token })).status, 404);
  assert.equal((await download(id, 0, b.token)).status, 404);
  assert.equal((await api("DELETE", `/blobs/${id}`, { token: b.token })).status, 404);
  assert.equal((await put(id, 0, 10, randomBytes(10), b.token)).status, 200, "ids are per account");
  assert.equal((await download(id, 0, b.token)).status, 200);

  const fresh = randomUUID();
  const cases: [string, () => Promise<{ status: number; json: { code: string } }>, number, string][] = [
    ["no token", () => api("GET", `/blobs/${fresh}/state`, { token: "" }), 401, "unauthorized"],
    ["not a UUID", () => put("not-a-uuid", 0, 10, randomBytes(10)), 400, "bad_request"],
    [
      "no size",
      () => api("PUT", `/blobs/${fresh}?offset=0`, { rawBody: "x", headers: { "content-type": "application/octet-stream" } }),
      400,
      "bad_request",
    ],
    [
      "JSON body",
      () => api("PUT", `/blobs/${fresh}?offset=0&size=2`, { rawBody: "{}", headers: { "content-type": "application/json" } }),
      415,
      "unsupported_media_type",
    ],
    ["past the size", () => put(fresh, 0, 5, randomBytes(10)), 413, "too_large"],
    ["over the per-file bound", () => put(fresh, 0, LIMITS.attachmentBlob + 1, randomBytes(1)), 400, "bad_request"],
    ["resume of nothing", () => put(fresh, 5, 10, randomBytes(5)), 404, "not_found"],
    ["unknown parameter", () => api("GET", `/blobs/${fresh}?range=1`), 400, "bad_request"],
    ["negative offset", () => api("GET", `/blobs/${id}?offset=-1`), 400, "bad_request"],
    ["offset past the end", () => api("GET", `/blobs/${id}?offset=11`), 400, "bad_request"],
  ];
  for (const [what, p, status, code] of cases) {
    const r = await p();
    assert.equal(r.status, status, `${what}: ${JSON.stringify(r.json)}`);
    assert.equal(r.json.code, code, what);
  }
  assert.equal((await api("GET", `/blobs/${fresh}/state`)).status, 404, "nothing was stored for the refused uploads");
  assert.equal((await put(id, 0, 11, randomBytes(11))).status, 409, "a blob keeps the size it was started with");
});
