// Cryptex's own exports back in: the plaintext JSON (also the web app's earlier download) and the
// encrypted export file. Every field is already in our shape; items get new ids on import,
// and an item whose id this vault already holds (the same account's own export) is not imported again.
import { readExport } from "../../export/cryptex-export.ts";
import { readCryptexJson } from "../../export/cryptex-json.ts";
import type { Item } from "../../vault/item.ts";
import { type ImportedItem, type ParseResult, ParseSink } from "../imported-item.ts";

export function fromCryptexItems(items: readonly Item[]): ParseResult {
  const sink = new ParseSink();
  for (const i of items) {
    const p: ImportedItem = {
      type: i.type,
      title: i.title,
      fields: i.fields.map((f) => ({ ...f })),
      notes: i.notes,
      tags: [...i.tags],
      favorite: i.favorite,
      folder: i.folder ?? "",
      trashed: i.trashedAt !== null,
      history: i.history.map((h) => ({ ...h })),
      createdAt: i.createdAt,
      updatedAt: i.updatedAt,
      sourceId: i.id,
    };
    sink.items.push(p);
    if (i.conflictOf) sink.note(i.title, "its mark as a conflict copy (imported as an ordinary item)", "lost");
  }
  return sink.result();
}

export const parseCryptexJson = (json: unknown): ParseResult => fromCryptexItems(readCryptexJson(json));

export const parseCryptexExport = async (bytes: Uint8Array, password: string): Promise<ParseResult> =>
  fromCryptexItems(await readExport(bytes, password));
