// Start-up as a user meets it: bad configuration is one clear line per problem and exit 2; the self-signed
// certificate is made once and reused; the web app's files are served with the right types and caching.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { request } from "../packages/server/src/testing/https-client.ts";
import { startServer } from "../packages/server/src/testing/start-server.ts";

const MAIN = new URL("../packages/server/src/main.ts", import.meta.url).pathname;

test("bad configuration lists every bad variable, one line each, and exits 2", () => {
  const r = spawnSync(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH,
      PORT: "99999",
      DATABASE_URL: "mysql://x",
      LOG_LEVEL: "loud",
      PUBLIC_URL: "http://insecure",
      TLS_CERT: "/x.pem",
      SMTP_URL: "nope",
    },
    encoding: "utf8",
    timeout: 20_000,
  });
  assert.equal(r.status, 2);
  const lines = r.stderr.trim().split("\n");
  assert.equal(lines.length, 6, r.stderr);
  for (const v of ["PORT", "DATABASE_URL", "LOG_LEVEL", "PUBLIC_URL", "TLS_CERT", "SMTP_URL"])
    assert.ok(
      lines.some((l) => l.includes(v)),
      `${v} not reported`,
    );
  assert.ok(!r.stderr.includes("    at "), "no stack trace");
});

test("an unreachable database and a taken port fail with one clear line", async () => {
  const dir = mkdtempSync(join(tmpdir(), "cryptex-start-"));
  try {
    const pg = spawnSync(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH, DATA_DIR: dir, PORT: "1", DATABASE_URL: "postgres://nobody@127.0.0.1:1/none", LOG_LEVEL: "silent" },
      encoding: "utf8",
      timeout: 20_000,
    });
    assert.equal(pg.status, 1);
    assert.match(pg.stderr.trim(), /^cryptex-server: cannot open the database \(PostgreSQL\): ECONNREFUSED$/);
    const srv = await startServer();
    try {
      const taken = spawnSync(process.execPath, [MAIN], {
        env: { PATH: process.env.PATH, DATA_DIR: dir, PORT: String(srv.port), LOG_LEVEL: "silent" },
        encoding: "utf8",
        timeout: 20_000,
      });
      assert.equal(taken.status, 1);
      assert.equal(taken.stderr.trim(), `cryptex-server: port ${srv.port} is in use: set PORT to a free port`);
    } finally {
      await srv.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the self-signed certificate is made on first start and reused; its fingerprint is printed", async () => {
  const srv = await startServer();
  try {
    const first = /fingerprint ([0-9A-F:]{95})/.exec(srv.logs())?.[1];
    assert.ok(first);
    await srv.restart();
    const [, second] = [...srv.logs().matchAll(/fingerprint ([0-9A-F:]{95})/g)].map((m) => m[1]);
    assert.equal(second, first);
    const r = await request("GET", `${srv.url}/healthz`, { ca: srv.caPem });
    assert.deepEqual(r.json, { status: "ok" });
  } finally {
    await srv.stop();
  }
});

test("serves the built web app: types, long cache for assets, index.html for client routes, not for the API", async () => {
  const web = mkdtempSync(join(tmpdir(), "cryptex-web-"));
  mkdirSync(join(web, "assets"));
  writeFileSync(join(web, "index.html"), "<!doctype html><title>app</title>");
  writeFileSync(join(web, "assets", "app-abc123.js"), "console.log(1)");
  writeFileSync(join(web, "assets", "hash.wasm"), new Uint8Array([0, 97, 115, 109]));
  const srv = await startServer({ env: { WEB_DIR: web } });
  try {
    const html = await request("GET", `${srv.url}/vault/items`, { ca: srv.caPem });
    assert.equal(html.status, 200);
    assert.equal(html.headers["content-type"], "text/html; charset=utf-8");
    assert.equal(html.text, "<!doctype html><title>app</title>");
    const js = await request("GET", `${srv.url}/assets/app-abc123.js`, { ca: srv.caPem });
    assert.equal(js.headers["content-type"], "text/javascript; charset=utf-8");
    assert.equal(js.headers["cache-control"], "public, max-age=31536000, immutable");
    assert.equal((await request("GET", `${srv.url}/assets/hash.wasm`, { ca: srv.caPem })).headers["content-type"], "application/wasm");
    assert.equal((await request("GET", `${srv.url}/assets/missing.js`, { ca: srv.caPem })).status, 404);
    assert.equal((await request("GET", `${srv.url}/..%2f..%2fetc%2fpasswd`, { ca: srv.caPem })).text, html.text, "no way out of dist/");
    assert.equal((await request("GET", `${srv.url}/api/v1/nope`, { ca: srv.caPem })).json.code, "not_found");
  } finally {
    await srv.stop();
    rmSync(web, { recursive: true, force: true });
  }
});

test("rate limits answer 429 with Retry-After", async () => {
  const srv = await startServer({ env: { RATE_LIMIT_SCALE: "1" } });
  try {
    let last: Awaited<ReturnType<typeof request>> | undefined;
    for (let i = 0; i < 12; i++)
      last = await request("POST", `${srv.url}/api/v1/auth/challenge`, { ca: srv.caPem, body: { email: "same@example.org" } });
    assert.equal(last!.status, 429);
    assert.equal(last!.json.code, "rate_limited");
    assert.match(String(last!.headers["retry-after"]), /^\d+$/);
  } finally {
    await srv.stop();
  }
});
