import { hkdfAesKey, hkdfBytes, hkdfHmacKey } from "../crypto/hkdf.ts";
import { utf8 } from "../encoding/bytes.ts";
import type { AccountKey } from "./account-key.ts";
import { type AccountId, uuidToBytes } from "./ids.ts";

export const info = (label: string) => utf8(`cryptex/v1/${label}`);

export async function deriveKek(stretched: Uint8Array, accountId: AccountId): Promise<CryptoKey> {
  return hkdfAesKey(stretched, uuidToBytes(accountId), info("kek"));
}

/** Keys that hang off the Account Key; all non-extractable AES-256-GCM keys. */
export interface AccountKeys {
  readonly accountId: AccountId;
  readonly item: CryptoKey;
  readonly index: CryptoKey;
  readonly verifier: CryptoKey;
  readonly eakWrap: CryptoKey;
  readonly manifest: Uint8Array; // HMAC key material for the signed vault manifest
  /** HMAC key of the device-local title lookup (never leaves the device) */
  readonly lookup: CryptoKey;
  /** seals the server session token at rest (formats/server-token.ts) */
  readonly serverToken: CryptoKey;
}

export async function deriveAccountKeys(ak: AccountKey, accountId: AccountId): Promise<AccountKeys> {
  const ikm = utf8(ak);
  const salt = uuidToBytes(accountId);
  const [item, index, verifier, eakWrap, manifest, lookup, serverToken] = await Promise.all([
    hkdfAesKey(ikm, salt, info("items")),
    hkdfAesKey(ikm, salt, info("index")),
    hkdfAesKey(ikm, salt, info("verifier")),
    hkdfAesKey(ikm, salt, info("eak-wrap")),
    hkdfBytes(ikm, salt, info("manifest"), 32),
    hkdfHmacKey(ikm, salt, info("lookup")),
    hkdfAesKey(ikm, salt, info("server-token")),
  ]);
  return Object.freeze({ accountId, item, index, verifier, eakWrap, manifest, lookup, serverToken });
}
