// Device-local keys of the health report and deep search, derived from the Account Key: one HMAC key that
// names a password without revealing it (reuse groups, score and breach caches) and AES keys for the caches.
import { hkdfAesKey, hkdfHmacKey } from "../../crypto/hkdf.ts";
import { b64uEncode } from "../../encoding/base64.ts";
import { utf8 } from "../../encoding/bytes.ts";
import type { AccountKey } from "../../keys/account-key.ts";
import { info } from "../../keys/derive.ts";
import { type AccountId, uuidToBytes } from "../../keys/ids.ts";

export interface LocalKeys {
  readonly accountId: AccountId;
  /** HMAC-SHA256: password → fingerprint (never leaves the device) */
  readonly fingerprint: CryptoKey;
  /** AES-256-GCM: the encrypted score and breach cache */
  readonly healthCache: CryptoKey;
  /** AES-256-GCM: the deep-search index */
  readonly deepIndex: CryptoKey;
}

export async function deriveLocalKeys(ak: AccountKey, accountId: AccountId): Promise<LocalKeys> {
  const ikm = utf8(ak);
  const salt = uuidToBytes(accountId);
  const [fingerprint, healthCache, deepIndex] = await Promise.all([
    hkdfHmacKey(ikm, salt, info("password-fingerprint")),
    hkdfAesKey(ikm, salt, info("health-cache")),
    hkdfAesKey(ikm, salt, info("deep-index")),
  ]);
  return Object.freeze({ accountId, fingerprint, healthCache, deepIndex });
}

/** A password's keyed fingerprint (128 bits, base64url): equal passwords give equal fingerprints under one
 * account, and nothing about the password can be learnt from it without the key. */
export async function passwordFingerprint(keys: LocalKeys, password: string): Promise<string> {
  const mac = new Uint8Array(await globalThis.crypto.subtle.sign("HMAC", keys.fingerprint, utf8(password) as BufferSource));
  return b64uEncode(mac.subarray(0, 16));
}
