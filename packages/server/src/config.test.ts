// Configuration parsing: defaults, every variable, and all errors reported at once.
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseConfig } from "./config.ts";

test("defaults: port 8443, ./data, SQLite, outbox, self-signed TLS, origin from the port", () => {
  const r = parseConfig({}, "/srv");
  assert.ok(r.ok);
  const c = r.config;
  assert.deepEqual(
    [
      c.port,
      c.dataDir,
      c.sqliteFile,
      c.outboxDir,
      c.databaseUrl,
      c.smtpUrl,
      c.origin,
      c.tlsCert,
      c.tlsSelfSigned,
      c.logLevel,
      c.trustProxy,
    ],
    [
      8443,
      "/srv/data",
      "/srv/data/cryptex.db",
      "/srv/data/outbox",
      undefined,
      undefined,
      "https://localhost:8443",
      "/srv/data/tls/cert.pem",
      true,
      "info",
      [],
    ],
  );
  assert.ok(Object.isFrozen(c));
});

test("every variable is read", () => {
  const r = parseConfig(
    {
      PORT: "9000",
      DATA_DIR: "/var/lib/cryptex",
      DATABASE_URL: "postgres://u@db/cryptex",
      SMTP_URL: "smtps://u:p@mail.example.org",
      MAIL_FROM: "Vault <vault@example.org>",
      PUBLIC_URL: "https://vault.example.org/",
      TLS_CERT: "c.pem",
      TLS_KEY: "k.pem",
      TRUST_PROXY: "true",
      LOG_LEVEL: "debug",
      CORS_ORIGINS: "https://a.example.org, https://b.example.org",
    },
    "/etc/cryptex",
  );
  assert.ok(r.ok);
  assert.equal(r.config.origin, "https://vault.example.org");
  assert.equal(r.config.tlsCert, "/etc/cryptex/c.pem");
  assert.equal(r.config.tlsSelfSigned, false);
  assert.deepEqual(r.config.trustProxy, ["loopback"]);
  assert.deepEqual(r.config.listen, { kind: "https", host: undefined, port: 9000 });
  assert.deepEqual(r.config.corsOrigins, ["https://a.example.org", "https://b.example.org"]);
});

test("all bad variables are reported together", () => {
  const r = parseConfig({
    PORT: "0",
    TLS_KEY: "k.pem",
    TRUST_PROXY: "maybe",
    CORS_ORIGINS: "https://a.example.org/path",
    RATE_LIMIT_SCALE: "-1",
    MAIL_FROM: "x",
  });
  assert.ok(!r.ok);
  assert.equal(r.errors.length, 6, r.errors.join("\n"));
});

test("plain HTTP only behind a proxy on this host: a Unix socket or a loopback HOST", () => {
  const unix = parseConfig({ LISTEN: "unix:run/cryptex.sock", TRUST_PROXY: "true" }, "/srv");
  assert.ok(unix.ok);
  assert.deepEqual(unix.config.listen, { kind: "unix", path: "/srv/run/cryptex.sock" });
  const local = parseConfig({ TLS: "off", HOST: "127.0.0.1", PORT: "8080", TRUST_PROXY: "127.0.0.1, ::1" });
  assert.ok(local.ok);
  assert.deepEqual(local.config.listen, { kind: "http", host: "127.0.0.1", port: 8080 });
  assert.deepEqual(local.config.trustProxy, ["127.0.0.1", "::1"]);
  const https = parseConfig({ HOST: "0.0.0.0", TLS: "on" });
  assert.ok(https.ok);
  assert.deepEqual(https.config.listen, { kind: "https", host: "0.0.0.0", port: 8443 });
  for (const env of [{ TLS: "off" }, { TLS: "off", HOST: "0.0.0.0" }, { TLS: "off", HOST: "192.168.1.5" }, { LISTEN: "tcp:1" }]) {
    const r = parseConfig(env);
    assert.ok(!r.ok, JSON.stringify(env));
    assert.match(r.errors[0]!, /TLS=off|LISTEN must be/);
  }
  const bad = parseConfig({ TRUST_PROXY: "nginx.local" });
  assert.ok(!bad.ok);
  assert.match(bad.errors[0]!, /TRUST_PROXY: "nginx.local" is not an IP address/);
});
