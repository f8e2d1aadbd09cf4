// The native backend gives exactly what core's WASM default gives: the reference vector, a cross-check over
// parameters, lengths and secrets against @noble/hashes (which core checks against RFC 9106), the same stretched
// password as the WASM default, and EAKs made by either open with the other.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { test } from "node:test";
import { createEak, generateAccountKey, newAccountId, openEak, setArgon2idBackend, stretchPassword, toHex, utf8 } from "@cryptex/core";
import { argon2id as nobleArgon2id } from "@noble/hashes/argon2.js";
import { hasNativeArgon2id, nativeArgon2id } from "./native-argon2.ts";

test("this Node has native Argon2id (node:crypto.argon2, Node 24.7+)", () => {
  assert.ok(hasNativeArgon2id());
});

test("native Argon2id matches the phc-winner-argon2 reference vector", async () => {
  const tag = await nativeArgon2id({ password: utf8("password"), salt: utf8("somesalt"), params: { t: 2, m: 65536, p: 1 }, length: 32 });
  assert.equal(toHex(tag), "09316115d5cf24ed5a15a31a3ba326e5cf32edc24702987c02b6566f61913cf7");
});

test("native Argon2id equals an independent implementation over parameters, lengths and secrets", async () => {
  const cases = [
    { m: 64, t: 3, p: 4, length: 32 },
    { m: 1024, t: 4, p: 2, length: 16, secret: randomBytes(8) },
    { m: 256, t: 5, p: 1, length: 64, secret: randomBytes(32) },
  ];
  for (const c of cases) {
    const password = randomBytes(1 + (c.m % 50));
    const salt = randomBytes(16);
    const want = nobleArgon2id(password, salt, { m: c.m, t: c.t, p: c.p, dkLen: c.length, ...(c.secret ? { key: c.secret } : {}) });
    const got = await nativeArgon2id({
      password,
      salt,
      params: { m: c.m, t: c.t, p: c.p },
      length: c.length,
      ...(c.secret ? { secret: c.secret } : {}),
    });
    assert.equal(toHex(got), toHex(want), JSON.stringify(c));
  }
});

test("the stretched password is the same with the WASM default and with the native backend", async () => {
  for (const pw of ["correct horse battery staple", "ünïcödé ﬁ ligature", " trailing space "]) {
    const salt = randomBytes(16);
    setArgon2idBackend(undefined);
    const wasm = await stretchPassword(pw, salt, { m: 65536, t: 3, p: 4 });
    setArgon2idBackend(nativeArgon2id);
    try {
      assert.equal(toHex(await stretchPassword(pw, salt, { m: 65536, t: 3, p: 4 })), toHex(wasm));
    } finally {
      setArgon2idBackend(undefined);
    }
  }
});

test("an EAK made with the WASM backend opens with the native one, and the other way round", async () => {
  const pw = "ünïcödé passphrase with spaces 9";
  setArgon2idBackend(undefined);
  const a = await createEak(pw, generateAccountKey(), newAccountId());
  setArgon2idBackend(nativeArgon2id);
  try {
    assert.equal(toHex((await openEak(a.eak, pw)).stretched), toHex(a.stretched));
    const b = await createEak(pw, generateAccountKey(), newAccountId());
    setArgon2idBackend(undefined);
    assert.equal(toHex((await openEak(b.eak, pw)).stretched), toHex(b.stretched));
  } finally {
    setArgon2idBackend(undefined);
  }
});
