// The session seal opens only with its own token key, account and session id.
import assert from "node:assert/strict";
import { test } from "node:test";
import { generateAccountKey } from "../keys/account-key.ts";
import { newAccountId, newUuid } from "../keys/ids.ts";
import { openSessionKey, sealSessionKey } from "./session-seal.ts";

test("a sealed Account Key opens with its token key, and not with another key, account or session", async () => {
  const ak = generateAccountKey();
  const account = newAccountId();
  const id = newUuid();
  const { sealed, tokenKey } = await sealSessionKey(ak, account, id);
  assert.equal(await openSessionKey(tokenKey, sealed, account, id), ak);
  const other = (await sealSessionKey(ak, account, id)).tokenKey;
  assert.equal(await openSessionKey(other, sealed, account, id), undefined);
  assert.equal(await openSessionKey(tokenKey, sealed, newAccountId(), id), undefined);
  assert.equal(await openSessionKey(tokenKey, sealed, account, newUuid()), undefined);
  assert.equal(await openSessionKey(tokenKey.subarray(1), sealed, account, id), undefined);
  assert.ok(!new TextDecoder().decode(sealed).includes(ak), "the seal does not carry the key in clear");
});
