// The platform CSPRNG (WebCrypto getRandomValues), the only source of randomness in Cryptex.

const MAX_CHUNK = 65536; // getRandomValues refuses more than 64 KiB per call

export function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let o = 0; o < n; o += MAX_CHUNK) crypto.getRandomValues(out.subarray(o, Math.min(n, o + MAX_CHUNK)));
  return out;
}

/** `count` uniform integers in [0, bound), bound ≤ 256, by rejection sampling of random bytes (no modulo bias). */
export function randomIndices(count: number, bound: number): number[] {
  if (!Number.isInteger(bound) || bound < 1 || bound > 256) throw new RangeError("bound must be 1..256");
  const limit = 256 - (256 % bound);
  const out: number[] = [];
  while (out.length < count) {
    for (const b of randomBytes(count - out.length + 16)) {
      if (b < limit) out.push(b % bound);
      if (out.length === count) break;
    }
  }
  return out;
}

export const randomBelow = (bound: number): number => randomIndices(1, bound)[0]!;
