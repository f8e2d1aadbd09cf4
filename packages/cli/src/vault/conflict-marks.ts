// Which listed items are conflict copies, for list and search output: the index carries each copy's
// `conflictOf`, so no item is decrypted; the original's title comes from the same index.
import type { IndexEntry } from "@cryptex/core/formats/vault-index.ts";
import type { ItemId } from "@cryptex/core/ids.ts";
import type { ConflictMark } from "../io/render.ts";
import type { UnlockedVault } from "./unlock.ts";

export async function conflictMarks(
  _v: UnlockedVault,
  shown: readonly IndexEntry[],
  all: readonly IndexEntry[],
): Promise<Map<ItemId, ConflictMark>> {
  const titles = new Map(all.map((e) => [e.id, e.title]));
  const marks = new Map<ItemId, ConflictMark>();
  for (const e of shown) if (e.conflictOf) marks.set(e.id, { conflictOf: e.conflictOf, originalTitle: titles.get(e.conflictOf) });
  return marks;
}
