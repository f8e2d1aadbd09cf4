// Server configuration: the environment parsed once into a frozen, typed object. Every bad variable is
// reported at once, one line each; nothing reads process.env after start-up.
import { isIP } from "node:net";
import { isAbsolute, join, resolve } from "node:path";

export type LogLevel = "silent" | "error" | "warn" | "info" | "debug";
const LEVELS: readonly LogLevel[] = ["silent", "error", "warn", "info", "debug"];

/** Where the server listens: HTTPS itself, or plain HTTP behind a TLS-terminating proxy on this host. */
export type Listen =
  | { readonly kind: "https"; readonly host: string | undefined; readonly port: number }
  | { readonly kind: "http"; readonly host: string; readonly port: number }
  | { readonly kind: "unix"; readonly path: string };

export interface Config {
  readonly port: number;
  readonly listen: Listen;
  readonly dataDir: string;
  /** undefined: SQLite in dataDir */
  readonly databaseUrl: string | undefined;
  readonly sqliteFile: string;
  /** undefined: mail is written to outboxDir (a development transport) */
  readonly smtpUrl: string | undefined;
  /** SMTP_URL carried plain=1: clear-text SMTP allowed (a loopback test server); otherwise TLS is required */
  readonly smtpPlain: boolean;
  /** outbox files are removed after this long (OUTBOX_RETENTION_HOURS) */
  readonly outboxRetentionMs: number;
  readonly mailFrom: string;
  readonly outboxDir: string;
  /** the origin clients sign (wire/auth-message.ts) */
  readonly origin: string;
  readonly publicUrl: string;
  readonly tlsCert: string;
  readonly tlsKey: string;
  /** true when the certificate is ours to make on first start */
  readonly tlsSelfSigned: boolean;
  /** peers whose X-Forwarded-For is believed: addresses, or "loopback" (127.0.0.0/8, ::1, a Unix socket) */
  readonly trustProxy: readonly string[];
  readonly logLevel: LogLevel;
  /** origins allowed by CORS; empty: no CORS headers at all */
  readonly corsOrigins: readonly string[];
  /** origin of the Pwned Passwords range API the web app may call (its CSP connect-src); undefined: none */
  readonly breachOrigin: string | undefined;
  readonly webDir: string;
  /** multiplies every rate limit (tests and trusted deployments may raise it) */
  readonly rateLimitScale: number;
  /** lets GET /metrics be read from off the machine with this bearer token; undefined: loopback only */
  readonly metricsToken: string | undefined;
  /** a session unused this long ends, ms */
  readonly sessionIdleMs: number;
  /** a session ends this long after sign-in however much it is used, ms */
  readonly sessionMaxMs: number;
  /** item and manifest bytes one account may keep */
  readonly accountQuotaBytes: number;
  /** unauthenticated auth calls per minute, all clients together, before each waits its turn */
  readonly authCeilingPerMinute: number;
  /** open live streams per account, and per client address, in each process */
  readonly liveStreamsPerAccount: number;
  readonly liveStreamsPerAddress: number;
}

export type ConfigResult = { readonly ok: true; readonly config: Config } | { readonly ok: false; readonly errors: readonly string[] };

const DEFAULT_WEB_DIR = new URL("../../web/dist", import.meta.url).pathname;

export function parseConfig(env: Record<string, string | undefined>, cwd = process.cwd()): ConfigResult {
  const errors: string[] = [];
  const get = (k: string) => {
    const v = env[k];
    return v === undefined || v === "" ? undefined : v;
  };

  let port = 8443;
  const rawPort = get("PORT");
  if (rawPort !== undefined) {
    port = Number(rawPort);
    if (!/^\d+$/.test(rawPort) || port < 1 || port > 65535)
      errors.push(`PORT must be a port number 1..65535, got "${rawPort.slice(0, 40)}"`);
  }
  const dataDir = resolve(cwd, get("DATA_DIR") ?? "data");

  const databaseUrl = get("DATABASE_URL");
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\/./.test(databaseUrl))
    errors.push("DATABASE_URL must be a postgres:// URL (leave it unset for SQLite)");

  const smtp = parseSmtpUrl(get("SMTP_URL"), errors);
  const rawRetention = get("OUTBOX_RETENTION_HOURS");
  const retentionHours = rawRetention === undefined ? 24 : Number(rawRetention);
  if (!(retentionHours > 0 && retentionHours <= 24 * 365)) errors.push("OUTBOX_RETENTION_HOURS must be a number of hours above 0");
  const mailFrom = get("MAIL_FROM") ?? "Cryptex <cryptex@localhost>";
  if (!/^[^\r\n]{3,200}$/.test(mailFrom) || !mailFrom.includes("@"))
    errors.push("MAIL_FROM must be an e-mail address, optionally with a name");

  const publicUrl = get("PUBLIC_URL") ?? `https://localhost:${port}`;
  let origin = "";
  if (!isUrl(publicUrl, ["https:"])) errors.push("PUBLIC_URL must be an https:// URL");
  else origin = new URL(publicUrl).origin;

  const cert = get("TLS_CERT");
  const key = get("TLS_KEY");
  if ((cert === undefined) !== (key === undefined))
    errors.push("TLS_CERT and TLS_KEY must be set together (or neither, for a self-signed certificate)");

  const listen = parseListen(get("LISTEN"), get("HOST"), get("TLS"), port, cwd, errors);
  const trustProxy = parseTrustProxy(get("TRUST_PROXY"), errors);
  const logLevel = (get("LOG_LEVEL") ?? "info") as LogLevel;
  if (!LEVELS.includes(logLevel)) errors.push(`LOG_LEVEL must be one of ${LEVELS.join(", ")}`);

  const corsOrigins = (get("CORS_ORIGINS") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const o of corsOrigins)
    if (!isUrl(o, ["https:", "http:"]) || new URL(o).origin !== o)
      errors.push(`CORS_ORIGINS: "${o.slice(0, 80)}" is not an origin like https://app.example.org`);

  const rawBreach = get("BREACH_ENDPOINT") ?? "https://api.pwnedpasswords.com";
  let breachOrigin: string | undefined;
  if (rawBreach !== "off") {
    if (isUrl(rawBreach, ["https:"])) breachOrigin = new URL(rawBreach).origin;
    else errors.push(`BREACH_ENDPOINT must be an https:// URL or "off", got "${rawBreach.slice(0, 80)}"`);
  }

  const rawScale = get("RATE_LIMIT_SCALE");
  const rateLimitScale = rawScale === undefined ? 1 : Number(rawScale);
  if (!(rateLimitScale > 0 && rateLimitScale <= 1e6)) errors.push("RATE_LIMIT_SCALE must be a number above 0");

  const metricsToken = get("METRICS_TOKEN");
  if (metricsToken !== undefined && !/^[A-Za-z0-9._~+/=-]{24,200}$/.test(metricsToken))
    errors.push("METRICS_TOKEN must be 24 to 200 characters of A-Z a-z 0-9 . _ ~ + / = - (for example: openssl rand -hex 32)");

  const int = (name: string, fallback: number, max: number): number => {
    const v = get(name);
    if (v === undefined) return fallback;
    if (!/^\d{1,9}$/.test(v) || Number(v) < 1 || Number(v) > max) {
      errors.push(`${name} must be a whole number 1..${max}, got "${v.slice(0, 40)}"`);
      return fallback;
    }
    return Number(v);
  };
  const DAY = 24 * 3600 * 1000;
  const sessionIdleMs = int("SESSION_IDLE_DAYS", 30, 3650) * DAY;
  const sessionMaxMs = int("SESSION_MAX_DAYS", 90, 3650) * DAY;
  if (sessionIdleMs > sessionMaxMs) errors.push("SESSION_IDLE_DAYS must not be above SESSION_MAX_DAYS");
  const accountQuotaBytes = parseSize(get("ACCOUNT_QUOTA"), "ACCOUNT_QUOTA", 1024 ** 3, errors);
  const authCeilingPerMinute = int("AUTH_CEILING_PER_MINUTE", 600, 10_000_000);
  const liveStreamsPerAccount = int("LIVE_STREAMS_PER_ACCOUNT", 20, 100_000);
  const liveStreamsPerAddress = int("LIVE_STREAMS_PER_ADDRESS", 100, 1_000_000);

  if (errors.length > 0) return { ok: false, errors };
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(cwd, p));
  return {
    ok: true,
    config: Object.freeze({
      port,
      listen: Object.freeze(listen),
      dataDir,
      databaseUrl,
      sqliteFile: join(dataDir, "cryptex.db"),
      smtpUrl: smtp.url,
      smtpPlain: smtp.plain,
      outboxRetentionMs: retentionHours * 3_600_000,
      mailFrom,
      outboxDir: join(dataDir, "outbox"),
      origin,
      publicUrl,
      tlsCert: cert ? abs(cert) : join(dataDir, "tls", "cert.pem"),
      tlsKey: key ? abs(key) : join(dataDir, "tls", "key.pem"),
      tlsSelfSigned: cert === undefined,
      trustProxy: Object.freeze(trustProxy),
      logLevel,
      corsOrigins: Object.freeze(corsOrigins),
      breachOrigin,
      webDir: get("WEB_DIR") ? abs(get("WEB_DIR")!) : DEFAULT_WEB_DIR,
      rateLimitScale,
      metricsToken,
      sessionIdleMs,
      sessionMaxMs,
      accountQuotaBytes,
      authCeilingPerMinute,
      liveStreamsPerAccount,
      liveStreamsPerAddress,
    }),
  };
}

/**
 * SMTP_URL: smtps:// (TLS) or smtp:// (STARTTLS required). `plain=1` allows clear text, for a test server on
 * loopback; it is taken off the URL. TLS options in the query are refused, so nothing else can turn TLS off.
 */
function parseSmtpUrl(raw: string | undefined, errors: string[]): { url: string | undefined; plain: boolean } {
  if (raw === undefined) return { url: undefined, plain: false };
  if (!isUrl(raw, ["smtp:", "smtps:"])) {
    errors.push("SMTP_URL must be an smtp:// or smtps:// URL");
    return { url: undefined, plain: false };
  }
  const u = new URL(raw);
  const plainValue = u.searchParams.get("plain");
  if (plainValue !== null && !/^(1|true)$/.test(plainValue)) errors.push("SMTP_URL: plain must be plain=1");
  u.searchParams.delete("plain");
  for (const k of u.searchParams.keys())
    if (/tls|secure/i.test(k))
      errors.push(`SMTP_URL: "${k.slice(0, 40)}" is not allowed; TLS is required (use plain=1 only for a loopback test server)`);
  return { url: u.toString(), plain: plainValue !== null };
}

function isUrl(s: string, protocols: string[]): boolean {
  try {
    return protocols.includes(new URL(s).protocol);
  } catch {
    return false;
  }
}

const isLoopbackHost = (h: string) => /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === "::1" || h === "localhost";

/**
 * LISTEN=unix:/path and TLS=off serve plain HTTP for a TLS-terminating proxy on the same host, so they are
 * refused on anything but a Unix socket or a loopback address: plain HTTP must never face a network.
 */
function parseListen(
  listen: string | undefined,
  host: string | undefined,
  tls: string | undefined,
  port: number,
  cwd: string,
  errors: string[],
): Listen {
  if (listen !== undefined) {
    if (!listen.startsWith("unix:") || listen.length <= 5) {
      errors.push("LISTEN must be unix:/path/to/socket (for plain HTTP behind a proxy); use HOST and PORT otherwise");
      return { kind: "https", host, port };
    }
    if (host !== undefined) errors.push("LISTEN=unix:… and HOST cannot be set together");
    return { kind: "unix", path: resolve(cwd, listen.slice(5)) };
  }
  const plain = tls !== undefined && /^(off|0|false|no)$/i.test(tls);
  if (tls !== undefined && !plain && !/^(on|1|true|yes)$/i.test(tls)) errors.push("TLS must be on or off");
  if (!plain) return { kind: "https", host, port };
  if (host === undefined || !isLoopbackHost(host)) {
    errors.push(
      "TLS=off serves plain HTTP: set HOST to a loopback address (127.0.0.1 or ::1) behind a TLS proxy on this host, or use LISTEN=unix:/path",
    );
  }
  return { kind: "http", host: host ?? "127.0.0.1", port };
}

function parseTrustProxy(v: string | undefined, errors: string[]): string[] {
  if (v === undefined || /^(0|false|no)$/i.test(v)) return [];
  if (/^(1|true|yes)$/i.test(v)) return ["loopback"];
  const list = v
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const a of list) if (!isIP(a)) errors.push(`TRUST_PROXY: "${a.slice(0, 60)}" is not an IP address (or use true for loopback)`);
  return list;
}

const UNITS: Record<string, number> = { "": 1, b: 1, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, tib: 1024 ** 4 };

/** "1GiB", "500MiB", "64KiB" or plain bytes; at least 1 MiB so an account can hold something. */
function parseSize(v: string | undefined, name: string, fallback: number, errors: string[]): number {
  if (v === undefined) return fallback;
  const m = /^(\d{1,15})\s*([A-Za-z]*)$/.exec(v.trim());
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  const bytes = m && unit ? Number(m[1]) * unit : Number.NaN;
  if (!(bytes >= 1024 ** 2 && bytes <= Number.MAX_SAFE_INTEGER)) {
    errors.push(`${name} must be a size of at least 1MiB such as 1GiB, 500MiB or a number of bytes, got "${v.slice(0, 40)}"`);
    return fallback;
  }
  return bytes;
}
