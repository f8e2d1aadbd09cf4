// Bearer-token sessions: the token's SHA-256 is looked up on every call, so a revoked or expired session
// fails at once on every server process; expiry slides (30 days) on use, written at most once a minute.
import type { IncomingMessage } from "node:http";
import type { Deps } from "../deps.ts";
import { ApiError } from "../errors.ts";
import type { Session } from "../store/store.ts";
import { hashToken, SESSION_TTL_MS } from "./tokens.ts";

const TOKEN = /^Bearer ([A-Za-z0-9_-]{43,64})$/;

export async function authenticate(deps: Pick<Deps, "store" | "now">, req: IncomingMessage): Promise<Session> {
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
    const expiresAt = now + SESSION_TTL_MS;
    await deps.store.touchSession(s.id, now, expiresAt);
    return { ...s, lastSeenAt: now, expiresAt };
  }
  return s;
}

export function rateLimit(deps: Pick<Deps, "limiter">, key: string, limit: { burst: number; perMinute: number }): void {
  const wait = deps.limiter.take(key, limit);
  if (wait > 0) throw new ApiError("rate_limited", `too many requests: try again in ${wait} s`, { "retry-after": String(wait) });
}
