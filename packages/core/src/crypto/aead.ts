// AES-256-GCM through WebCrypto: sealed = nonce (12 random bytes) ‖ ciphertext ‖ tag (16).
// Every call takes AAD; callers build it with formats/aad.ts so each ciphertext is bound to its purpose.
import { CryptexError } from "../errors.ts";
import { randomBytes } from "./random.ts";

export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;

const subtle = () => globalThis.crypto.subtle;

export async function importAesKey(raw: Uint8Array): Promise<CryptoKey> {
  if (raw.length !== 32) throw new RangeError("AES-256 key must be 32 bytes");
  return subtle().importKey("raw", raw as BufferSource, { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
}

export async function seal(key: CryptoKey, plaintext: Uint8Array, aad: Uint8Array): Promise<Uint8Array> {
  return sealWithNonce(key, randomBytes(NONCE_BYTES), plaintext, aad);
}

/** Exposed for known-answer tests only; production code always uses a fresh random nonce via seal(). */
export async function sealWithNonce(key: CryptoKey, nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Promise<Uint8Array> {
  const ct = new Uint8Array(
    await subtle().encrypt(
      { name: "AES-GCM", iv: nonce as BufferSource, additionalData: aad as BufferSource, tagLength: 128 },
      key,
      plaintext as BufferSource,
    ),
  );
  const out = new Uint8Array(nonce.length + ct.length);
  out.set(nonce, 0);
  out.set(ct, nonce.length);
  return out;
}

/** Opens nonce ‖ ct ‖ tag; any failure is one detail-free `tampered` error. */
export async function open(key: CryptoKey, sealed: Uint8Array, aad: Uint8Array): Promise<Uint8Array> {
  return openWithNonce(key, sealed.subarray(0, NONCE_BYTES), sealed.subarray(NONCE_BYTES), aad);
}

export async function openWithNonce(key: CryptoKey, nonce: Uint8Array, ctAndTag: Uint8Array, aad: Uint8Array): Promise<Uint8Array> {
  if (nonce.length < 1 || ctAndTag.length < TAG_BYTES) throw new CryptexError("tampered", "ciphertext failed to verify");
  try {
    return new Uint8Array(
      await subtle().decrypt(
        { name: "AES-GCM", iv: nonce as BufferSource, additionalData: aad as BufferSource, tagLength: 128 },
        key,
        ctAndTag as BufferSource,
      ),
    );
  } catch {
    throw new CryptexError("tampered", "ciphertext failed to verify");
  }
}
