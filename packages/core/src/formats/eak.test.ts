import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { seal } from "../crypto/aead.ts";
import { sha256 } from "../crypto/sha256.ts";
import { base32Decode, base32Encode } from "../encoding/base32.ts";
import { concat, utf8 } from "../encoding/bytes.ts";
import { generateAccountKey } from "../keys/account-key.ts";
import { deriveKek } from "../keys/derive.ts";
import { newAccountId } from "../keys/ids.ts";
import { KDF_DEFAULT } from "../keys/kdf.ts";
import { createEak, EAK_BYTES, EAK_TEXT_PREFIX, eakToText, openEak, parseEak, parseEakText } from "./eak.ts";

const PW = "tangerine-Quartz-velvet-42-moor";

test("EAK round trip through the text form; QR-alphanumeric text", async () => {
  const ak = generateAccountKey();
  const id = newAccountId();
  const { eak, stretched } = await createEak(PW, ak, id);
  assert.equal(eak.bytes.length, EAK_BYTES);
  const text = eakToText(eak);
  assert.match(text, /^CRYPTEX:[A-Z2-7]+$/);
  assert.equal(text.length, 208);
  const parsed = parseEakText(text);
  assert.deepEqual(parsed.header.kdf, KDF_DEFAULT);
  assert.equal(parsed.header.accountId, id);
  const opened = await openEak(parsed, PW, id);
  assert.equal(opened.accountKey, ak);
  assert.deepEqual(opened.stretched, stretched);
  // pasted from a mail: lower case, broken into lines and groups
  const messy = `  ${text.toLowerCase().replace(/(.{16})/g, "$1 \n")} `;
  assert.equal(eakToText(parseEakText(messy)), text);
});

test("wrong password, foreign account and tampering are told apart", async () => {
  const id = newAccountId();
  const { eak } = await createEak(PW, generateAccountKey(), id);
  await assert.rejects(openEak(eak, "not-the-password-at-all"), { code: "wrong_password" });
  await assert.rejects(openEak(eak, PW, newAccountId()), { code: "foreign_key" });
  assert.throws(() => parseEakText("HELLO:ABC"), { code: "unsupported_format" });
  assert.throws(() => parseEakText(`${EAK_TEXT_PREFIX}!!!`), { code: "tampered" });
});

test("property: any single flipped bit anywhere in the EAK is rejected as tampered", async () => {
  const { eak } = await createEak(PW, generateAccountKey(), newAccountId());
  fc.assert(
    fc.property(fc.integer({ min: 0, max: EAK_BYTES * 8 - 1 }), (bit) => {
      const b = eak.bytes.slice();
      b[bit >> 3]! ^= 1 << (bit & 7);
      // magic/version flips are "not this format"; everything else fails the checksum
      const code = bit < 40 ? /tampered|unsupported_format/ : /tampered/;
      assert.throws(
        () => parseEak(b),
        (e: { code: string }) => code.test(e.code),
      );
      assert.throws(() => parseEakText(EAK_TEXT_PREFIX + base32Encode(b)));
    }),
    { numRuns: 400 },
  );
});

test("a forged header with a recomputed checksum still fails (the salt feeds the KEK)", async () => {
  const { eak } = await createEak(PW, generateAccountKey(), newAccountId());
  const body = eak.bytes.slice(0, EAK_BYTES - 4);
  body[40]! ^= 0x01; // a salt byte
  const forged = concat(body, sha256(body).subarray(0, 4));
  await assert.rejects(openEak(parseEak(forged), PW), { code: "wrong_password" });
});

test("the header is the AAD: the right KEK sealing the same Account Key without it is refused", async () => {
  // Same password, salt, account and KDF, so the same KEK: only the missing AAD differs. Would pass if openEak
  // stopped authenticating the header.
  const ak = generateAccountKey();
  const id = newAccountId();
  const { eak, stretched } = await createEak(PW, ak, id);
  const header = eak.bytes.subarray(0, 47);
  const kek = await deriveKek(stretched, id);
  const body = concat(header, await seal(kek, utf8(ak), new Uint8Array(0)));
  const noAad = concat(body, sha256(body).subarray(0, 4));
  assert.equal(noAad.length, EAK_BYTES);
  await assert.rejects(openEak(parseEak(noAad), PW), { code: "wrong_password" });
  // and the control: sealed with the header as AAD, the same construction opens
  const withAad = concat(header, await seal(kek, utf8(ak), header));
  const good = concat(withAad, sha256(withAad).subarray(0, 4));
  assert.equal((await openEak(parseEak(good), PW)).accountKey, ak);
});

test("property: KDF parameters below the floor or above the ceiling are refused even with a valid checksum", async () => {
  const { eak } = await createEak(PW, generateAccountKey(), newAccountId());
  fc.assert(
    fc.property(
      fc.oneof(
        fc.record({ m: fc.integer({ min: 0, max: 65535 }), t: fc.integer({ min: 3, max: 16 }), p: fc.integer({ min: 1, max: 16 }) }),
        fc.record({ m: fc.integer({ min: 65536, max: 1048576 }), t: fc.integer({ min: 0, max: 2 }), p: fc.integer({ min: 1, max: 16 }) }),
        fc.record({
          m: fc.integer({ min: 1048577, max: 2 ** 32 - 1 }),
          t: fc.integer({ min: 3, max: 16 }),
          p: fc.integer({ min: 1, max: 16 }),
        }),
        fc.record({ m: fc.constant(65536), t: fc.integer({ min: 17, max: 2 ** 32 - 1 }), p: fc.integer({ min: 1, max: 16 }) }),
      ),
      ({ m, t, p }) => {
        const body = eak.bytes.slice(0, EAK_BYTES - 4);
        const dv = new DataView(body.buffer);
        dv.setUint32(22, m);
        dv.setUint32(26, t);
        body[30] = p;
        const forged = concat(body, sha256(body).subarray(0, 4));
        assert.throws(() => parseEak(forged), { code: "kdf_params_rejected" });
      },
    ),
    { numRuns: 300 },
  );
});

test("an unknown version is refused", async () => {
  const { eak } = await createEak(PW, generateAccountKey(), newAccountId());
  const b = eak.bytes.slice();
  b[4] = 2;
  assert.throws(() => parseEak(b), { code: "unsupported_format" });
});

test("property: base32 round trip and canonical decoding", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
      assert.deepEqual(base32Decode(base32Encode(bytes)), bytes);
    }),
  );
  assert.equal(base32Decode("AB"), undefined); // non-zero trailing bits: not canonical
});

test("property: EAK round trip for random passwords (few runs: 64 MiB Argon2id each)", async () => {
  await fc.assert(
    fc.asyncProperty(fc.string({ minLength: 1, maxLength: 64, unit: "grapheme" }), async (pw) => {
      const ak = generateAccountKey();
      const id = newAccountId();
      const { eak } = await createEak(pw, ak, id);
      const again = await openEak(parseEakText(eakToText(eak)), pw, id);
      assert.equal(again.accountKey, ak);
    }),
    { numRuns: 4 },
  );
});
