// The sign-in key pair, in its own module because Ed25519 (@noble/curves) costs ~45 ms of import time
// that the unlock-and-read path of a CLI must not pay.
import { type SigningKeyPair, signingKeyFromSeed } from "../crypto/ed25519.ts";
import { hkdfBytes } from "../crypto/hkdf.ts";
import { concat, utf8 } from "../encoding/bytes.ts";
import type { AccountKey } from "./account-key.ts";
import { info } from "./derive.ts";
import { type AccountId, uuidToBytes } from "./ids.ts";

/** Ed25519 seeded by HKDF(S ‖ AK): the server's public key allows no offline guessing of P without AK. */
export async function deriveAuthKey(stretched: Uint8Array, ak: AccountKey, accountId: AccountId): Promise<SigningKeyPair> {
  const seed = await hkdfBytes(concat(stretched, utf8(ak)), uuidToBytes(accountId), info("auth"), 32);
  return signingKeyFromSeed(seed);
}
