import assert from "node:assert/strict";
import { test } from "node:test";
import {
  ACCOUNT_KEY_ALPHABET,
  ACCOUNT_KEY_LENGTH,
  accountKeyEntropyBits,
  exhaustionYears,
  generateAccountKey,
  isAccountKey,
} from "./account-key.ts";

test("alphabet: 64 distinct unambiguous symbols, 276 bits per key", () => {
  assert.equal(new Set(ACCOUNT_KEY_ALPHABET).size, 64);
  assert.equal(ACCOUNT_KEY_ALPHABET.length, 64);
  for (const c of "0O1lIo") assert.ok(!ACCOUNT_KEY_ALPHABET.includes(c), `ambiguous ${c}`);
  assert.equal(accountKeyEntropyBits(), 276);
  const y = exhaustionYears(360e9);
  assert.ok(y.all > 1e63 && y.all < 1e65, String(y.all));
  assert.equal(y.average, y.all / 2);
});

test("keys are 46 characters of the alphabet and differ", () => {
  const a = generateAccountKey();
  assert.equal(a.length, ACCOUNT_KEY_LENGTH);
  assert.ok(isAccountKey(a));
  assert.notEqual(a, generateAccountKey());
  assert.ok(!isAccountKey(`${a.slice(0, 45)}0`));
});

test("characters are uniform: chi-square over 100,000 keys (p < 1e-6 threshold)", () => {
  const counts = new Map<string, number>();
  const positions = Array.from({ length: ACCOUNT_KEY_LENGTH }, () => new Map<string, number>());
  for (let i = 0; i < 100_000; i++) {
    const k = generateAccountKey();
    for (let j = 0; j < k.length; j++) {
      const c = k[j]!;
      counts.set(c, (counts.get(c) ?? 0) + 1);
      if (j === 0 || j === 45) positions[j]!.set(c, (positions[j]!.get(c) ?? 0) + 1);
    }
  }
  const chi = (m: Map<string, number>, total: number) => {
    const e = total / 64;
    let x = 0;
    for (const c of ACCOUNT_KEY_ALPHABET) x += ((m.get(c) ?? 0) - e) ** 2 / e;
    return x;
  };
  // 63 degrees of freedom: P(chi² > 134) ≈ 5e-7. A biased generator (e.g. modulo bias of 256 % 64 ≠ 0
  // alphabets, or a skipped symbol) exceeds it by orders of magnitude at this sample size.
  assert.ok(chi(counts, 100_000 * 46) < 134, `chi² all positions ${chi(counts, 4_600_000)}`);
  assert.ok(chi(positions[0]!, 100_000) < 134, "first position");
  assert.ok(chi(positions[45]!, 100_000) < 134, "last position");
});
