// The verifier (docs/security.md §1, the seed's "known text"): lets a new device check that the Account Key it
// decrypted belongs to this account before it trusts the key and syncs items in.
import { b64uDecode, b64uEncode } from "../encoding/base64.ts";
import { equalBytes, utf8 } from "../encoding/bytes.ts";
import { CryptexError } from "../errors.ts";
import type { AccountKeys } from "../keys/derive.ts";
import { aad } from "./aad.ts";
import { openEnvelope, sealEnvelope } from "./envelope.ts";

export const VERIFIER_TEXT = utf8("Cryptex verifier v1. This text is public; decrypting it proves the Account Key is right.");

export async function createVerifier(keys: AccountKeys): Promise<string> {
  return b64uEncode(await sealEnvelope(keys.verifier, VERIFIER_TEXT, aad("verifier", keys.accountId)));
}

/** Throws `foreign_key` unless the verifier decrypts to the known text under this account's key. */
export async function checkVerifier(keys: AccountKeys, verifier: string): Promise<void> {
  const bytes = typeof verifier === "string" && verifier.length < 1024 ? b64uDecode(verifier) : undefined;
  if (!bytes) throw new CryptexError("invalid_input", "malformed verifier");
  let plain: Uint8Array;
  try {
    plain = await openEnvelope(keys.verifier, bytes, aad("verifier", keys.accountId));
  } catch (e) {
    if (e instanceof CryptexError && e.code === "unsupported_format") throw e;
    throw new CryptexError("foreign_key", "the Account Key does not match this account's verifier");
  }
  if (!equalBytes(plain, VERIFIER_TEXT)) throw new CryptexError("foreign_key", "the Account Key does not match this account's verifier");
}
