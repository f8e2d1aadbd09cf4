// Bearer-token sessions: the token's SHA-256 is looked up on every call, so a revoked or expired session
// fails at once on every server process; expiry slides on use (SESSION_IDLE_DAYS), written at most once a
// minute, but never past the absolute lifetime from sign-in (SESSION_MAX_DAYS).
import type { IncomingMessage } from "node:http";
import type { Deps } from "../deps.ts";
import { ApiError } from "../errors.ts";
import type { Session } from "../store/store.ts";
import { AUTH_MAX_DELAY_MS } from "./rate-limit.ts";
import { hashToken, sessionExpiry } from "./tokens.ts";

const TOKEN = /^Bearer ([A-Za-z0-9_-]{43,64})$/;

export async function authenticate(deps: Pick<Deps, "store" | "now" | "config">, req: IncomingMessage): Promise<Session> {
  const m = TOKEN.exec(req.headers.authorization ?? "");
  if (!m) throw new ApiError("unauthorized", "sign in first (missing or malformed bearer token)");
  const now = deps.now();
  const hash = hashToken(m[1]!);
  const s = await deps.store.findSession(hash, now);
  if (!s) {
    const ended = await deps.store.sessionEndedBy(hash, now);
    if (ended === "reset")
      throw new ApiError("account_reset", "the account was reset on another device: sign in again with the new QR code");
    if (ended === "rotated")
      throw new ApiError("key_rotated", "the Account Key was replaced on another device: sign in again with the new QR code");
    throw new ApiError("unauthorized", "the session is unknown, revoked or expired: sign in again");
  }
  if (now - s.lastSeenAt > 60_000) {
    const expiresAt = sessionExpiry(s.createdAt, now, deps.config);
    await deps.store.touchSession(s.id, now, expiresAt);
    return { ...s, lastSeenAt: now, expiresAt };
  }
  return s;
}

/** Refuses (429) a caller whose own bucket is empty: keys always include the client address. */
export function rateLimit(deps: Pick<Deps, "limiter">, key: string, limit: { burst: number; perMinute: number }): void {
  const wait = deps.limiter.take(key, limit);
  if (wait > 0) throw new ApiError("rate_limited", `too many requests: try again in ${wait} s`, { "retry-after": String(wait) });
}

/** The global ceiling on unauthenticated auth calls: past it a request waits its turn, never gets refused. */
export async function paceAuth(deps: Pick<Deps, "limiter" | "metrics" | "config">): Promise<void> {
  const n = deps.config.authCeilingPerMinute;
  const wait = deps.limiter.reserve("auth:global", { burst: n, perMinute: n }, AUTH_MAX_DELAY_MS);
  if (wait === 0) return;
  deps.metrics.inc("cryptex_auth_delayed_total");
  await new Promise((r) => setTimeout(r, wait));
}
