// The merge of a log target: a pure function of the set of versions of one item, so every device that
// has read the same files reaches the same vault without talking to the others. Heads are the versions
// no other version names as a base. One head is the item; several are concurrent edits: a deterministic
// winner keeps the id and every other distinct value becomes a conflict copy whose id and content are
// derived from the losing version, so two devices that see the same conflict show the same copy.
// An edit beats a delete, as on the server target; no clock decides anything but the copy's own dates.
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { concat, toHex, utf8 } from "../../encoding/bytes.ts";
import type { AccountKeys } from "../../keys/derive.ts";
import { bytesToUuid, type ItemId, uuidToBytes } from "../../keys/ids.ts";
import { type Item, LIMITS } from "../../vault/item.ts";
import type { Opened } from "../tombstone.ts";

export interface Head {
  readonly tag: Uint8Array;
  readonly opened: Opened;
}

export type Merged =
  | { readonly kind: "item"; readonly item: Item; readonly tag: Uint8Array; readonly copies: readonly Item[] }
  | { readonly kind: "deleted"; readonly rev: number };

const DOMAIN = utf8("cryptex/v1/conflict-copy\0");

/** A conflict copy's id: HMAC(account key material, item id ‖ losing tag) shaped as a v4 UUID. */
export function conflictCopyId(keys: AccountKeys, id: ItemId, loserTag: Uint8Array): ItemId {
  const b = hmac(sha256, keys.manifest, concat(DOMAIN, uuidToBytes(id), loserTag)).slice(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  return bytesToUuid(b) as ItemId;
}

/** JSON with sorted keys: two encodings of the same value compare equal. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object")
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(value) ?? "null";
}

/** Greatest (rev, updatedAt, tag) first: total and the same on every device. */
function compareHeads(a: { item: Item; tag: string }, b: { item: Item; tag: string }): number {
  if (a.item.rev !== b.item.rev) return b.item.rev - a.item.rev;
  if (a.item.updatedAt !== b.item.updatedAt) return b.item.updatedAt - a.item.updatedAt;
  return a.tag < b.tag ? 1 : a.tag > b.tag ? -1 : 0;
}

export function copyOf(keys: AccountKeys, id: ItemId, loser: Item, loserTag: Uint8Array): Item {
  return {
    ...loser,
    id: conflictCopyId(keys, id, loserTag),
    rev: 1,
    title: `${loser.title} (conflict copy)`.slice(0, LIMITS.title),
    conflictOf: id,
    createdAt: loser.updatedAt,
    updatedAt: loser.updatedAt,
  };
}

/** Merges the heads of one item (at least one). */
export function mergeHeads(keys: AccountKeys, id: ItemId, heads: readonly Head[]): Merged {
  const only = heads.length === 1 ? heads[0]! : undefined;
  if (only)
    return only.opened.kind === "item"
      ? { kind: "item", item: only.opened.item, tag: only.tag, copies: [] }
      : { kind: "deleted", rev: only.opened.rev };
  const items = heads
    .flatMap((h) => (h.opened.kind === "item" ? [{ item: h.opened.item, tag: toHex(h.tag), raw: h.tag }] : []))
    .sort(compareHeads);
  if (items.length === 0)
    return { kind: "deleted", rev: Math.max(...heads.map((h) => (h.opened.kind === "tombstone" ? h.opened.rev : 0))) };
  const [winner, ...losers] = items as [(typeof items)[number], ...typeof items];
  const seen = new Set([canonical(winner.item)]);
  const copies: Item[] = [];
  for (const l of losers) {
    const key = canonical(l.item);
    if (seen.has(key)) continue; // the same value reached twice is not a conflict
    seen.add(key);
    copies.push(copyOf(keys, id, l.item, l.raw));
  }
  return { kind: "item", item: winner.item, tag: winner.raw, copies };
}
