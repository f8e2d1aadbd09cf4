// GET /metrics on the real server: open to direct loopback clients, closed to forwarded (outside) ones
// unless they bring METRICS_TOKEN.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { request } from "../testing/https-client.ts";
import { type RunningServer, startServer } from "../testing/start-server.ts";

const TOKEN = "metrics-token-0123456789abcdef";
let plain: RunningServer;
let proxied: RunningServer;
before(async () => {
  [plain, proxied] = await Promise.all([startServer(), startServer({ env: { TRUST_PROXY: "true", METRICS_TOKEN: TOKEN } })]);
});
after(() => Promise.all([plain?.stop(), proxied?.stop()]));

const metrics = (srv: RunningServer, headers: Record<string, string> = {}) =>
  request("GET", `${srv.url}/metrics`, { ca: srv.caPem, headers });

describe("/metrics access", () => {
  test("a direct loopback client reads the metrics", async () => {
    const r = await metrics(plain);
    assert.equal(r.status, 200);
    assert.match(r.text, /cryptex_http_requests_total/);
  });

  test("a request forwarded by a proxy is refused 403 without the token", async () => {
    const forwarded: Record<string, string>[] = [
      { "x-forwarded-for": "203.0.113.9" },
      { forwarded: "for=203.0.113.9" },
      { "x-real-ip": "203.0.113.9" },
    ];
    for (const headers of forwarded) {
      const r = await metrics(plain, headers);
      assert.equal(r.status, 403, JSON.stringify(headers));
      assert.equal(r.json.code, "forbidden");
      assert.doesNotMatch(r.text, /cryptex_/);
    }
    const viaProxy = await metrics(proxied, { "x-forwarded-for": "203.0.113.9" });
    assert.equal(viaProxy.status, 403);
    const wrong = await metrics(proxied, { "x-forwarded-for": "203.0.113.9", authorization: `Bearer ${TOKEN.replace("0", "1")}` });
    assert.equal(wrong.status, 403);
  });

  test("the bearer token opens it from off the machine", async () => {
    const r = await metrics(proxied, { "x-forwarded-for": "203.0.113.9", authorization: `Bearer ${TOKEN}` });
    assert.equal(r.status, 200);
    assert.match(r.text, /cryptex_http_requests_total/);
  });
});
