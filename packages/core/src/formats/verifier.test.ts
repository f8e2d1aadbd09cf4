import assert from "node:assert/strict";
import { test } from "node:test";
import { generateAccountKey } from "../keys/account-key.ts";
import { deriveAccountKeys } from "../keys/derive.ts";
import { createEak } from "./eak.ts";
import { freshAccountKeys } from "./test-keys.ts";
import { checkVerifier, createVerifier } from "./verifier.ts";
import { unwrapEak, wrapEak } from "./wrapped-eak.ts";

test("verifier: accepts the right key, refuses another account's", async () => {
  const keys = await freshAccountKeys();
  const v = await createVerifier(keys);
  await checkVerifier(keys, v);
  await assert.rejects(checkVerifier(await freshAccountKeys(), v), { code: "foreign_key" });
  await assert.rejects(checkVerifier(keys, "@@@"), { code: "invalid_input" });
});

test("wrapped EAK: round trip; the generation is authenticated", async () => {
  const ak = generateAccountKey();
  const keys = await freshAccountKeys();
  const own = await deriveAccountKeys(ak, keys.accountId);
  const { eak } = await createEak("tangerine-Quartz-velvet-42-moor", ak, keys.accountId);
  const w = await wrapEak(own, eak, 3);
  assert.deepEqual((await unwrapEak(own, w, 3)).bytes, eak.bytes);
  await assert.rejects(unwrapEak(own, w, 2), { code: "tampered" });
  await assert.rejects(unwrapEak(keys, w, 3), { code: "tampered" });
});
