// Device-local blind lookup of items by title: tag = HMAC-SHA256(lookup key, "title" ‖ 0 ‖ normalised title)[0..16].
// It lets `cryptex get TITLE` find one item without decrypting the whole index. Tags are kept only in the
// device's own store, never sent; they reveal only which items share a title, and only with the AK's key.
import { utf8 } from "../encoding/bytes.ts";
import type { AccountKeys } from "../keys/derive.ts";

export const normaliseTitle = (title: string): string => title.normalize("NFKC").trim().toLowerCase();

export async function titleTag(keys: AccountKeys, title: string): Promise<Uint8Array> {
  const mac = await globalThis.crypto.subtle.sign("HMAC", keys.lookup, utf8(`title\u0000${normaliseTitle(title)}`) as BufferSource);
  return new Uint8Array(mac, 0, 16);
}
