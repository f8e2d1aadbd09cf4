// Which listed items are conflict copies (the item's `conflictOf`), for list and search output.
// The index carries no `conflictOf`, so only entries titled like a copy the sync engine made
// ("TITLE (conflict copy)") are decrypted to check; callers load this module only when such a title is listed.
import type { IndexEntry } from "@cryptex/core/formats/vault-index.ts";
import type { ItemId } from "@cryptex/core/keys/ids.ts";
import { type ConflictMark, mayBeConflictCopy } from "../io/render.ts";
import type { UnlockedVault } from "./unlock.ts";

const MAX_CHECKED = 1000;

export async function conflictMarks(
  v: UnlockedVault,
  shown: readonly IndexEntry[],
  all: readonly IndexEntry[],
): Promise<Map<ItemId, ConflictMark>> {
  const marks = new Map<ItemId, ConflictMark>();
  const candidates = shown.filter(mayBeConflictCopy).slice(0, MAX_CHECKED);
  if (candidates.length === 0) return marks;
  const { decryptItem } = await import("@cryptex/core/formats/item-envelope.ts");
  const titles = new Map(all.map((e) => [e.id, e.title]));
  for (const e of candidates) {
    const s = await v.store.readItem(e.id);
    if (!s || s.deleted || !s.data) continue;
    try {
      const item = await decryptItem(v.keys, e.id, s.data);
      if (item.conflictOf) marks.set(e.id, { conflictOf: item.conflictOf, originalTitle: titles.get(item.conflictOf) });
    } catch {
      // an item this device cannot read is listed without a mark (sync reports it)
    }
  }
  return marks;
}
