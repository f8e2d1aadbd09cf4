// Wires the server together from a parsed Config: certificate, store, mailer, live hub, HTTPS listener.
// Returns a handle to stop it cleanly (SIGTERM): stop accepting, close live streams, close the store.

import { chmodSync, lstatSync, unlinkSync } from "node:fs";
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { connect } from "node:net";
import { createApp } from "./app.ts";
import { RateLimiter } from "./auth/rate-limit.ts";
import { createBlobFiles } from "./blobs/blob-files.ts";
import type { Config } from "./config.ts";
import { DataDirError, secureDataDir } from "./data-dir.ts";
import { LiveHub } from "./live/hub.ts";
import type { Logger } from "./log.ts";
import { createMailer } from "./mail/mailer.ts";
import { Metrics } from "./metrics.ts";
import { PairRelay } from "./pair/relay.ts";
import { openPostgresStore } from "./store/postgres.ts";
import { openSqliteStore } from "./store/sqlite.ts";
import { STALE_UPLOAD_MS, type Store } from "./store/store.ts";
import { loadOrCreateCertificate } from "./tls/certificate.ts";

// TLS 1.2 suites: ECDHE with AEAD only (TLS 1.3 suites are all AEAD already).
const CIPHERS = [
  "TLS_AES_128_GCM_SHA256",
  "TLS_AES_256_GCM_SHA384",
  "TLS_CHACHA20_POLY1305_SHA256",
  "ECDHE-ECDSA-AES128-GCM-SHA256",
  "ECDHE-RSA-AES128-GCM-SHA256",
  "ECDHE-ECDSA-AES256-GCM-SHA384",
  "ECDHE-RSA-AES256-GCM-SHA384",
  "ECDHE-ECDSA-CHACHA20-POLY1305",
  "ECDHE-RSA-CHACHA20-POLY1305",
].join(":");

export interface RunningServer {
  readonly server: Server;
  /** the TLS certificate's fingerprint; undefined when a proxy terminates TLS */
  readonly fingerprint: string | undefined;
  readonly store: Store;
  stop(): Promise<void>;
}

export class StartupError extends Error {}

/**
 * A socket file left by a killed server blocks listen(): remove it when nothing answers on it. A live socket
 * (another server) and anything that is not a socket are left alone, and listen() then reports the conflict.
 */
async function removeStaleSocket(path: string): Promise<void> {
  try {
    if (!lstatSync(path).isSocket()) return;
  } catch {
    return; // absent
  }
  const alive = await new Promise<boolean>((resolve) => {
    const probe = connect(path);
    probe.once("connect", () => {
      probe.destroy();
      resolve(true);
    });
    probe.once("error", () => resolve(false));
  });
  if (!alive) unlinkSync(path);
}

export async function runServer(config: Config, log: Logger): Promise<RunningServer> {
  let repaired: string[];
  try {
    repaired = secureDataDir(config.dataDir);
  } catch (e) {
    if (e instanceof DataDirError) throw new StartupError(e.message);
    throw new StartupError(`cannot prepare DATA_DIR ${config.dataDir}: ${(e as { code?: string }).code ?? (e as Error).message}`);
  }
  if (repaired.length > 0)
    log.warn("repaired loose permissions in DATA_DIR (other users could read them)", {
      count: repaired.length,
      paths: repaired.slice(0, 20).join(", "),
    });
  const { listen } = config;
  const cert = listen.kind === "https" ? loadOrCreateCertificate(config.tlsCert, config.tlsKey, config.tlsSelfSigned) : undefined;
  let store: Store;
  try {
    store = config.databaseUrl
      ? await openPostgresStore(config.databaseUrl, (e) =>
          log.error("database connection error", { error: (e as { code?: string }).code ?? e.name }),
        )
      : openSqliteStore(config.sqliteFile);
  } catch (e) {
    const why = (e as { code?: string }).code ?? (e as Error).message.split("\n")[0]!.slice(0, 160);
    throw new StartupError(`cannot open the database (${config.databaseUrl ? "PostgreSQL" : config.sqliteFile}): ${why}`);
  }
  const metrics = new Metrics();
  const hub = new LiveHub(metrics, { perAccount: config.liveStreamsPerAccount, perAddress: config.liveStreamsPerAddress });
  const pairRelay = new PairRelay((e) => store.publish(e), Date.now);
  metrics.pairChannels = () => pairRelay.size;
  store.subscribe((e) => (e.type === "pair" ? pairRelay.apply(e) : hub.handle(e)));
  const deps = {
    config,
    store,
    blobs: createBlobFiles(config.dataDir),
    mailer: createMailer({
      smtpUrl: config.smtpUrl,
      smtpPlain: config.smtpPlain,
      from: config.mailFrom,
      outboxDir: config.outboxDir,
      outboxRetentionMs: config.outboxRetentionMs,
    }),
    log,
    metrics,
    hub,
    pairRelay,
    limiter: new RateLimiter(config.rateLimitScale),
    secret: await store.serverSecret(),
    now: Date.now,
  };
  const app = createApp(deps);
  const server: Server = cert
    ? createHttpsServer(
        { cert: cert.cert, key: cert.key, minVersion: "TLSv1.2", ciphers: CIPHERS, honorCipherOrder: true, maxHeaderSize: 16 * 1024 },
        app,
      )
    : createHttpServer({ maxHeaderSize: 16 * 1024 }, app);
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 30_000;
  server.requestTimeout = 120_000;
  server.on("clientError", (_e, socket) => socket.destroy());
  const where = listen.kind === "unix" ? listen.path : listen.host ? `${listen.host}:${listen.port}` : `port ${listen.port}`;
  if (listen.kind === "unix") await removeStaleSocket(listen.path);
  await new Promise<void>((resolve, reject) => {
    server.once("error", (e: NodeJS.ErrnoException) =>
      reject(
        new StartupError(
          e.code === "EADDRINUSE"
            ? `${where} is in use: ${listen.kind === "unix" ? "another server is running on that socket" : "set PORT to a free port"}`
            : `cannot listen on ${where}: ${e.code}`,
        ),
      ),
    );
    if (listen.kind === "unix") server.listen(listen.path, () => resolve());
    else if (listen.host) server.listen(listen.port, listen.host, () => resolve());
    else server.listen(listen.port, () => resolve());
  });
  // the proxy (another user, such as www-data, in the same group) must be able to connect; nobody else
  if (listen.kind === "unix") chmodSync(listen.path, 0o660);

  const sweepOutbox = () => {
    const removed = deps.mailer.sweep(Date.now());
    if (removed > 0) log.info("outbox files removed", { count: removed });
  };
  sweepOutbox();
  /** Uploads a client started and never finished, a week on: their rows, quota and files go. */
  const sweepUploads = async () => {
    const dropped = await store.dropStaleUploads(Date.now() - STALE_UPLOAD_MS, 1000);
    for (const b of dropped) await deps.blobs.remove(b.accountId, b.id);
    if (dropped.length > 0) log.info("unfinished uploads removed", { count: dropped.length });
  };
  const sweeper = setInterval(() => {
    deps.limiter.sweep();
    sweepOutbox();
    store.sweep(Date.now()).catch((e) => log.warn("sweep failed", { error: (e as Error).name }));
    sweepUploads().catch((e) => log.warn("upload sweep failed", { error: (e as Error).name }));
  }, 600_000);
  sweeper.unref();
  log.info("listening", {
    url: config.publicUrl,
    listen: where,
    tls: cert ? "on" : "off (behind a proxy)",
    store: store.kind,
    mail: deps.mailer.transport,
    tlsFingerprint: cert?.fingerprint,
  });
  if (deps.mailer.transport === "outbox")
    log.warn("no SMTP_URL: mail goes to the outbox folder, a development transport", {
      outbox: config.outboxDir,
      keptHours: config.outboxRetentionMs / 3_600_000,
      note: "the files hold sign-up codes and QR mails (the EAK, encrypted under the password) until removed; set SMTP_URL in production",
    });
  else if (config.smtpPlain) log.warn("SMTP_URL allows plain text (plain=1): mail is sent without TLS");
  return {
    server,
    fingerprint: cert?.fingerprint,
    store,
    async stop() {
      clearInterval(sweeper);
      hub.close();
      pairRelay.close();
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeIdleConnections();
      setTimeout(() => server.closeAllConnections(), 2000).unref();
      await closed;
      deps.mailer.close();
      await store.close();
    },
  };
}
