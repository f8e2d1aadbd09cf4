// The server session token as a device keeps it at rest: sealed under an Account-Key-derived key, so a copy of the
// vault file alone (a backup, a disk image) cannot sync as this device. Text form "sealed1.<base64url envelope>".
import { b64uDecode, b64uEncode } from "../encoding/base64.ts";
import { fromUtf8, utf8 } from "../encoding/bytes.ts";
import { CryptexError } from "../errors.ts";
import type { AccountKeys } from "../keys/derive.ts";
import { aad } from "./aad.ts";
import { openEnvelope, sealEnvelope } from "./envelope.ts";

const PREFIX = "sealed1.";

export async function sealServerToken(keys: AccountKeys, token: string): Promise<string> {
  return PREFIX + b64uEncode(await sealEnvelope(keys.serverToken, utf8(token), aad("server-token", keys.accountId)));
}

export const isSealedServerToken = (stored: string): boolean => stored.startsWith(PREFIX);

/** The token, from its sealed form or (written by an older version) clear text; undefined when none is kept. */
export async function openServerToken(keys: AccountKeys, stored: string | undefined): Promise<string | undefined> {
  if (stored === undefined) return undefined;
  if (!isSealedServerToken(stored)) return stored;
  const bytes = stored.length < 1024 ? b64uDecode(stored.slice(PREFIX.length)) : undefined;
  if (!bytes) throw new CryptexError("invalid_input", "malformed sealed server token");
  return fromUtf8(await openEnvelope(keys.serverToken, bytes, aad("server-token", keys.accountId)));
}
