// Server configuration: the environment parsed once into a frozen, typed object. Every bad variable is
// reported at once, one line each; nothing reads process.env after start-up.
import { isAbsolute, join, resolve } from "node:path";

export type LogLevel = "silent" | "error" | "warn" | "info" | "debug";
const LEVELS: readonly LogLevel[] = ["silent", "error", "warn", "info", "debug"];

export interface Config {
  readonly port: number;
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
  readonly trustProxy: boolean;
  readonly logLevel: LogLevel;
  /** origins allowed by CORS; empty: no CORS headers at all */
  readonly corsOrigins: readonly string[];
  readonly webDir: string;
  /** multiplies every rate limit (tests and trusted deployments may raise it) */
  readonly rateLimitScale: number;
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

  const trustProxy = parseBool(get("TRUST_PROXY"), "TRUST_PROXY", errors);
  const logLevel = (get("LOG_LEVEL") ?? "info") as LogLevel;
  if (!LEVELS.includes(logLevel)) errors.push(`LOG_LEVEL must be one of ${LEVELS.join(", ")}`);

  const corsOrigins = (get("CORS_ORIGINS") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const o of corsOrigins)
    if (!isUrl(o, ["https:", "http:"]) || new URL(o).origin !== o)
      errors.push(`CORS_ORIGINS: "${o.slice(0, 80)}" is not an origin like https://app.example.org`);

  const rawScale = get("RATE_LIMIT_SCALE");
  const rateLimitScale = rawScale === undefined ? 1 : Number(rawScale);
  if (!(rateLimitScale > 0 && rateLimitScale <= 1e6)) errors.push("RATE_LIMIT_SCALE must be a number above 0");

  if (errors.length > 0) return { ok: false, errors };
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(cwd, p));
  return {
    ok: true,
    config: Object.freeze({
      port,
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
      trustProxy,
      logLevel,
      corsOrigins: Object.freeze(corsOrigins),
      webDir: get("WEB_DIR") ? abs(get("WEB_DIR")!) : DEFAULT_WEB_DIR,
      rateLimitScale,
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

function parseBool(v: string | undefined, name: string, errors: string[]): boolean {
  if (v === undefined) return false;
  if (/^(1|true|yes)$/i.test(v)) return true;
  if (/^(0|false|no)$/i.test(v)) return false;
  errors.push(`${name} must be true or false`);
  return false;
}
