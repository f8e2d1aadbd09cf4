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
      false,
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
  assert.equal(r.config.trustProxy, true);
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

test("SMTP needs TLS unless the URL says plain=1; TLS options cannot be set in the query; outbox retention", () => {
  const ok = (env: Record<string, string>) => {
    const r = parseConfig(env);
    assert.ok(r.ok, r.ok ? "" : r.errors.join("\n"));
    return r.config;
  };
  assert.deepEqual([ok({}).smtpPlain, ok({}).outboxRetentionMs], [false, 24 * 3_600_000]);
  const tls = ok({ SMTP_URL: "smtp://mail.example.org:587" });
  assert.deepEqual([tls.smtpUrl, tls.smtpPlain], ["smtp://mail.example.org:587", false]);
  const plain = ok({ SMTP_URL: "smtp://127.0.0.1:2525?plain=1" });
  assert.deepEqual([plain.smtpUrl, plain.smtpPlain], ["smtp://127.0.0.1:2525", true]);
  assert.equal(ok({ OUTBOX_RETENTION_HOURS: "0.5" }).outboxRetentionMs, 1_800_000);
  for (const env of [
    { SMTP_URL: "smtp://mail.example.org?ignoreTLS=true" },
    { SMTP_URL: "smtp://mail.example.org?requireTLS=false" },
    { SMTP_URL: "smtp://mail.example.org?secure=false" },
    { SMTP_URL: "smtp://mail.example.org?plain=yes-please" },
    { OUTBOX_RETENTION_HOURS: "0" },
    { OUTBOX_RETENTION_HOURS: "forever" },
  ]) {
    const r = parseConfig(env);
    assert.ok(!r.ok, JSON.stringify(env));
  }
});
