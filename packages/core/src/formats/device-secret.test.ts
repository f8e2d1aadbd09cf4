import assert from "node:assert/strict";
import { test } from "node:test";
import { isSealedDeviceSecret, openDeviceSecret, sealDeviceSecret } from "./device-secret.ts";
import { freshAccountKeys } from "./test-keys.ts";

const SECRET = "webdav-pass-5e1b9c";

test("device secret: sealed text hides the secret and opens with the same keys and name", async () => {
  const keys = await freshAccountKeys();
  const sealed = await sealDeviceSecret(keys, "webdav https://dav.example/", SECRET);
  assert.ok(isSealedDeviceSecret(sealed));
  assert.ok(!sealed.includes(SECRET));
  assert.notEqual(await sealDeviceSecret(keys, "webdav https://dav.example/", SECRET), sealed, "a fresh nonce each time");
  assert.equal(await openDeviceSecret(keys, "webdav https://dav.example/", sealed), SECRET);
});

test("device secret: another name, another account or a flipped bit is tampered; malformed is invalid input", async () => {
  const keys = await freshAccountKeys();
  const sealed = await sealDeviceSecret(keys, "webdav https://dav.example/", SECRET);
  await assert.rejects(openDeviceSecret(keys, "webdav https://evil.example/", sealed), { code: "tampered" });
  await assert.rejects(openDeviceSecret(await freshAccountKeys(), "webdav https://dav.example/", sealed), { code: "tampered" });
  const flipped = sealed.slice(0, -3) + (sealed.at(-3) === "A" ? "B" : "A") + sealed.slice(-2);
  await assert.rejects(openDeviceSecret(keys, "webdav https://dav.example/", flipped), { code: "tampered" });
  await assert.rejects(openDeviceSecret(keys, "x", "sealed1.@@@"), { code: "invalid_input" });
  await assert.rejects(openDeviceSecret(keys, "x", `sealed1.${"A".repeat(5000)}`), { code: "invalid_input" });
});

test("device secret: a value kept in clear by an older version is returned as it is", async () => {
  const keys = await freshAccountKeys();
  assert.equal(await openDeviceSecret(keys, "webdav https://dav.example/", SECRET), SECRET);
});
