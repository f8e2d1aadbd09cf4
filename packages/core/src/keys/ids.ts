// Branded ids (docs/security.md §1): account and item ids are random UUIDs, 16 bytes inside formats.
import { randomBytes } from "../crypto/random.ts";
import { bytesToUuid } from "../encoding/uuid.ts";
import { CryptexError } from "../errors.ts";

export type AccountId = string & { readonly __brand: "AccountId" };
export type ItemId = string & { readonly __brand: "ItemId" };

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export function newUuid(): string {
  const b = randomBytes(16);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  return bytesToUuid(b);
}

export const newAccountId = (): AccountId => newUuid() as AccountId;
export const newItemId = (): ItemId => newUuid() as ItemId;

/** Many item ids from one call to the random source (an import of 10,000 items pays one, not 10,000). */
export function newItemIds(count: number): ItemId[] {
  const all = randomBytes(16 * count);
  const out: ItemId[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const b = all.subarray(16 * i, 16 * i + 16);
    b[6] = (b[6]! & 0x0f) | 0x40;
    b[8] = (b[8]! & 0x3f) | 0x80;
    out[i] = bytesToUuid(b) as ItemId;
  }
  return out;
}

export function isUuid(s: unknown): s is string {
  return typeof s === "string" && UUID_RE.test(s);
}

export function parseAccountId(s: unknown): AccountId {
  if (!isUuid(s)) throw new CryptexError("invalid_input", "invalid account id");
  return s as AccountId;
}

export function parseItemId(s: unknown): ItemId {
  if (!isUuid(s)) throw new CryptexError("invalid_input", "invalid item id");
  return s as ItemId;
}

export { bytesToUuid, uuidToBytes } from "../encoding/uuid.ts";
