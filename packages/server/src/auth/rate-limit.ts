// In-process rate limits (token buckets per key: a client address, an address with an identifier, an account).
// Nothing is limited by an identifier alone, so nobody can lock another person out; the global ceiling slows
// requests down instead of refusing them. Each server process counts on its own; behind N processes the
// effective limit is up to N× — documented in docs/server.md.

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

  /**
   * Reserves a turn in a shared bucket that never refuses: returns the milliseconds to wait (0: go now),
   * at most maxDelayMs. Past that the debt stops growing, so a flood costs each request a bounded delay.
   */
  reserve(key: string, limit: Limit, maxDelayMs: number): number {
    const now = this.#now();
    const burst = limit.burst * this.#scale;
    const rate = (limit.perMinute * this.#scale) / 60_000;
    const b = this.#buckets.get(key) ?? { tokens: burst, at: now };
    b.tokens = Math.min(burst, b.tokens + (now - b.at) * rate) - 1;
    b.at = now;
    this.#buckets.set(key, b);
    if (b.tokens >= 0) return 0;
    const wait = -b.tokens / rate;
    if (wait <= maxDelayMs) return Math.ceil(wait);
    b.tokens = -maxDelayMs * rate;
    return maxDelayMs;
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
  challengePerIpEmail: { burst: 10, perMinute: 5 },
  signinPerIp: { burst: 30, perMinute: 30 },
  signinPerIpAccount: { burst: 10, perMinute: 5 },
  mailPerAccount: { burst: 3, perMinute: 0.1 },
  /** code and "someone tried" mails to one address, whoever asks: 5 an hour */
  mailPerRecipient: { burst: 5, perMinute: 5 / 60 },
  actionPerAccount: { burst: 10, perMinute: 5 },
  // Pairing relay (unauthenticated): a person pairs a device now and then; a long-poll returns every 25 s.
  pairOpenPerIp: { burst: 10, perMinute: 10 },
  pairClaimPerIp: { burst: 10, perMinute: 10 },
  pairMessagePerIp: { burst: 120, perMinute: 120 },
} as const satisfies Record<string, Limit>;

/** The longest the global ceiling makes one request wait. */
export const AUTH_MAX_DELAY_MS = 10_000;
