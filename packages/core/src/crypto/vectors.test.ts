// Published known-answer tests for every primitive: RFC 9106, RFC 5869, RFC 8032 and Wycheproof.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { argon2id as nobleArgon2id } from "@noble/hashes/argon2.js";
import { fromHex, toHex, utf8 } from "../encoding/bytes.ts";
import { importAesKey, openWithNonce, sealWithNonce } from "./aead.ts";
import { argon2id } from "./argon2.ts";
import { signingKeyFromSeed, verifySignature } from "./ed25519.ts";
import { hkdfBytes } from "./hkdf.ts";

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8"));
const fill = (n: number, b: number) => new Uint8Array(n).fill(b);

test("RFC 9106 §5.3 Argon2id vector (reference check of the cross-check implementation)", () => {
  const tag = nobleArgon2id(fill(32, 1), fill(16, 2), { t: 3, m: 32, p: 4, dkLen: 32, key: fill(8, 3), personalization: fill(12, 4) });
  assert.equal(toHex(tag), "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659");
});

test("Argon2id (hash-wasm, production) matches the phc-winner-argon2 reference vector", async () => {
  // src/test.c of the reference implementation: argon2id v=19, t=2, m=2^16, p=1, "password", "somesalt".
  const tag = await argon2id(utf8("password"), utf8("somesalt"), { t: 2, m: 65536, p: 1 });
  assert.equal(toHex(tag), "09316115d5cf24ed5a15a31a3ba326e5cf32edc24702987c02b6566f61913cf7");
});

test("Argon2id (hash-wasm) equals the RFC-checked implementation on the RFC 9106 inputs and others", async () => {
  const cases = [
    { pw: fill(32, 1), salt: fill(16, 2), secret: fill(8, 3), m: 32, t: 3, p: 4 },
    { pw: utf8("correct horse battery staple"), salt: fill(16, 7), m: 256, t: 3, p: 4 },
    { pw: utf8("ünïcödé"), salt: fill(16, 9), m: 1024, t: 4, p: 2 },
  ];
  for (const c of cases) {
    const want = nobleArgon2id(c.pw, c.salt, { t: c.t, m: c.m, p: c.p, dkLen: 32, ...(c.secret ? { key: c.secret } : {}) });
    const got = await argon2id(c.pw, c.salt, { m: c.m, t: c.t, p: c.p }, 32, c.secret);
    assert.equal(toHex(got), toHex(want));
  }
});

test("RFC 5869 Appendix A HKDF-SHA256 test cases 1-3", async () => {
  const seq = (from: number, n: number) => Uint8Array.from({ length: n }, (_, i) => from + i);
  const a1 = await hkdfBytes(fill(22, 0x0b), seq(0, 13), seq(0xf0, 10), 42);
  assert.equal(toHex(a1), "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
  const a2 = await hkdfBytes(seq(0, 80), seq(0x60, 80), seq(0xb0, 80), 82);
  assert.equal(
    toHex(a2),
    "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87",
  );
  const a3 = await hkdfBytes(fill(22, 0x0b), new Uint8Array(0), new Uint8Array(0), 42);
  assert.equal(toHex(a3), "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
});

test("Wycheproof HKDF-SHA256", async () => {
  const { tests } = fixture("wycheproof-hkdf-sha256.json");
  let checked = 0;
  for (const t of tests) {
    if (t.result === "valid") {
      const okm = await hkdfBytes(fromHex(t.ikm), fromHex(t.salt), fromHex(t.info), t.size);
      assert.equal(toHex(okm), t.okm, `tcId ${t.tcId}`);
      checked++;
    } else {
      // The invalid cases ask for more than 255 blocks of output; WebCrypto must refuse.
      await assert.rejects(hkdfBytes(fromHex(t.ikm), fromHex(t.salt), fromHex(t.info), t.size), `tcId ${t.tcId}`);
    }
  }
  assert.ok(checked > 50);
});

test("RFC 8032 §7.1 Ed25519 tests 1-3", () => {
  const vectors = [
    [
      "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
      "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
      "",
      "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
    ],
    [
      "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
      "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
      "72",
      "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
    ],
    [
      "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
      "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
      "af82",
      "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a",
    ],
  ] as const;
  for (const [sk, pk, msg, sig] of vectors) {
    const kp = signingKeyFromSeed(fromHex(sk));
    assert.equal(toHex(kp.publicKey), pk);
    assert.equal(toHex(kp.sign(fromHex(msg))), sig);
    assert.ok(verifySignature(fromHex(sig), fromHex(msg), fromHex(pk)));
  }
});

test("Wycheproof Ed25519 verify (incl. malleability)", () => {
  const { tests } = fixture("wycheproof-ed25519.json");
  for (const t of tests) {
    const ok = verifySignature(fromHex(t.sig), fromHex(t.msg), fromHex(t.publicKey));
    assert.equal(ok, t.result === "valid", `tcId ${t.tcId} ${t.comment}`);
  }
});

test("Wycheproof AES-256-GCM (96-bit IV) seal and open", async () => {
  const { tests } = fixture("wycheproof-aes256gcm.json");
  let valid = 0;
  for (const t of tests) {
    const key = await importAesKey(fromHex(t.key));
    const iv = fromHex(t.iv);
    const aad = fromHex(t.aad);
    const ctTag = fromHex(t.ct + t.tag);
    if (t.result === "valid") {
      const sealed = await sealWithNonce(key, iv, fromHex(t.msg), aad);
      assert.equal(toHex(sealed.subarray(12)), t.ct + t.tag, `tcId ${t.tcId}`);
      assert.equal(toHex(await openWithNonce(key, iv, ctTag, aad)), t.msg, `tcId ${t.tcId}`);
      valid++;
    } else {
      await assert.rejects(openWithNonce(key, iv, ctTag, aad), { code: "tampered" }, `tcId ${t.tcId}`);
    }
  }
  assert.ok(valid > 20);
});
