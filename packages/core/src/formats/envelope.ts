// The small AEAD envelope shared by verifier, wrapped EAK, items, index segments and exports:
//   version (1 byte) ‖ nonce (12) ‖ ciphertext ‖ tag (16); the version byte is also appended to the AAD.
import { NONCE_BYTES, open, seal, TAG_BYTES } from "../crypto/aead.ts";
import { concat } from "../encoding/bytes.ts";
import { CryptexError } from "../errors.ts";

export const ENVELOPE_OVERHEAD = 1 + NONCE_BYTES + TAG_BYTES;

export async function sealEnvelope(key: CryptoKey, plaintext: Uint8Array, aad: Uint8Array): Promise<Uint8Array> {
  const v = new Uint8Array([1]);
  return concat(v, await seal(key, plaintext, concat(aad, v)));
}

export async function openEnvelope(key: CryptoKey, envelope: Uint8Array, aad: Uint8Array): Promise<Uint8Array> {
  if (envelope.length < ENVELOPE_OVERHEAD) throw new CryptexError("tampered", "ciphertext failed to verify");
  const version = envelope[0];
  switch (version) {
    case 1:
      return open(key, envelope.subarray(1), concat(aad, new Uint8Array([1])));
    default:
      throw new CryptexError("unsupported_format", `unsupported ciphertext version ${version}`);
  }
}
