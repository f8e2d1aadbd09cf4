// In-process rate limits (token buckets per key: an IP, an account). Each server process counts on its own;
// behind N processes the effective limit is up to N× — documented in docs/server.md.

export interface Limit {
  /** requests allowed in a burst */
  readonly burst: number;
  /** sustained requests per minute */
  readonly perMinute: number;
}

export class RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  readonly #scale: number;
  readonly #now: () => number;
  constructor(scale = 1, now: () => number = Date.now) {
    this.#scale = scale;
    this.#now = now;
  }

  /** Takes one token; returns 0 when allowed, else the seconds to wait. */
  take(key: string, limit: Limit): number {
    const now = this.#now();
    const burst = limit.burst * this.#scale;
    const rate = (limit.perMinute * this.#scale) / 60_000;
    const b = this.#buckets.get(key) ?? { tokens: burst, at: now };
    b.tokens = Math.min(burst, b.tokens + (now - b.at) * rate);
    b.at = now;
    this.#buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / rate / 1000));
  }

  /** Forgets full buckets so memory stays bounded by recent activity. */
  sweep(): void {
    const now = this.#now();
    for (const [k, b] of this.#buckets) if (now - b.at > 3_600_000) this.#buckets.delete(k);
  }
}

export const LIMITS = {
  signupPerIp: { burst: 10, perMinute: 10 },
  challengePerIp: { burst: 30, perMinute: 30 },
  challengePerEmail: { burst: 10, perMinute: 5 },
  signinPerIp: { burst: 30, perMinute: 30 },
  signinPerAccount: { burst: 10, perMinute: 5 },
  mailPerAccount: { burst: 3, perMinute: 0.1 },
  actionPerAccount: { burst: 10, perMinute: 5 },
  // Pairing relay (unauthenticated): a person pairs a device now and then; a long-poll returns every 25 s.
  pairOpenPerIp: { burst: 10, perMinute: 10 },
  pairClaimPerIp: { burst: 10, perMinute: 10 },
  pairMessagePerIp: { burst: 120, perMinute: 120 },
} as const satisfies Record<string, Limit>;
