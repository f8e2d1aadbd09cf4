// The exact bytes signed with the Ed25519 auth key. Binding the action, the server's origin, the account
// and a one-time server challenge stops relaying a signature to another server, account or action.
//   "cryptex/v1/<action>" ‖ 0x00 ‖ origin (UTF-8) ‖ 0x00 ‖ account id (16) ‖ challenge (32) ‖ SHA-256(payload)
import { sha256 } from "@noble/hashes/sha2.js";
import { concat, u32be, utf8 } from "../encoding/bytes.ts";
import { uuidToBytes } from "../encoding/uuid.ts";

export type AuthAction = "signup" | "signin" | "change-password" | "reset" | "delete" | "rotate-key";

export const SIGNUP_CHALLENGE = new Uint8Array(32);

export function authMessage(
  action: AuthAction,
  origin: string,
  accountId: string,
  challenge: Uint8Array,
  payload: Uint8Array = new Uint8Array(0),
): Uint8Array {
  return concat(
    utf8(`cryptex/v1/${action}`),
    new Uint8Array([0]),
    utf8(origin),
    new Uint8Array([0]),
    uuidToBytes(accountId),
    challenge,
    sha256(payload),
  );
}

export function changePasswordPayload(authPublicKey: Uint8Array, eakGeneration: number, wrappedEak: Uint8Array): Uint8Array {
  return concat(authPublicKey, u32be(eakGeneration), wrappedEak);
}

export function rotateKeyPayload(
  authPublicKey: Uint8Array,
  eakGeneration: number,
  wrappedEak: Uint8Array,
  verifier: Uint8Array,
): Uint8Array {
  return concat(authPublicKey, u32be(eakGeneration), u32be(wrappedEak.length), wrappedEak, verifier);
}

export function resetPayload(confirm: string, authPublicKey: Uint8Array): Uint8Array {
  return concat(utf8(confirm), new Uint8Array([0]), authPublicKey);
}

/** The origin string both sides sign: scheme://host[:port], lower case, default port omitted. */
export function canonicalOrigin(url: string): string {
  return new URL(url).origin;
}
