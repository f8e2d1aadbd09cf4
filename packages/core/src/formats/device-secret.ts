// A credential a device keeps for a sync place (a WebDAV password), sealed at rest like the server token
// (formats/server-token.ts): under the Account-Key-derived at-rest key, with the credential's name in the AAD, so
// a copy of the device's files alone does not hand out the storage login. Text form "sealed1.<base64url envelope>".
import { b64uDecode, b64uEncode } from "../encoding/base64.ts";
import { fromUtf8, utf8 } from "../encoding/bytes.ts";
import { CryptexError } from "../errors.ts";
import type { AccountKeys } from "../keys/derive.ts";
import { aad } from "./aad.ts";
import { openEnvelope, sealEnvelope } from "./envelope.ts";

const PREFIX = "sealed1.";
const MAX_STORED = 4096;

export async function sealDeviceSecret(keys: AccountKeys, name: string, secret: string): Promise<string> {
  return (
    PREFIX + b64uEncode(await sealEnvelope(keys.serverToken, utf8(secret), aad("device-secret", keys.accountId, undefined, utf8(name))))
  );
}

export const isSealedDeviceSecret = (stored: string): boolean => stored.startsWith(PREFIX);

/** The secret from its sealed form, or as it is when an older version kept it in clear; `tampered` under another name or key. */
export async function openDeviceSecret(keys: AccountKeys, name: string, stored: string): Promise<string> {
  if (!isSealedDeviceSecret(stored)) return stored;
  const bytes = stored.length <= MAX_STORED ? b64uDecode(stored.slice(PREFIX.length)) : undefined;
  if (!bytes) throw new CryptexError("invalid_input", "malformed sealed credential");
  return fromUtf8(await openEnvelope(keys.serverToken, bytes, aad("device-secret", keys.accountId, undefined, utf8(name))));
}
