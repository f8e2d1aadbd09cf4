// TOTP (RFC 6238) codes from a base32 secret or an otpauth:// URI, with HMAC from @noble/hashes.
import { hmac } from "@noble/hashes/hmac.js";
import { sha1 } from "@noble/hashes/legacy.js";
import { sha256, sha512 } from "@noble/hashes/sha2.js";
import { base32Decode } from "../encoding/base32.ts";
import { CryptexError } from "../errors.ts";

export interface TotpConfig {
  readonly secret: Uint8Array;
  readonly digits: number;
  readonly period: number;
  readonly algorithm: "SHA1" | "SHA256" | "SHA512";
}

export function parseTotp(value: string): TotpConfig {
  const text = value.trim();
  let secret = text;
  let digits = 6;
  let period = 30;
  let algorithm: TotpConfig["algorithm"] = "SHA1";
  if (/^otpauth:\/\//i.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new CryptexError("invalid_input", "invalid otpauth URI");
    }
    if (url.host.toLowerCase() !== "totp") throw new CryptexError("invalid_input", "only TOTP otpauth URIs are supported");
    secret = url.searchParams.get("secret") ?? "";
    digits = Number(url.searchParams.get("digits") ?? 6);
    period = Number(url.searchParams.get("period") ?? 30);
    const alg = (url.searchParams.get("algorithm") ?? "SHA1").toUpperCase();
    if (alg !== "SHA1" && alg !== "SHA256" && alg !== "SHA512") throw new CryptexError("invalid_input", "unsupported TOTP algorithm");
    algorithm = alg;
  }
  const bytes = base32Decode(secret.replace(/[\s=-]/g, "").toUpperCase());
  if (!bytes || bytes.length === 0) throw new CryptexError("invalid_input", "the TOTP secret is not valid base32");
  if (!Number.isInteger(digits) || digits < 6 || digits > 10) throw new CryptexError("invalid_input", "TOTP digits must be 6..10");
  if (!Number.isInteger(period) || period < 1 || period > 3600) throw new CryptexError("invalid_input", "TOTP period out of range");
  return { secret: bytes, digits, period, algorithm };
}

const HASHES = { SHA1: sha1, SHA256: sha256, SHA512: sha512 } as const;

export function hotp(cfg: Omit<TotpConfig, "period">, counter: number): string {
  const msg = new Uint8Array(8);
  new DataView(msg.buffer).setBigUint64(0, BigInt(counter));
  const mac = hmac(HASHES[cfg.algorithm], cfg.secret, msg);
  const off = mac[mac.length - 1]! & 0x0f;
  const bin = ((mac[off]! & 0x7f) << 24) | (mac[off + 1]! << 16) | (mac[off + 2]! << 8) | mac[off + 3]!;
  return String(bin % 10 ** cfg.digits).padStart(cfg.digits, "0");
}

export function totp(cfg: TotpConfig, nowMs = Date.now()): { code: string; remaining: number } {
  const t = Math.floor(nowMs / 1000);
  return { code: hotp(cfg, Math.floor(t / cfg.period)), remaining: cfg.period - (t % cfg.period) };
}
