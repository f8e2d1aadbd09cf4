// The WebAssembly segment filler and its JS frame, in this thread: RFC 9106's Argon2id vector, and random inputs
// (password, salt, secret, m, t, p, tag length, including m not a multiple of 4p) against node:crypto.argon2,
// then the account's own parameters. Filling the lanes of a slice in any order or split (as the lane workers do)
// must give the same tag. The parallel path in Chromium is e2e/web-argon2-lanes.test.ts.
import assert from "node:assert/strict";
import { argon2Sync, randomBytes, randomInt } from "node:crypto";
import { test } from "node:test";
import {
  type Argon2Input,
  argon2idInTurn,
  fillSlice,
  finalTag,
  hPrime,
  kernelModule,
  kernelOf,
  layoutOf,
  memoryFor,
  writeFirstBlocks,
} from "./argon2-lanes.ts";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const fill = (n: number, b: number) => new Uint8Array(n).fill(b);

function native(input: Argon2Input): string {
  return argon2Sync("argon2id", {
    message: input.password,
    nonce: input.salt,
    memory: input.params.m,
    passes: input.params.t,
    parallelism: input.params.p,
    tagLength: input.length,
    ...(input.secret ? { secret: input.secret } : {}),
    ...(input.ad ? { associatedData: input.ad } : {}),
  }).toString("hex");
}

test("RFC 9106 §5.3 Argon2id test vector", async () => {
  const tag = await argon2idInTurn({
    password: fill(32, 1),
    salt: fill(16, 2),
    secret: fill(8, 3),
    ad: fill(12, 4),
    params: { m: 32, t: 3, p: 4 },
    length: 32,
  });
  assert.equal(hex(tag), "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659");
});

test("H' gives the lengths RFC 9106 §3.3 defines, short and long", () => {
  assert.equal(hPrime(4, fill(3, 9)).length, 4);
  assert.equal(hPrime(64, fill(3, 9)).length, 64);
  const long = hPrime(1024, fill(3, 9));
  assert.equal(long.length, 1024);
  assert.notDeepEqual(long.subarray(0, 32), long.subarray(32, 64));
});

test("random inputs equal node:crypto.argon2 (lanes 1-6, passes 1-4, odd memory sizes, secrets, tag lengths)", async () => {
  for (let i = 0; i < 24; i++) {
    const p = randomInt(1, 7);
    const input: Argon2Input = {
      password: randomBytes(randomInt(0, 80)),
      salt: randomBytes(randomInt(8, 33)),
      params: { m: 8 * p + randomInt(0, 600), t: randomInt(1, 5), p },
      length: randomInt(4, 130),
      ...(i % 3 === 0 ? { secret: randomBytes(randomInt(1, 33)) } : {}),
      ...(i % 4 === 0 ? { ad: randomBytes(randomInt(1, 20)) } : {}),
    };
    assert.equal(hex(await argon2idInTurn(input)), native(input), JSON.stringify({ ...input.params, length: input.length }));
  }
});

test("the account's parameters (m = 64 MiB, t = 3, p = 4) equal node:crypto.argon2", async () => {
  const input: Argon2Input = { password: randomBytes(24), salt: randomBytes(16), params: { m: 65536, t: 3, p: 4 }, length: 32 };
  assert.equal(hex(await argon2idInTurn(input)), native(input));
});

test("lanes split between workers and filled in reverse order within a slice give the same tag", async () => {
  const input: Argon2Input = { password: randomBytes(12), salt: randomBytes(16), params: { m: 512, t: 3, p: 5 }, length: 32 };
  const layout = layoutOf(input.params, 2);
  const memory = memoryFor(layout);
  const bytes = new Uint8Array(memory.buffer);
  writeFirstBlocks(bytes, input, layout);
  const kernel = kernelOf(await kernelModule(), memory);
  for (let pass = 0; pass < 3; pass++) {
    for (let slice = 0; slice < 4; slice++) {
      fillSlice(kernel, layout, pass, slice, [3, 1], 1); // worker 1's lanes, its own scratch
      fillSlice(kernel, layout, pass, slice, [4, 2, 0], 0);
    }
  }
  assert.equal(hex(finalTag(bytes, layout, 32)), native(input));
});

test("parameters below Argon2's minimum are refused before any memory is taken", () => {
  assert.throws(() => layoutOf({ m: 31, t: 3, p: 4 }, 1), RangeError);
  assert.throws(() => layoutOf({ m: 64, t: 0, p: 4 }, 1), RangeError);
  assert.throws(() => layoutOf({ m: 64, t: 3, p: 0 }, 1), RangeError);
});
