// The AK-derived keys for the read path, without core/keys/derive.ts: that module also holds the Ed25519
// auth key, and importing @noble/curves costs ~45 ms, most of the 50 ms budget of `cryptex get`.
// Same labels and salts as deriveAccountKeys (DESIGN.md §2); item-keys.test.ts proves they agree.
// Delete this file when core splits deriveAuthKey into its own module.
import { hkdfAesKey, hkdfBytes } from "@cryptex/core/crypto/hkdf.ts";
import { utf8 } from "@cryptex/core/encoding/bytes.ts";
import type { AccountKey } from "@cryptex/core/keys/account-key.ts";
import type { AccountKeys } from "@cryptex/core/keys/derive.ts";
import { type AccountId, uuidToBytes } from "@cryptex/core/keys/ids.ts";

const info = (label: string) => utf8(`cryptex/v1/${label}`);

export async function deriveItemKeys(ak: AccountKey, accountId: AccountId): Promise<AccountKeys> {
  const ikm = utf8(ak);
  const salt = uuidToBytes(accountId);
  const [item, index, verifier, eakWrap, manifest] = await Promise.all([
    hkdfAesKey(ikm, salt, info("items")),
    hkdfAesKey(ikm, salt, info("index")),
    hkdfAesKey(ikm, salt, info("verifier")),
    hkdfAesKey(ikm, salt, info("eak-wrap")),
    hkdfBytes(ikm, salt, info("manifest"), 32),
  ]);
  return Object.freeze({ accountId, item, index, verifier, eakWrap, manifest });
}
