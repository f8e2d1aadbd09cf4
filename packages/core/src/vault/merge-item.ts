// Three-way merge of two versions of one item against the version both started from (the base). Pure:
// the engine decides what to store; this only says whether the two changes can be combined field by field.
import { type Field, type Item, LIMITS, type PasswordHistoryEntry } from "./item.ts";
import { withVersionsOf } from "./item-versions.ts";

/** `merged`: every changed slot was changed on one side only (or identically); `conflict`: names the slots both changed. */
export type MergeOutcome = { readonly kind: "merged"; readonly item: Item } | { readonly kind: "conflict"; readonly slots: string[] };

// A slot is one thing a person edits: the title, the notes, the tags, favourite, folder, trash, or one field by name.
// Its value is compared as a string; "" never stands for absence (absent fields are undefined).
type Slots = Map<string, string | undefined>;

const fieldKey = (name: string) => `field:${name.toLowerCase()}`;
const fieldText = (f: Field) => JSON.stringify([f.name, f.kind, f.value, f.custom ?? false]);

function slotsOf(it: Item): Slots {
  const s: Slots = new Map([
    ["type", it.type],
    ["title", it.title],
    ["notes", it.notes],
    ["tags", JSON.stringify([...it.tags].sort())],
    ["favorite", String(it.favorite)],
    ["folder", it.folder],
    // trash is compared as in or out: two devices trashing at different times agree
    ["trash", String(it.trashedAt !== null)],
  ]);
  for (const f of it.fields) s.set(fieldKey(f.name), fieldText(f));
  // each attachment is its own slot, so two devices attaching different files both keep theirs
  for (const a of it.attachments ?? []) s.set(`attachment:${a.id}`, JSON.stringify(a));
  return s;
}

/** Whether two versions hold the same things a person edits (version counters and times aside). */
export function sameContent(a: Item, b: Item): boolean {
  const x = slotsOf(a);
  const y = slotsOf(b);
  return x.size === y.size && [...x].every(([k, v]) => y.get(k) === v);
}

/** Password history entries of both versions, once each, newest first, bounded. */
export function unionHistory(a: readonly PasswordHistoryEntry[], b: readonly PasswordHistoryEntry[]): PasswordHistoryEntry[] {
  const seen = new Set<string>();
  const out: PasswordHistoryEntry[] = [];
  for (const h of [...a, ...b]) {
    const k = JSON.stringify([h.field, h.value, h.changedAt]);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(h);
  }
  return out.sort((x, y) => y.changedAt - x.changedAt).slice(0, LIMITS.history);
}

/** History entries for every non-empty hidden value of `older` that `newer` no longer holds in that field. */
export function replacedSecrets(older: Item, newer: Item, now: number): PasswordHistoryEntry[] {
  const out: PasswordHistoryEntry[] = [];
  for (const f of older.fields) {
    if (f.kind !== "hidden" || f.value === "") continue;
    const kept = newer.fields.find((x) => x.name.toLowerCase() === f.name.toLowerCase());
    if (kept?.value === f.value) continue;
    if (newer.history.some((h) => h.field.toLowerCase() === f.name.toLowerCase() && h.value === f.value)) continue;
    out.push({ field: f.name, value: f.value, changedAt: now });
  }
  return out;
}

/**
 * Merges `mine` (this editor's change) and `theirs` (the stored version that moved meanwhile), both made
 * from `base`. A slot changed on one side takes that side's value; changed on both to the same value, that
 * value; changed on both differently, the merge is a conflict. The result's `rev` is above both sides.
 */
export function mergeItems(base: Item, theirs: Item, mine: Item, now: number): MergeOutcome {
  const b = slotsOf(base);
  const t = slotsOf(theirs);
  const m = slotsOf(mine);
  const merged: Slots = new Map();
  const conflicts: string[] = [];
  for (const k of new Set([...b.keys(), ...t.keys(), ...m.keys()])) {
    const [bv, tv, mv] = [b.get(k), t.get(k), m.get(k)];
    if (tv === mv || tv === bv) merged.set(k, mv);
    else if (mv === bv) merged.set(k, tv);
    else conflicts.push(k);
  }
  if (conflicts.length > 0) return { kind: "conflict", slots: conflicts };
  const pick = (k: string) => (merged.get(k) === m.get(k) ? mine : theirs);
  // field order: this editor's, then fields only the other side added, in its order
  const fields: Field[] = [];
  for (const f of [...mine.fields, ...theirs.fields]) {
    const k = fieldKey(f.name);
    const v = merged.get(k);
    if (v === undefined || fields.some((x) => fieldKey(x.name) === k)) continue;
    fields.push({ ...(pick(k) === mine ? mine : theirs).fields.find((x) => fieldKey(x.name) === k)! });
  }
  const attachments = [...(mine.attachments ?? []), ...(theirs.attachments ?? [])].filter(
    (a, i, all) => merged.get(`attachment:${a.id}`) !== undefined && all.findIndex((x) => x.id === a.id) === i,
  );
  const { attachments: _mine, folder: _folder, ...mineRest } = mine;
  const folder = pick("folder").folder;
  const item: Item = {
    ...mineRest,
    ...(attachments.length > 0 ? { attachments } : {}),
    ...(folder ? { folder } : {}),
    rev: Math.max(theirs.rev, mine.rev) + 1,
    type: pick("type").type,
    title: pick("title").title,
    notes: pick("notes").notes,
    tags: [...pick("tags").tags],
    favorite: pick("favorite").favorite,
    trashedAt: pick("trash").trashedAt,
    fields,
    history: unionHistory(mine.history, theirs.history),
    createdAt: Math.min(mine.createdAt, theirs.createdAt),
    updatedAt: Math.max(now, mine.updatedAt, theirs.updatedAt),
  };
  // both sides were saved versions: each stays in the merged item's history
  return { kind: "merged", item: withVersionsOf(item, theirs, mine) };
}
