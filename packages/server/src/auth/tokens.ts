// Session tokens and challenges: 32 random bytes; tokens are stored as SHA-256 only, so a stolen database
// holds no usable token. Also decodes the canonical base64url the wire uses.
import { createHash, randomBytes } from "node:crypto";
import { ApiError } from "../errors.ts";

/** When a session used at `now` ends: after the idle time, but never past its absolute lifetime. */
export function sessionExpiry(createdAt: number, now: number, lifetime: { sessionIdleMs: number; sessionMaxMs: number }): number {
  return Math.min(now + lifetime.sessionIdleMs, createdAt + lifetime.sessionMaxMs);
}
export const CHALLENGE_TTL_MS = 5 * 60 * 1000;

export const randomToken = (): Uint8Array => new Uint8Array(randomBytes(32));
export const hashToken = (token: string): Uint8Array => new Uint8Array(createHash("sha256").update(token).digest());
export const b64u = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("base64url");

/** Canonical unpadded base64url → bytes; anything else is a 400 naming the field. */
export function fromB64u(text: string, field: string): Uint8Array {
  const b = Buffer.from(text, "base64url");
  if (b.toString("base64url") !== text) throw new ApiError("bad_request", `${field}: not canonical base64url`);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}
