// Ed25519 signature checks with @noble/curves (strict RFC 8032 verification, zip215: false). The server
// never imports core's crypto: the bytes signed come from core's wire/auth-message.ts.
import { ed25519 } from "@noble/curves/ed25519.js";

/** A fixed valid public key: unknown accounts are checked against it so they cost the same time. */
const DECOY_KEY = ed25519.getPublicKey(new Uint8Array(32).fill(7));

export function verifySignature(publicKey: Uint8Array | undefined, message: Uint8Array, signature: Uint8Array): boolean {
  try {
    return ed25519.verify(signature, message, publicKey ?? DECOY_KEY, { zip215: false }) && publicKey !== undefined;
  } catch {
    return false;
  }
}
