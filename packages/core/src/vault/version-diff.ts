// What changed between two saved versions of an item, field by field, and restoring one as a new edit. Pure:
// the apps render the changes; secrets are marked so they are masked until the user asks to see them.
import { type Field, type Item, type ItemVersion, normaliseFolder } from "./item.ts";
import { replacedSecrets, unionHistory } from "./merge-item.ts";

export type VersionChangeKind = "added" | "removed" | "changed";

/** One difference: a field (by name) or one of the item's own parts (title, notes, tags, favorite, folder, trash). */
export interface VersionChange {
  readonly part: "title" | "notes" | "tags" | "favorite" | "folder" | "trash" | "field";
  /** the field's name, or the part's name */
  readonly name: string;
  readonly change: VersionChangeKind;
  readonly before?: string;
  readonly after?: string;
  /** a hidden or one-time-password field: shown masked unless revealed */
  readonly secret: boolean;
}

const SECRET_KINDS: ReadonlySet<Field["kind"]> = new Set(["hidden", "totp"]);

function part(p: Exclude<VersionChange["part"], "field">, before: string, after: string): VersionChange[] {
  if (before === after) return [];
  const change: VersionChangeKind = before === "" ? "added" : after === "" ? "removed" : "changed";
  return [{ part: p, name: p, change, ...(before ? { before } : {}), ...(after ? { after } : {}), secret: false }];
}

/** The changes that lead from version `a` to version `b`: item parts first, then fields in `b`'s order, then removed fields. */
export function diffVersions(a: ItemVersion, b: ItemVersion): VersionChange[] {
  const out: VersionChange[] = [
    ...part("title", a.title, b.title),
    ...part("folder", a.folder ?? "", b.folder ?? ""),
    ...part("tags", a.tags.join(", "), b.tags.join(", ")),
    ...part("favorite", a.favorite ? "yes" : "", b.favorite ? "yes" : ""),
    ...part("trash", a.trashed ? "in the trash" : "", b.trashed ? "in the trash" : ""),
  ];
  const key = (f: Field) => f.name.toLowerCase();
  const before = new Map(a.fields.map((f) => [key(f), f]));
  const after = new Set(b.fields.map(key));
  for (const f of b.fields) {
    const old = before.get(key(f));
    const secret = SECRET_KINDS.has(f.kind) || (old !== undefined && SECRET_KINDS.has(old.kind));
    if (!old) {
      if (f.value !== "") out.push({ part: "field", name: f.name, change: "added", after: f.value, secret });
    } else if (old.value !== f.value || old.kind !== f.kind) {
      const change: VersionChangeKind = old.value === "" ? "added" : f.value === "" ? "removed" : "changed";
      out.push({
        part: "field",
        name: f.name,
        change,
        ...(old.value ? { before: old.value } : {}),
        ...(f.value ? { after: f.value } : {}),
        secret,
      });
    }
  }
  for (const f of a.fields)
    if (!after.has(key(f)) && f.value !== "")
      out.push({ part: "field", name: f.name, change: "removed", before: f.value, secret: SECRET_KINDS.has(f.kind) });
  out.push(...part("notes", a.notes, b.notes));
  return out;
}

/**
 * Restoring a version is a new edit of the current one: the version's content with the current item's id,
 * history and trash state, its counter one above. Saved with `Vault.save(restored, current)`, it syncs and
 * obeys the conflict rules like any edit; secrets it replaces go to the password history.
 */
export function restoreVersion(current: Item, version: ItemVersion, now = Date.now()): Item {
  const folder = normaliseFolder(version.folder ?? "");
  const { folder: _old, ...rest } = current;
  const restored: Item = {
    ...rest,
    ...(folder ? { folder } : {}),
    rev: current.rev + 1,
    title: version.title,
    fields: version.fields.map((f) => ({ ...f })),
    notes: version.notes,
    tags: [...version.tags],
    favorite: version.favorite,
    updatedAt: now,
  };
  return { ...restored, history: unionHistory(replacedSecrets(current, restored, now), current.history) };
}
