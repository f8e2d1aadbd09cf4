// Item ciphertexts (docs/security.md §1): one envelope per item, AAD = (purpose, account id, item id) plus the
// envelope version, so a ciphertext moved to another item or account fails to open. The per-item version
// counter (`rev`) lives inside the ciphertext, so it cannot be rewritten without the key.
import { fromUtf8, utf8 } from "../encoding/bytes.ts";
import { CryptexError } from "../errors.ts";
import type { AccountKeys } from "../keys/derive.ts";
import type { ItemId } from "../keys/ids.ts";
import { parse } from "../schema/shape.ts";
import { type Item, itemShape } from "../vault/item.ts";
import { LIMITS } from "../wire/limits.ts";
import { aad } from "./aad.ts";
import { openEnvelope, sealEnvelope } from "./envelope.ts";

/** Upper bound of one item ciphertext a device opens; anything larger is hostile. */
export const MAX_ITEM_CIPHERTEXT = LIMITS.itemCiphertextRead;

export async function encryptItem(keys: AccountKeys, item: Item): Promise<Uint8Array> {
  return sealEnvelope(keys.item, utf8(JSON.stringify(parse(itemShape, item))), aad("item", keys.accountId, item.id));
}

/** Opens an item envelope to its JSON value (an item or, see sync/tombstone.ts, a tombstone); typed errors only. */
export async function openItemJson(keys: AccountKeys, id: ItemId, ciphertext: Uint8Array): Promise<unknown> {
  if (ciphertext.length > MAX_ITEM_CIPHERTEXT) throw new CryptexError("invalid_item", "item ciphertext is too large");
  const plain = await openEnvelope(keys.item, ciphertext, aad("item", keys.accountId, id));
  try {
    return JSON.parse(fromUtf8(plain));
  } catch {
    throw new CryptexError("invalid_item", "item does not decode as JSON");
  }
}

/** The same envelope content under another Account Key's item key (key rotation): items and tombstones alike. */
export async function reencryptItem(from: AccountKeys, to: AccountKeys, id: ItemId, ciphertext: Uint8Array): Promise<Uint8Array> {
  if (ciphertext.length > MAX_ITEM_CIPHERTEXT) throw new CryptexError("invalid_item", "item ciphertext is too large");
  const plain = await openEnvelope(from.item, ciphertext, aad("item", from.accountId, id));
  return sealEnvelope(to.item, plain, aad("item", to.accountId, id));
}

export async function decryptItem(keys: AccountKeys, id: ItemId, ciphertext: Uint8Array): Promise<Item> {
  const value = await openItemJson(keys, id, ciphertext);
  let item: Item;
  try {
    item = parse(itemShape, value) as Item;
  } catch (e) {
    throw new CryptexError("invalid_item", `item does not match the schema: ${(e as Error).message}`);
  }
  if (item.id !== id) throw new CryptexError("tampered", "item id inside the ciphertext does not match");
  return item;
}
