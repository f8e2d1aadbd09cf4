// TOTP and HOTP against the published vectors: RFC 6238 appendix B (all three hashes, 8 digits) and RFC 4226
// appendix D; otpauth:// parameters survive parsing.
import assert from "node:assert/strict";
import { test } from "node:test";
import { base32Encode } from "../encoding/base32.ts";
import { utf8 } from "../encoding/bytes.ts";
import { hotp, parseTotp, totp } from "./totp.ts";

// RFC 6238 appendix B: the seeds are ASCII digits repeated to the hash's block-key length.
const SEEDS = {
  SHA1: "12345678901234567890",
  SHA256: "12345678901234567890123456789012",
  SHA512: "1234567890123456789012345678901234567890123456789012345678901234",
} as const;
const RFC6238: readonly [number, string, string, string][] = [
  [59, "94287082", "46119246", "90693936"],
  [1111111109, "07081804", "68084774", "25091201"],
  [1111111111, "14050471", "67062674", "99943326"],
  [1234567890, "89005924", "91819424", "93441116"],
  [2000000000, "69279037", "90698825", "38618901"],
  [20000000000, "65353130", "77737706", "47863826"],
];

test("RFC 6238 appendix B: every time step for SHA1, SHA256 and SHA512, through an otpauth URI", () => {
  for (const [seconds, ...codes] of RFC6238) {
    (["SHA1", "SHA256", "SHA512"] as const).forEach((alg, i) => {
      const uri = `otpauth://totp/RFC:6238?secret=${base32Encode(utf8(SEEDS[alg]))}&algorithm=${alg}&digits=8&period=30`;
      const cfg = parseTotp(uri);
      assert.deepEqual([cfg.algorithm, cfg.digits, cfg.period], [alg, 8, 30]);
      assert.equal(totp(cfg, seconds * 1000).code, codes[i], `${alg} at ${seconds}`);
    });
  }
});

test("RFC 4226 appendix D: HOTP counters 0..9", () => {
  const expected = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"];
  const cfg = { secret: utf8(SEEDS.SHA1), digits: 6, algorithm: "SHA1" as const };
  assert.deepEqual(
    expected.map((_, counter) => hotp(cfg, counter)),
    expected,
  );
});

test("a bare base32 secret means SHA1, 6 digits, 30 s; the remaining seconds count down within the period", () => {
  const cfg = parseTotp(" gezd gnbv gy3t qojq gezd gnbv gy3t qojq ");
  assert.deepEqual([cfg.algorithm, cfg.digits, cfg.period], ["SHA1", 6, 30]);
  assert.deepEqual(totp(cfg, 59_000), { code: "287082", remaining: 1 });
  assert.deepEqual(totp(cfg, 60_000), { code: "359152", remaining: 30 });
  const sixty = parseTotp(`otpauth://totp/x?secret=${base32Encode(utf8(SEEDS.SHA256))}&algorithm=SHA256&digits=8&period=60`);
  assert.equal(sixty.period, 60);
  assert.equal(totp(sixty, 119_000).remaining, 1);
});

test("bad secrets and parameters are refused with invalid_input", () => {
  for (const bad of ["", "not base32 !", "otpauth://hotp/x?secret=GEZDGNBV", "otpauth://totp/x?secret=GEZDGNBV&digits=5"]) {
    assert.throws(() => parseTotp(bad), { code: "invalid_input" }, bad);
  }
  assert.throws(() => parseTotp("otpauth://totp/x?secret=GEZDGNBV&algorithm=MD5"), { code: "invalid_input" });
  assert.throws(() => parseTotp("otpauth://totp/x?secret=GEZDGNBV&period=0"), { code: "invalid_input" });
});
