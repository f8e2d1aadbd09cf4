// The server (node:crypto) and core (its own SHA-256) compute the same kit fingerprint; fake ones look alike.
import assert from "node:assert/strict";
import { test } from "node:test";
import { kitFingerprint as clientFingerprint } from "@cryptex/core/client/account.ts";
import { createEak, eakToText } from "@cryptex/core/formats/eak.ts";
import { generateAccountKey } from "@cryptex/core/keys/account-key.ts";
import { newAccountId } from "@cryptex/core/keys/ids.ts";
import { fakeKit, kitFingerprint } from "../packages/server/src/auth/kit-fingerprint.ts";

test("the server's fingerprint of an EAK text is the client's, and a fake one has the same shape", async () => {
  const { eak } = await createEak("kit fingerprint test 42", generateAccountKey(), newAccountId());
  const text = eakToText(eak);
  assert.equal(kitFingerprint(text), clientFingerprint(eak));
  assert.match(kitFingerprint(text), /^[A-Za-z0-9_-]{22}$/);
  const secret = new Uint8Array(32).fill(7);
  assert.equal(fakeKit(secret, "A@b.example"), fakeKit(secret, "a@B.example"), "stable per e-mail");
  assert.notEqual(fakeKit(secret, "a@b.example"), fakeKit(secret, "c@b.example"));
  assert.match(fakeKit(secret, "a@b.example"), /^[A-Za-z0-9_-]{22}$/);
});
