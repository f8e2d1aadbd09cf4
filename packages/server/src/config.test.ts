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

test("limits: session lifetimes, account quota, live stream caps, metrics token", () => {
  const d = parseConfig({}, "/srv");
  assert.ok(d.ok);
  const DAY = 24 * 3600 * 1000;
  assert.deepEqual(
    [
      d.config.sessionIdleMs,
      d.config.sessionMaxMs,
      d.config.accountQuotaBytes,
      d.config.liveStreamsPerAccount,
      d.config.liveStreamsPerAddress,
    ],
    [30 * DAY, 90 * DAY, 1024 ** 3, 20, 100],
  );
  assert.equal(d.config.metricsToken, undefined);
  const r = parseConfig({
    SESSION_IDLE_DAYS: "7",
    SESSION_MAX_DAYS: "14",
    ACCOUNT_QUOTA: "500MiB",
    LIVE_STREAMS_PER_ACCOUNT: "5",
    LIVE_STREAMS_PER_ADDRESS: "50",
    METRICS_TOKEN: "0123456789abcdef0123456789abcdef",
    AUTH_CEILING_PER_MINUTE: "120",
  });
  assert.ok(r.ok);
  assert.equal(r.config.authCeilingPerMinute, 120);
  assert.equal(d.config.authCeilingPerMinute, 600);
  assert.deepEqual(
    [
      r.config.sessionIdleMs,
      r.config.sessionMaxMs,
      r.config.accountQuotaBytes,
      r.config.liveStreamsPerAccount,
      r.config.liveStreamsPerAddress,
    ],
    [7 * DAY, 14 * DAY, 500 * 1024 ** 2, 5, 50],
  );
  assert.equal(r.config.metricsToken, "0123456789abcdef0123456789abcdef");
  const plainBytes = parseConfig({ ACCOUNT_QUOTA: "2097152" });
  assert.ok(plainBytes.ok);
  assert.equal(plainBytes.config.accountQuotaBytes, 2 * 1024 ** 2);
  const bad = parseConfig({
    SESSION_IDLE_DAYS: "0",
    SESSION_MAX_DAYS: "x",
    ACCOUNT_QUOTA: "12 parsecs",
    LIVE_STREAMS_PER_ACCOUNT: "-3",
    LIVE_STREAMS_PER_ADDRESS: "1.5",
    METRICS_TOKEN: "short",
    AUTH_CEILING_PER_MINUTE: "0",
  });
  assert.ok(!bad.ok);
  assert.equal(bad.errors.length, 7, bad.errors.join("\n"));
  const inverted = parseConfig({ SESSION_IDLE_DAYS: "60", SESSION_MAX_DAYS: "30" });
  assert.ok(!inverted.ok);
  assert.match(inverted.errors.join("\n"), /SESSION_IDLE_DAYS must not be above SESSION_MAX_DAYS/);
  assert.ok(!parseConfig({ ACCOUNT_QUOTA: "1KiB" }).ok, "below 1 MiB");
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

test("BREACH_ENDPOINT: the Pwned Passwords API by default, a mirror's origin, or off", () => {
  const at = (v?: string) => parseConfig({ DATA_DIR: "/srv/cx", ...(v === undefined ? {} : { BREACH_ENDPOINT: v }) }, "/");
  const def = at();
  assert.ok(def.ok);
  assert.equal(def.config.breachOrigin, "https://api.pwnedpasswords.com");
  const mirror = at("https://pwned.example.org/range-mirror/");
  assert.ok(mirror.ok);
  assert.equal(mirror.config.breachOrigin, "https://pwned.example.org");
  const off = at("off");
  assert.ok(off.ok);
  assert.equal(off.config.breachOrigin, undefined);
  const bad = at("http://pwned.example.org");
  assert.ok(!bad.ok);
  assert.match(bad.errors.join("\n"), /BREACH_ENDPOINT must be an https:\/\/ URL/);
});
