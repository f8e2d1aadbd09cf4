// Wires the server together from a parsed Config: certificate, store, mailer, live hub, HTTPS listener.
// Returns a handle to stop it cleanly (SIGTERM): stop accepting, close live streams, close the store.
import { mkdirSync } from "node:fs";
import { createServer, type Server } from "node:https";
import { createApp } from "./app.ts";
import { RateLimiter } from "./auth/rate-limit.ts";
import type { Config } from "./config.ts";
import { LiveHub } from "./live/hub.ts";
import type { Logger } from "./log.ts";
import { createMailer } from "./mail/mailer.ts";
import { Metrics } from "./metrics.ts";
import { PairRelay } from "./pair/relay.ts";
import { openPostgresStore } from "./store/postgres.ts";
import { openSqliteStore } from "./store/sqlite.ts";
import type { Store } from "./store/store.ts";
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
  readonly fingerprint: string;
  readonly store: Store;
  stop(): Promise<void>;
}

export class StartupError extends Error {}

export async function runServer(config: Config, log: Logger): Promise<RunningServer> {
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const cert = loadOrCreateCertificate(config.tlsCert, config.tlsKey, config.tlsSelfSigned);
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
  const hub = new LiveHub(metrics);
  const pairRelay = new PairRelay((e) => store.publish(e), Date.now);
  metrics.pairChannels = () => pairRelay.size;
  store.subscribe((e) => (e.type === "pair" ? pairRelay.apply(e) : hub.handle(e)));
  const deps = {
    config,
    store,
    mailer: createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, outboxDir: config.outboxDir }),
    log,
    metrics,
    hub,
    pairRelay,
    limiter: new RateLimiter(config.rateLimitScale),
    secret: await store.serverSecret(),
    now: Date.now,
  };
  const server = createServer(
    { cert: cert.cert, key: cert.key, minVersion: "TLSv1.2", ciphers: CIPHERS, honorCipherOrder: true, maxHeaderSize: 16 * 1024 },
    createApp(deps),
  );
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 30_000;
  server.requestTimeout = 120_000;
  server.on("clientError", (_e, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once("error", (e: NodeJS.ErrnoException) =>
      reject(
        new StartupError(
          e.code === "EADDRINUSE"
            ? `port ${config.port} is in use: set PORT to a free port`
            : `cannot listen on port ${config.port}: ${e.code}`,
        ),
      ),
    );
    server.listen(config.port, () => resolve());
  });
  const sweeper = setInterval(() => {
    deps.limiter.sweep();
    store.sweep(Date.now()).catch((e) => log.warn("sweep failed", { error: (e as Error).name }));
  }, 600_000);
  sweeper.unref();
  log.info("listening", {
    url: config.publicUrl,
    port: config.port,
    store: store.kind,
    mail: deps.mailer.transport,
    tlsFingerprint: cert.fingerprint,
  });
  return {
    server,
    fingerprint: cert.fingerprint,
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
