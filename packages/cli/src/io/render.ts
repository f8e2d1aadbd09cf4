// Renderers shared by commands: items and index entries as text or as JSON with stable field names.
import type { IndexEntry } from "@cryptex/core/formats/vault-index.ts";
import type { ItemId } from "@cryptex/core/ids.ts";
import type { Item } from "@cryptex/core/vault/item.ts";

/** A conflict copy's original (vault/conflict-marks.ts). */
export interface ConflictMark {
  readonly conflictOf: ItemId;
  readonly originalTitle: string | undefined;
}
export type Marks = ReadonlyMap<ItemId, ConflictMark>;

/** Conflict copies carry `conflictOf` in the index. */
export const mayBeConflictCopy = (e: IndexEntry): boolean => e.conflictOf !== undefined;
const NO_MARKS: Marks = new Map();

export const entryJson = (e: IndexEntry, marks: Marks = NO_MARKS) => ({
  id: e.id,
  type: e.type,
  title: e.title,
  subtitle: e.subtitle,
  urls: e.urls,
  tags: e.tags,
  favorite: e.favorite,
  trashed: e.trashed,
  folder: e.folder ?? "",
  updatedAt: new Date(e.updatedAt).toISOString(),
  ...(marks.has(e.id) ? { conflictOf: marks.get(e.id)!.conflictOf } : {}),
});

export const itemJson = (i: Item) => ({
  id: i.id,
  type: i.type,
  title: i.title,
  fields: i.fields.map((f) => ({ name: f.name, kind: f.kind, value: f.value, custom: f.custom ?? false })),
  notes: i.notes,
  tags: i.tags,
  favorite: i.favorite,
  trashed: i.trashedAt !== null,
  folder: i.folder ?? "",
  createdAt: new Date(i.createdAt).toISOString(),
  updatedAt: new Date(i.updatedAt).toISOString(),
  ...(i.conflictOf ? { conflictOf: i.conflictOf } : {}),
});

const markText = (m: ConflictMark) => `(conflict copy of ${m.originalTitle ? `"${m.originalTitle}"` : m.conflictOf.slice(0, 8)})`;

export function entriesText(entries: readonly IndexEntry[], marks: Marks = NO_MARKS): string {
  if (entries.length === 0) return "(no items)";
  const w = Math.min(40, Math.max(5, ...entries.map((e) => e.title.length)));
  return entries
    .map((e) => {
      const star = e.favorite ? "★" : " ";
      const title = e.title.length > w ? `${e.title.slice(0, w - 1)}…` : e.title.padEnd(w);
      const mark = marks.get(e.id);
      return `${e.id.slice(0, 8)} ${star} ${title}  ${e.type.padEnd(16)} ${e.subtitle}${mark ? `  ${markText(mark)}` : ""}`.trimEnd();
    })
    .join("\n");
}

/** `originalTitle`: the title of the item a conflict copy was made from, when the caller knows it. */
export function itemText(i: Item, reveal: boolean, originalTitle?: string): string {
  const lines = [`${i.title}${i.favorite ? " ★" : ""}`, `  id:      ${i.id}`, `  type:    ${i.type}`];
  if (i.conflictOf)
    lines.push(`  ${markText({ conflictOf: i.conflictOf, originalTitle })}: both devices changed the item; this is the other version`);
  if (i.trashedAt !== null) lines.push("  (in the trash)");
  for (const f of i.fields) {
    const hidden = (f.kind === "hidden" || f.kind === "totp") && !reveal;
    lines.push(`  ${`${f.name}:`.padEnd(9)}${hidden ? "•••••••• (--reveal or --field)" : f.value}`);
  }
  if (i.folder) lines.push(`  folder:  ${i.folder}`);
  if (i.tags.length) lines.push(`  tags:    ${i.tags.join(", ")}`);
  if (i.notes) lines.push("  notes:", ...i.notes.split("\n").map((l) => `    ${l}`));
  lines.push(`  updated: ${new Date(i.updatedAt).toISOString()}`);
  return lines.join("\n");
}
