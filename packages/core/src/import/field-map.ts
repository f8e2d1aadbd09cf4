// Labelled values (LastPass typed notes, mSecure fields, 1Password sections…) into a template: a label
// that names a slot fills it, any other becomes a custom field under its label and is reported.
import type { ItemBuilder } from "./imported-item.ts";

/** source label (lower case) -> our template slot */
export type SlotMap = Readonly<Record<string, string>>;

export function mapLabelled(b: ItemBuilder, pairs: Iterable<readonly [string, string]>, map: SlotMap): void {
  for (const [label, value] of pairs) {
    if (!value) continue;
    const slot = map[label.trim().toLowerCase()];
    if (slot === "notes") b.notes(value);
    else if (slot) b.set(slot, value, label);
    else b.extra(label, value);
  }
}
