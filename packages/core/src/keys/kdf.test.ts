import assert from "node:assert/strict";
import { test } from "node:test";
import { checkKdfParams, KDF_DEFAULT, stretchPassword } from "./kdf.ts";

test("KDF floor and ceiling", () => {
  checkKdfParams(KDF_DEFAULT);
  for (const bad of [
    { m: 65535, t: 3, p: 4 },
    { m: 65536, t: 2, p: 4 },
    { m: 65536, t: 3, p: 0 },
    { m: 2 ** 21, t: 3, p: 4 },
    { m: 65536, t: 17, p: 4 },
    { m: 1048576, t: 8, p: 4 },
    { m: 65536.5, t: 3, p: 4 },
  ]) {
    assert.throws(() => checkKdfParams(bad), { code: "kdf_params_rejected" }, JSON.stringify(bad));
  }
});

test("stretchPassword normalises to NFKC and depends on the salt", async () => {
  const salt = new Uint8Array(16).fill(1);
  const a = await stretchPassword("Å-ﬁ-password", salt, KDF_DEFAULT);
  const b = await stretchPassword("Å-fi-password", salt, KDF_DEFAULT);
  assert.deepEqual(a, b);
  const c = await stretchPassword("Å-fi-password", new Uint8Array(16).fill(2), KDF_DEFAULT);
  assert.notDeepEqual(a, c);
});
