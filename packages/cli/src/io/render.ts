// Renderers shared by commands: items and index entries as text or as JSON with stable field names.
import type { IndexEntry } from "@cryptex/core/formats/vault-index.ts";
import type { Item } from "@cryptex/core/vault/item.ts";

export const entryJson = (e: IndexEntry) => ({
  id: e.id,
  type: e.type,
  title: e.title,
  subtitle: e.subtitle,
  urls: e.urls,
  tags: e.tags,
  favorite: e.favorite,
  trashed: e.trashed,
  updatedAt: new Date(e.updatedAt).toISOString(),
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
  createdAt: new Date(i.createdAt).toISOString(),
  updatedAt: new Date(i.updatedAt).toISOString(),
  ...(i.conflictOf ? { conflictOf: i.conflictOf } : {}),
});

export function entriesText(entries: readonly IndexEntry[]): string {
  if (entries.length === 0) return "(no items)";
  const w = Math.min(40, Math.max(5, ...entries.map((e) => e.title.length)));
  return entries
    .map((e) => {
      const star = e.favorite ? "★" : " ";
      const title = e.title.length > w ? `${e.title.slice(0, w - 1)}…` : e.title.padEnd(w);
      return `${e.id.slice(0, 8)} ${star} ${title}  ${e.type.padEnd(16)} ${e.subtitle}`.trimEnd();
    })
    .join("\n");
}

export function itemText(i: Item, reveal: boolean): string {
  const lines = [`${i.title}${i.favorite ? " ★" : ""}`, `  id:      ${i.id}`, `  type:    ${i.type}`];
  if (i.conflictOf) lines.push(`  conflict copy of ${i.conflictOf}`);
  if (i.trashedAt !== null) lines.push("  (in the trash)");
  for (const f of i.fields) {
    const hidden = (f.kind === "hidden" || f.kind === "totp") && !reveal;
    lines.push(`  ${`${f.name}:`.padEnd(9)}${hidden ? "•••••••• (--reveal or --field)" : f.value}`);
  }
  if (i.tags.length) lines.push(`  tags:    ${i.tags.join(", ")}`);
  if (i.notes) lines.push("  notes:", ...i.notes.split("\n").map((l) => `    ${l}`));
  lines.push(`  updated: ${new Date(i.updatedAt).toISOString()}`);
  return lines.join("\n");
}
