// Test helper: a fresh account's keys without an Argon2id run (the AK is random, not password-derived).
import { generateAccountKey } from "../keys/account-key.ts";
import { type AccountKeys, deriveAccountKeys } from "../keys/derive.ts";
import { newAccountId } from "../keys/ids.ts";

export async function freshAccountKeys(): Promise<AccountKeys> {
  return deriveAccountKeys(generateAccountKey(), newAccountId());
}
