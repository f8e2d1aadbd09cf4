// The read path's key derivation must stay identical to core's deriveAccountKeys.
import assert from "node:assert/strict";
import { test } from "node:test";
import { decryptItem, encryptItem } from "@cryptex/core/formats/item-envelope.ts";
import { checkVerifier, createVerifier } from "@cryptex/core/formats/verifier.ts";
import { generateAccountKey } from "@cryptex/core/keys/account-key.ts";
import { deriveAccountKeys } from "@cryptex/core/keys/derive.ts";
import { newAccountId } from "@cryptex/core/keys/ids.ts";
import { createItem } from "@cryptex/core/vault/item.ts";
import { deriveItemKeys } from "./item-keys.ts";

test("deriveItemKeys gives the same keys as core's deriveAccountKeys", async () => {
  const ak = generateAccountKey();
  const id = newAccountId();
  const core = await deriveAccountKeys(ak, id);
  const mine = await deriveItemKeys(ak, id);
  const item = createItem({ type: "login", title: "x", fields: { password: "p" } });
  assert.deepEqual(await decryptItem(mine, item.id, await encryptItem(core, item)), item);
  assert.deepEqual(await decryptItem(core, item.id, await encryptItem(mine, item)), item);
  await checkVerifier(mine, await createVerifier(core));
  assert.deepEqual(mine.manifest, core.manifest);
  const other = await deriveItemKeys(generateAccountKey(), id);
  await assert.rejects(decryptItem(other, item.id, await encryptItem(core, item)));
});
