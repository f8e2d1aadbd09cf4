// Merging two versions of one item that met without a known base (sync: a remote version and a local edit).
// Every item carries its saved versions (item-versions.ts), so the base is the newest version both lines hold;
// the merge is then the editor's three-way merge (merge-item.ts), made symmetric so that any two devices that
// merge the same pair store the same item. Pure.
import type { Item, ItemVersion } from "./item.ts";
import { sameVersionContent, snapshotOf, versionId } from "./item-versions.ts";
import { mergeItems } from "./merge-item.ts";

/** An item and every version it was made from: its line of saved versions. */
const lineOf = (it: Item): ItemVersion[] => [snapshotOf(it), ...(it.versions ?? [])];

/**
 * Newest first. The counter comes first: every save and merge puts it above the versions it was made from, so
 * it follows cause and effect where device clocks may not; ties fall to time, then identity.
 */
const newestFirst = (x: ItemVersion, y: ItemVersion): number =>
  y.rev - x.rev || y.savedAt - x.savedAt || (versionId(y) < versionId(x) ? -1 : versionId(y) > versionId(x) ? 1 : 0);

/**
 * The newest version both lines hold (the items themselves count), or undefined when they share none. Held
 * means by identity, or, for each side's current version, by content: an edit that changes no version content
 * (an attachment added) adds no version, and merging only reads the base's content, which that side still has.
 */
export function commonBase(a: Item, b: Item): ItemVersion | undefined {
  const [la, lb] = [lineOf(a), lineOf(b)];
  const inA = new Set(la.map(versionId));
  const [sa, sb] = [la[0]!, lb[0]!];
  return [...lb.filter((v) => inA.has(versionId(v)) || sameVersionContent(v, sa)), ...la.filter((v) => sameVersionContent(v, sb))].sort(
    newestFirst,
  )[0];
}

/**
 * The base version as an item, to merge against. Versions do not record attachments: the base holds those
 * both sides hold alike, so one side's new file is kept and one side's removal is not applied (a file is
 * never lost, at worst one comes back).
 */
function baseItem(v: ItemVersion, a: Item, b: Item): Item {
  const theirs = new Set((b.attachments ?? []).map((x) => JSON.stringify(x)));
  const attachments = (a.attachments ?? []).filter((x) => theirs.has(JSON.stringify(x)));
  return {
    v: 1,
    id: a.id,
    type: a.type,
    rev: v.rev,
    title: v.title,
    fields: v.fields.map((f) => ({ ...f })),
    notes: v.notes,
    tags: [...v.tags],
    favorite: v.favorite,
    ...(v.folder ? { folder: v.folder } : {}),
    trashedAt: v.trashed ? v.savedAt : null,
    createdAt: Math.min(a.createdAt, b.createdAt),
    updatedAt: v.savedAt,
    history: [],
    ...(attachments.length > 0 ? { attachments } : {}),
  };
}

/** A fixed order of two versions that does not depend on which device holds which. */
function ordered(a: Item, b: Item): [Item, Item] {
  if (a.rev !== b.rev) return a.rev < b.rev ? [a, b] : [b, a];
  if (a.updatedAt !== b.updatedAt) return a.updatedAt < b.updatedAt ? [a, b] : [b, a];
  return JSON.stringify(a) <= JSON.stringify(b) ? [a, b] : [b, a];
}

/**
 * Merges two concurrent versions of one item against their common base: the merged item (above both, holding
 * both lines' versions), or undefined when they share no version, changed the type, or both changed one slot
 * (the caller keeps both). `merge(a, b)` and `merge(b, a)` are the same item: no clock, device or side is read.
 */
export function mergeConcurrent(a: Item, b: Item): Item | undefined {
  if (a.id !== b.id || a.type !== b.type) return undefined;
  const v = commonBase(a, b);
  if (!v) return undefined;
  const [x, y] = ordered(a, b);
  const out = mergeItems(baseItem(v, a, b), x, y, Math.max(a.updatedAt, b.updatedAt));
  return out.kind === "merged" ? out.item : undefined;
}
