// Unlock sessions (like `bw unlock`): the Account Key sealed under a random 32-byte key that only the token
// holds. The vault file alone cannot open a session; the token alone is useless without the file.
import type { AccountKey } from "@cryptex/core/account-key.ts";
import { b64uDecode, b64uEncode } from "@cryptex/core/encoding/base64.ts";
import { type AccountId, newUuid } from "@cryptex/core/ids.ts";
import { openSessionKey, sealSessionKey } from "@cryptex/core/vault/session-seal.ts";
import { CliError } from "../errors/cli-error.ts";
import type { SqliteVaultStore } from "../store/sqlite-store.ts";

const PREFIX = "cxs1_";
export const TOKEN_RE = /^cxs1_([0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;
export const DEFAULT_SESSION_MINUTES = 30;

export async function createSession(store: SqliteVaultStore, accountId: AccountId, ak: AccountKey, minutes: number): Promise<string> {
  const id = newUuid();
  const { sealed, tokenKey } = await sealSessionKey(ak, accountId, id);
  const now = Date.now();
  store.putSession({ id, sealed, createdAt: now, expiresAt: now + minutes * 60_000 });
  return `${PREFIX}${id}_${b64uEncode(tokenKey)}`;
}

/** The AK of a valid session token, or a `locked` error saying why the token does not work. */
export async function openSession(store: SqliteVaultStore, accountId: AccountId, token: string): Promise<AccountKey> {
  const m = TOKEN_RE.exec(token.trim());
  if (!m) throw new CliError("locked", "CRYPTEX_SESSION is not a cryptex session token");
  const row = store.readSession(m[1]!);
  if (!row) throw new CliError("locked", "the session has ended (cryptex lock, or another vault); run cryptex unlock");
  if (row.expiresAt < Date.now()) throw new CliError("locked", "the session has expired; run cryptex unlock");
  const ak = await openSessionKey(b64uDecode(m[2]!)!, row.sealed, accountId, row.id);
  if (!ak) throw new CliError("locked", "the session token does not open this vault; run cryptex unlock");
  return ak;
}
