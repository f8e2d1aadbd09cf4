// The opt-in deep-search index: per item, the lower-cased text the bulk index leaves out (notes, custom field
// names, values of fields that are not secret, attachment names). Kept on the device only, as one AEAD envelope under a key
// derived from the Account Key, and brought up to date incrementally: only items whose revision changed
// are decrypted again.
import { fromUtf8, utf8 } from "../../encoding/bytes.ts";
import { CryptexError } from "../../errors.ts";
import { aad } from "../../formats/aad.ts";
import { openEnvelope, sealEnvelope } from "../../formats/envelope.ts";
import type { IndexEntry } from "../../formats/vault-index.ts";
import type { ItemId } from "../../keys/ids.ts";
import type { LocalKeys } from "../health/health-keys.ts";
import type { Item } from "../item.ts";

/** Text kept per item; longer notes are searched in their first 32 KiB (keeps 10,000 items in memory). */
export const MAX_DOC_CHARS = 32 * 1024;
const SECRET_KINDS = new Set(["hidden", "totp"]);

/** What deep search reads of an item: notes, custom field names, values that are not secrets, attachment names. */
export function deepText(item: Item): string {
  const parts: string[] = [];
  for (const f of item.fields) {
    if (f.custom) parts.push(f.name);
    if (!SECRET_KINDS.has(f.kind) && f.value) parts.push(f.value);
  }
  parts.push(item.notes);
  for (const a of item.attachments ?? []) parts.push(a.name);
  return parts.join("\n").toLowerCase().slice(0, MAX_DOC_CHARS);
}

interface Doc {
  readonly rev: number;
  readonly text: string;
}

export class DeepIndex {
  private readonly docs = new Map<ItemId, Doc>();

  get size(): number {
    return this.docs.size;
  }

  textOf(id: ItemId): string | undefined {
    return this.docs.get(id)?.text;
  }

  put(item: Item): void {
    this.docs.set(item.id, { rev: item.rev, text: deepText(item) });
  }

  /** Brings the index to `entries`: reads the items whose revision changed, drops those gone. */
  async refresh(entries: Iterable<IndexEntry>, read: (id: ItemId) => Promise<Item>): Promise<{ updated: number; removed: number }> {
    const seen = new Set<ItemId>();
    let updated = 0;
    for (const e of entries) {
      seen.add(e.id);
      if (this.docs.get(e.id)?.rev === e.rev) continue;
      this.put(await read(e.id));
      updated++;
    }
    let removed = 0;
    for (const id of [...this.docs.keys()])
      if (!seen.has(id)) {
        this.docs.delete(id);
        removed++;
      }
    return { updated, removed };
  }

  /** The documents as [id, rev, text]: what a keyless copy in another realm (the web page) is made from. */
  toDocs(): [ItemId, number, string][] {
    return [...this.docs].map(([id, d]) => [id, d.rev, d.text]);
  }

  static fromDocs(docs: readonly (readonly [ItemId, number, string])[]): DeepIndex {
    const index = new DeepIndex();
    for (const [id, rev, text] of docs) index.docs.set(id, { rev, text: text.slice(0, MAX_DOC_CHARS) });
    return index;
  }

  async seal(keys: LocalKeys): Promise<Uint8Array> {
    const docs = [...this.docs].map(([id, d]) => [id, d.rev, d.text]);
    return sealEnvelope(keys.deepIndex, utf8(JSON.stringify({ v: 1, docs })), aad("deep-index", keys.accountId));
  }

  static async open(keys: LocalKeys, bytes: Uint8Array): Promise<DeepIndex> {
    const data = JSON.parse(fromUtf8(await openEnvelope(keys.deepIndex, bytes, aad("deep-index", keys.accountId)))) as {
      v?: unknown;
      docs?: unknown;
    };
    if (data.v !== 1 || !Array.isArray(data.docs)) throw new CryptexError("unsupported_format", "unknown deep index format");
    const index = new DeepIndex();
    for (const d of data.docs) {
      if (!Array.isArray(d) || typeof d[0] !== "string" || !Number.isSafeInteger(d[1]) || typeof d[2] !== "string") continue;
      index.docs.set(d[0] as ItemId, { rev: d[1] as number, text: (d[2] as string).slice(0, MAX_DOC_CHARS) });
    }
    return index;
  }
}
