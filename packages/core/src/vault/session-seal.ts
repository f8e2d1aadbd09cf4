// The Account Key sealed for an unlock session: under a fresh random 32-byte key that only the session
// token carries, bound to the account and the session id, so neither the stored seal nor the token opens alone.
import { importAesKey } from "../crypto/aead.ts";
import { randomBytes } from "../crypto/random.ts";
import { fromUtf8, utf8 } from "../encoding/bytes.ts";
import { aad } from "../formats/aad.ts";
import { openEnvelope, sealEnvelope } from "../formats/envelope.ts";
import { type AccountKey, isAccountKey } from "../keys/account-key.ts";
import type { AccountId } from "../keys/ids.ts";

export const SESSION_KEY_BYTES = 32;

/** Seals `ak` for session `sessionId`; the returned `tokenKey` belongs in the token, never beside `sealed`. */
export async function sealSessionKey(
  ak: AccountKey,
  accountId: AccountId,
  sessionId: string,
): Promise<{ sealed: Uint8Array; tokenKey: Uint8Array }> {
  const tokenKey = randomBytes(SESSION_KEY_BYTES);
  const sealed = await sealEnvelope(await importAesKey(tokenKey), utf8(ak), aad("session", accountId, sessionId));
  return { sealed, tokenKey };
}

/** The Account Key in `sealed`, or undefined when the token key, account or session id does not match it. */
export async function openSessionKey(
  tokenKey: Uint8Array,
  sealed: Uint8Array,
  accountId: AccountId,
  sessionId: string,
): Promise<AccountKey | undefined> {
  if (tokenKey.length !== SESSION_KEY_BYTES) return undefined;
  let text: string;
  try {
    text = fromUtf8(await openEnvelope(await importAesKey(tokenKey), sealed, aad("session", accountId, sessionId)));
  } catch {
    return undefined;
  }
  return isAccountKey(text) ? text : undefined;
}
