// The sync engine's decisions, as pure functions over versions already opened: what a remote version does
// to the local one (pull), what a local save does to the stored one (save), and how both-edited versions
// are kept. The engine (engine.ts) only decrypts before and encrypts and writes after.
import { type ItemId, newItemId } from "../keys/ids.ts";
import { type Item, itemSize, LIMITS } from "../vault/item.ts";
import { withVersionOf, withVersionsOf } from "../vault/item-versions.ts";
import { mergeItems, replacedSecrets, sameContent, unionHistory } from "../vault/merge-item.ts";
import { mergeConcurrent } from "../vault/merge-item-base.ts";
import type { StoredItem } from "./ports.ts";
import { type Opened, openedRev } from "./tombstone.ts";

/** The other version of a conflict as a new item, so both survive; it names the item it came from. */
export function conflictCopy(item: Item, at: number, id: ItemId = newItemId()): Item {
  return {
    ...item,
    id,
    rev: 1,
    title: `${item.title} (conflict copy)`.slice(0, LIMITS.title),
    conflictOf: item.id,
    createdAt: at,
    updatedAt: at,
  };
}

/**
 * Both sides edited: `mine` keeps the id above both versions, with any secret `theirs` held that it replaces
 * in its history (and, on a save, the stored version's history too) and `theirs` among its saved versions;
 * `theirs` becomes a copy.
 */
export function keepBoth(
  mine: Item,
  theirs: Item,
  at: number,
  opts: { theirHistory: boolean; copyId?: ItemId },
): { winner: Item; copy: Item } {
  const history = opts.theirHistory ? unionHistory(mine.history, theirs.history) : mine.history;
  const winner: Item = {
    ...withVersionsOf(mine, theirs),
    rev: Math.max(mine.rev, theirs.rev) + 1,
    history: unionHistory(replacedSecrets(theirs, mine, at), history),
  };
  return { winner, copy: conflictCopy(theirs, at, opts.copyId) };
}

/** An edit made while the item was deleted elsewhere survives, with a version above the delete's. */
export const survivingEdit = (mine: Item, deletedAt: number): Item => ({ ...mine, rev: Math.max(mine.rev, deletedAt) + 1 });

/** What a pending local edit and a remote version of the same item become: one merged item, or both kept. */
export type BothEdited =
  | { readonly kind: "same" }
  | { readonly kind: "merged"; readonly item: Item }
  | { readonly kind: "conflict"; readonly winner: Item; readonly copy: Item };

/**
 * A pull's `mine-and-copy` resolved. `same`: both are one version (the same plaintext). `merged`: they share
 * a saved version, changed different slots since it, and fit one item; the merged item is the same on every device that
 * merges this pair, so two devices never trade new revisions of it. `conflict`: `mine` keeps the id above
 * both and `theirs` becomes a copy, as before.
 */
export function judgeBothEdited(mine: Item, theirs: Item, at: number, copyId?: ItemId): BothEdited {
  // the very same version (two devices that merged one pair both pushed it): take theirs, no new revision
  if (JSON.stringify(mine) === JSON.stringify(theirs)) return { kind: "same" };
  const merged = mergeConcurrent(mine, theirs);
  // one item must still fit the size limit without its history; if the two sides together do not, both are kept
  if (merged && itemSize({ ...merged, versions: [] }) <= LIMITS.itemBytes) return { kind: "merged", item: merged };
  const { winner, copy } = keepBoth(mine, theirs, at, { theirHistory: false, copyId });
  return { kind: "conflict", winner, copy };
}

/** The local state of one item, as the pull judges it. */
export type LocalState = Pick<StoredItem, "pending" | "deleted" | "revision" | "seenRev"> & { readonly hasData: boolean };
/** A remote version: opened, unreadable (why), or not held by the server (a conflict answer without data). */
export type RemoteVersion = Opened | { readonly kind: "unreadable"; readonly reason: string } | { readonly kind: "absent" };

/** What one remote version does here. `mine-*` outcomes need this device's pending version to build the result. */
export type PullDecision =
  | { readonly kind: "skip" }
  | { readonly kind: "quarantine"; readonly reason: string }
  | { readonly kind: "delete"; readonly seenRev: number }
  | { readonly kind: "mine-survives-delete"; readonly deletedAt: number }
  | { readonly kind: "mine-and-copy"; readonly theirs: Item }
  | { readonly kind: "accept"; readonly item: Item; readonly seenRev: number; readonly deletedHere: boolean };

/** A version at or below the base of our pending edit is one we already built on: not a conflict, not news. */
export const builtOn = (local: Pick<StoredItem, "pending" | "revision"> | undefined, revision: number): boolean =>
  local?.pending === true && revision <= local.revision;

/**
 * Judges a remote version (server revision `revision`) against the local state. `sameData`: the remote
 * ciphertext is byte-identical to the local one (our own echo).
 */
export function judgeRemote(local: LocalState | undefined, revision: number, remote: RemoteVersion, sameData: boolean): PullDecision {
  if (builtOn(local, revision)) return { kind: "skip" };
  // the server cannot delete (deletes are encrypted tombstones): an item it no longer holds is refused when
  // it would hide something held here
  if (remote.kind === "absent")
    return local && !local.deleted ? { kind: "quarantine", reason: "unauthenticated_delete" } : { kind: "skip" };
  if (remote.kind === "unreadable") return { kind: "quarantine", reason: remote.reason };
  const rev = openedRev(remote);
  // an older version than one accepted, or a version not above a delete: a replay (our own echo is not)
  if (local && !sameData && (rev < local.seenRev || (local.deleted && !local.pending && rev <= local.seenRev)))
    return { kind: "quarantine", reason: "rollback" };
  const editedHere = local?.pending === true && !local.deleted && local.hasData;
  if (remote.kind === "tombstone") {
    if (editedHere) return { kind: "mine-survives-delete", deletedAt: rev };
    return { kind: "delete", seenRev: Math.max(rev, local?.seenRev ?? 0) };
  }
  if (editedHere && !sameData) return { kind: "mine-and-copy", theirs: remote.item };
  return {
    kind: "accept",
    item: remote.item,
    seenRev: Math.max(remote.item.rev, local?.seenRev ?? 0),
    deletedHere: local?.pending === true && local.deleted,
  };
}

/** What a local save stores: the edit as is, merged with a version stored meanwhile, or both kept. */
export type SaveDecision =
  | { readonly kind: "saved"; readonly item: Item }
  | { readonly kind: "merged"; readonly item: Item }
  | { readonly kind: "conflict"; readonly winner: Item; readonly copy: Item };

/**
 * Judges saving `item`, edited from `base`, over the stored version `stored` (undefined: none readable;
 * a tombstone: deleted elsewhere meanwhile) whose last accepted version counter is `seenRev`.
 */
export function judgeSave(stored: Opened | undefined, seenRev: number, base: Item, item: Item, at: number, copyId?: ItemId): SaveDecision {
  if (!stored || stored.kind === "tombstone") {
    // deleted for good elsewhere while edited here: the edit survives, above the delete's version
    const floor = Math.max(seenRev, stored ? stored.rev : 0);
    return { kind: "saved", item: { ...item, rev: Math.max(item.rev, floor + 1) } };
  }
  const cur = stored.item;
  if (cur.rev === base.rev) return { kind: "saved", item: { ...withVersionOf(item, cur), rev: Math.max(item.rev, cur.rev + 1) } };
  const merged = mergeItems(base, cur, item, at);
  if (merged.kind === "merged") return { kind: "merged", item: merged.item };
  // both changed one field: this save wins the id, the stored version is kept whole as a copy
  const { winner, copy } = keepBoth(item, cur, at, { theirHistory: true, copyId });
  return { kind: "conflict", winner, copy };
}

/** The stored version a purge of `base` must not delete unseen: one that moved since, with other content. */
export const movedSinceBase = (stored: Opened | undefined, base: Item): Item | undefined =>
  stored?.kind === "item" && stored.item.rev !== base.rev && !sameContent(base, stored.item) ? stored.item : undefined;
