// Full item history: every saved version of an item travels inside the item's own encrypted body, so it syncs
// through every target the item does and the server never sees it (docs/sync.md, "Item history"). Pure.
import { type Item, type ItemVersion, itemSize, LIMITS } from "./item.ts";

/** How many earlier versions an item keeps unless the device is set otherwise. */
export const DEFAULT_VERSIONS_KEPT = 50;

/** The parts of a version a person edits, with who saved it and when. */
export function snapshotOf(item: Item): ItemVersion {
  return {
    rev: item.rev,
    savedAt: item.updatedAt,
    ...(item.savedBy ? { savedBy: item.savedBy } : {}),
    title: item.title,
    fields: item.fields.map((f) => ({ ...f })),
    notes: item.notes,
    tags: [...item.tags],
    favorite: item.favorite,
    ...(item.folder ? { folder: item.folder } : {}),
    trashed: item.trashedAt !== null,
  };
}

const contentKey = (v: ItemVersion) => JSON.stringify([v.title, v.fields, v.notes, v.tags, v.favorite, v.folder ?? "", v.trashed]);
/**
 * A version's identity: its counter, save time, device and content. Every device that holds a version holds
 * these same values (they travel inside the item), so two histories can be compared by them (sync's merge base).
 */
export const versionId = (v: ItemVersion): string => JSON.stringify([v.rev, v.savedAt, v.savedBy ?? "", contentKey(v)]);

/** Whether two versions hold the same content (who saved them, when and at which counter aside). */
export function sameVersionContent(a: ItemVersion, b: ItemVersion): boolean {
  return contentKey(a) === contentKey(b);
}

/** Every version of the lists, once each, newest first (by save time, then counter). */
export function unionVersions(...lists: readonly (readonly ItemVersion[] | undefined)[]): ItemVersion[] {
  const seen = new Set<string>();
  const out: ItemVersion[] = [];
  for (const v of lists.flatMap((l) => l ?? [])) {
    const k = versionId(v);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(v);
  }
  return out.sort((x, y) => y.savedAt - x.savedAt || y.rev - x.rev);
}

/**
 * `item` as saved after `earlier`: `earlier` joins its versions when its content differs from the new one
 * (a save that changed nothing adds no version).
 */
export function withVersionOf(item: Item, earlier: Item): Item {
  const snap = snapshotOf(earlier);
  if (sameVersionContent(snap, snapshotOf(item))) return item;
  return { ...item, versions: unionVersions([snap], item.versions, earlier.versions) };
}

/** `item` with every version of `others` merged into its own (a merge keeps each side's history). */
export function withVersionsOf(item: Item, ...others: readonly Item[]): Item {
  const own = snapshotOf(item);
  const extra = others.map(snapshotOf).filter((s) => !sameVersionContent(s, own));
  return { ...item, versions: unionVersions(item.versions, extra, ...others.map((o) => o.versions)) };
}

/**
 * Keeps at most `kept` versions, and drops the oldest ones further until the whole item fits
 * `LIMITS.itemBytes`: the current content always wins over history.
 */
export function boundVersions(item: Item, kept = DEFAULT_VERSIONS_KEPT): Item {
  if (!item.versions) return item;
  const n = Math.max(0, Math.min(Math.floor(kept), LIMITS.versions));
  const versions = item.versions.slice(0, n);
  const fits = (count: number) => itemSize({ ...item, versions: versions.slice(0, count) }) <= LIMITS.itemBytes;
  if (fits(versions.length)) return { ...item, versions };
  // the largest count that fits: the size only grows with each older version kept
  let lo = 0;
  let hi = versions.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  return { ...item, versions: versions.slice(0, lo) };
}

/** One entry of an item's history as the apps list it: number 1 is the oldest; the last is the current version. */
export interface ItemHistoryEntry {
  readonly number: number;
  readonly current: boolean;
  readonly version: ItemVersion;
}

/** The item's versions, oldest first, numbered from 1, ending with the current one. */
export function itemHistory(item: Item): ItemHistoryEntry[] {
  const list = [...(item.versions ?? [])].reverse();
  list.push(snapshotOf(item));
  return list.map((version, i) => ({ number: i + 1, current: i === list.length - 1, version }));
}
