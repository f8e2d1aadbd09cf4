// The device's health cache: per password fingerprint, its zxcvbn score and its last breach count. zxcvbn
// costs milliseconds a password, so a report over 10,000 items is fast only when scores are remembered.
// Stored as one AEAD envelope bound to the account; no password or hash of one without the key is kept.
import { fromUtf8, utf8 } from "../../encoding/bytes.ts";
import { CryptexError } from "../../errors.ts";
import { aad } from "../../formats/aad.ts";
import { openEnvelope, sealEnvelope } from "../../formats/envelope.ts";
import type { LocalKeys } from "./health-keys.ts";

export interface CacheEntry {
  /** zxcvbn score 0..4 */
  score?: number;
  /** times seen in breaches, and when that was asked (ms) */
  breach?: { count: number; at: number };
}

const MAX_ENTRIES = 200_000;
const FP = /^[A-Za-z0-9_-]{22}$/;

export class HealthCache {
  readonly entries = new Map<string, CacheEntry>();

  get(fp: string): CacheEntry | undefined {
    return this.entries.get(fp);
  }

  update(fp: string, change: CacheEntry): void {
    this.entries.set(fp, { ...this.entries.get(fp), ...change });
  }

  /** Keeps only the fingerprints still in the vault, so a changed password is forgotten. */
  retain(live: ReadonlySet<string>): void {
    for (const fp of this.entries.keys()) if (!live.has(fp)) this.entries.delete(fp);
  }

  async seal(keys: LocalKeys): Promise<Uint8Array> {
    const rows = [...this.entries].map(([fp, e]) => [fp, e.score ?? -1, e.breach?.count ?? -1, e.breach?.at ?? 0]);
    return sealEnvelope(keys.healthCache, utf8(JSON.stringify({ v: 1, rows })), aad("health-cache", keys.accountId));
  }

  /** Opens a stored cache; a damaged or foreign one is an error the caller answers by starting afresh. */
  static async open(keys: LocalKeys, bytes: Uint8Array): Promise<HealthCache> {
    const data: unknown = JSON.parse(fromUtf8(await openEnvelope(keys.healthCache, bytes, aad("health-cache", keys.accountId))));
    const rows = (data as { v?: unknown; rows?: unknown }).rows;
    if ((data as { v?: unknown }).v !== 1 || !Array.isArray(rows) || rows.length > MAX_ENTRIES)
      throw new CryptexError("unsupported_format", "unknown health cache format");
    const cache = new HealthCache();
    for (const r of rows) {
      if (!Array.isArray(r) || typeof r[0] !== "string" || !FP.test(r[0])) continue;
      const [fp, score, count, at] = r as [string, number, number, number];
      const e: CacheEntry = {};
      if (Number.isInteger(score) && score >= 0 && score <= 4) e.score = score;
      if (Number.isSafeInteger(count) && count >= 0 && Number.isSafeInteger(at)) e.breach = { count, at };
      cache.entries.set(fp, e);
    }
    return cache;
  }
}
