// The EAK wrapped under an AK-derived key (docs/security.md §1): stored by the server so other devices learn a new
// EAK after a password change. The generation (bumped on each change) is authenticated, so a server cannot
// serve an older EAK (and so an older password) as the current one.
import { b64uDecode, b64uEncode } from "../encoding/base64.ts";
import { u32be } from "../encoding/bytes.ts";
import { CryptexError } from "../errors.ts";
import type { AccountKeys } from "../keys/derive.ts";
import { aad } from "./aad.ts";
import { type Eak, parseEak } from "./eak.ts";
import { openEnvelope, sealEnvelope } from "./envelope.ts";

export async function wrapEak(keys: AccountKeys, eak: Eak, generation: number): Promise<string> {
  if (eak.header.accountId !== keys.accountId) throw new CryptexError("foreign_key", "EAK of another account");
  return b64uEncode(await sealEnvelope(keys.eakWrap, eak.bytes, aad("eak-wrap", keys.accountId, undefined, u32be(generation))));
}

export async function unwrapEak(keys: AccountKeys, wrapped: string, generation: number): Promise<Eak> {
  const bytes = typeof wrapped === "string" && wrapped.length < 1024 ? b64uDecode(wrapped) : undefined;
  if (!bytes || !Number.isInteger(generation) || generation < 0) throw new CryptexError("invalid_input", "malformed wrapped account key");
  const plain = await openEnvelope(keys.eakWrap, bytes, aad("eak-wrap", keys.accountId, undefined, u32be(generation)));
  const eak = parseEak(plain);
  if (eak.header.accountId !== keys.accountId) throw new CryptexError("foreign_key", "EAK of another account");
  return eak;
}

/**
 * Learns a password change made on another device: the server's newer wrapped EAK, unwrapped with the AK;
 * undefined when the generation is the one known; `rollback` for an older one.
 */
export async function adoptNewEak(
  keys: AccountKeys,
  account: { readonly wrappedEak: string; readonly eakGeneration: number },
  knownGeneration: number,
): Promise<Eak | undefined> {
  if (account.eakGeneration < knownGeneration)
    throw new CryptexError("rollback", "the server offers an older account key wrapping than this device has seen");
  if (account.eakGeneration === knownGeneration) return undefined;
  return unwrapEak(keys, account.wrappedEak, account.eakGeneration);
}
