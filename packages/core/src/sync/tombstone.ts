// Authenticated deletes: a tombstone is an item envelope (same key, same AAD as the item) whose plaintext
// says "deleted at version rev". The server's own `deleted` flag is unauthenticated, so a client never
// deletes anything on the server's word alone; and the server cannot tell a delete from an edit.
import { utf8 } from "../encoding/bytes.ts";
import { CryptexError } from "../errors.ts";
import { aad } from "../formats/aad.ts";
import { sealEnvelope } from "../formats/envelope.ts";
import { openItemJson } from "../formats/item-envelope.ts";
import type { AccountKeys } from "../keys/derive.ts";
import type { ItemId } from "../keys/ids.ts";
import { bool, int, literal, obj, parse, str } from "../schema/shape.ts";
import { type Item, itemShape } from "../vault/item.ts";

const tombstoneShape = obj({
  v: literal(1),
  id: str({ max: 36 }),
  rev: int(1, Number.MAX_SAFE_INTEGER),
  deleted: bool,
});

/** What an item ciphertext from a server or store opens to. */
export type Opened = { readonly kind: "item"; readonly item: Item } | { readonly kind: "tombstone"; readonly rev: number };

export async function encryptTombstone(keys: AccountKeys, id: ItemId, rev: number): Promise<Uint8Array> {
  return sealEnvelope(keys.item, utf8(JSON.stringify({ v: 1, id, rev, deleted: true })), aad("item", keys.accountId, id));
}

/** Opens an item envelope that may hold an item or a tombstone; every failure is a typed CryptexError. */
export async function openItemOrTombstone(keys: AccountKeys, id: ItemId, ciphertext: Uint8Array): Promise<Opened> {
  const value = await openItemJson(keys, id, ciphertext);
  const isTombstone = typeof value === "object" && value !== null && (value as { deleted?: unknown }).deleted === true;
  let opened: Opened;
  try {
    opened = isTombstone
      ? { kind: "tombstone", rev: parse(tombstoneShape, value).rev }
      : { kind: "item", item: parse(itemShape, value) as Item };
  } catch (e) {
    throw new CryptexError("invalid_item", `item does not match the schema: ${(e as Error).message}`);
  }
  const innerId = opened.kind === "item" ? opened.item.id : (value as { id: string }).id;
  if (innerId !== id) throw new CryptexError("tampered", "item id inside the ciphertext does not match");
  return opened;
}

export const openedRev = (o: Opened): number => (o.kind === "item" ? o.item.rev : o.rev);
