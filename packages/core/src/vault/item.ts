// The vault item: the plaintext that exists only on devices. Its schema bounds every size, so a hostile
// ciphertext that decrypts (a buggy or old client of ours) still cannot crash or flood a device.
import { type Attachment, attachmentShape } from "../attachments/attachment.ts";
import { CryptexError } from "../errors.ts";
import { type ItemId, newItemId } from "../keys/ids.ts";
import { arr, bool, type Infer, int, nullable, obj, oneOf, str } from "../schema/shape.ts";
import { LIMITS } from "../wire/limits.ts";
import { FIELD_KINDS, ITEM_TYPES, type ItemType, template } from "./templates.ts";

export { LIMITS };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const time = int(0, 8.64e15);

const fieldShape = obj(
  {
    name: str({ min: 1, max: LIMITS.fieldName }),
    kind: oneOf(FIELD_KINDS),
    value: str({ max: LIMITS.fieldValue }),
    custom: bool,
  },
  ["custom"],
);

const historyShape = obj({ field: str({ min: 1, max: LIMITS.fieldName }), value: str({ max: LIMITS.fieldValue }), changedAt: time });

/** One earlier saved version of an item: what a person edits, who saved it and when (vault/item-versions.ts). */
const versionShape = obj(
  {
    rev: int(1, Number.MAX_SAFE_INTEGER),
    savedAt: time,
    savedBy: str({ max: LIMITS.deviceName }),
    title: str({ max: LIMITS.title }),
    fields: arr(fieldShape, LIMITS.fields),
    notes: str({ max: LIMITS.notes }),
    tags: arr(str({ min: 1, max: LIMITS.tag }), LIMITS.tags),
    favorite: bool,
    folder: str({ min: 1, max: LIMITS.folder }),
    trashed: bool,
  },
  ["savedBy", "folder"],
);

export const itemShape = obj(
  {
    v: int(1, 1),
    id: str({ max: 36, pattern: UUID }),
    rev: int(1, Number.MAX_SAFE_INTEGER),
    type: oneOf(ITEM_TYPES),
    title: str({ max: LIMITS.title }),
    fields: arr(fieldShape, LIMITS.fields),
    notes: str({ max: LIMITS.notes }),
    tags: arr(str({ min: 1, max: LIMITS.tag }), LIMITS.tags),
    favorite: bool,
    trashedAt: nullable(time),
    createdAt: time,
    updatedAt: time,
    history: arr(historyShape, LIMITS.history),
    conflictOf: str({ max: 36, pattern: UUID }),
    /** a folder path, segments joined by "/" ("Work/Dev"); absent when the item is in no folder */
    folder: str({ min: 1, max: LIMITS.folder }),
    /** earlier saved versions, newest first (vault/item-versions.ts); absent on items saved before they existed */
    versions: arr(versionShape, LIMITS.versions),
    /** the name of the device that saved this version */
    savedBy: str({ max: LIMITS.deviceName }),
    /** files on the item: name, size, type and key of each; the sealed content is a blob on the server */
    attachments: arr(attachmentShape, LIMITS.attachments),
  },
  ["conflictOf", "folder", "versions", "savedBy", "attachments"],
);

export type Field = Infer<typeof fieldShape>;
export type PasswordHistoryEntry = Infer<typeof historyShape>;
export type ItemVersion = Infer<typeof versionShape>;
export type Item = Omit<Infer<typeof itemShape>, "id" | "type" | "conflictOf"> & {
  id: ItemId;
  type: ItemType;
  conflictOf?: ItemId;
};

export interface NewItem {
  type: ItemType;
  title: string;
  fields?: Record<string, string> | readonly Field[];
  notes?: string;
  tags?: readonly string[];
  favorite?: boolean;
  folder?: string;
}

/** "  Work / Dev/ " -> "Work/Dev"; empty segments dropped; "" when no folder is left. */
export function normaliseFolder(path: string): string {
  return path
    .split("/")
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .join("/")
    .slice(0, LIMITS.folder);
}

function normaliseTags(tags: readonly string[]): string[] {
  return [...new Set(tags.map((t) => t.trim()).filter((t) => t.length > 0))].sort();
}

/**
 * A website as people type it: a bare host ("github.com", "localhost:3000/x") becomes an https URL; a value
 * with a scheme ("http://…", "mailto:…") or with spaces (not an address) is kept as typed.
 */
export function normaliseUrl(value: string): string {
  const v = value.trim();
  if (v === "" || /^[a-z][a-z0-9+.-]*:(?!\d)/i.test(v) || /\s/.test(v)) return v === "" ? "" : v.startsWith("//") ? `https:${v}` : v;
  return `https://${v.replace(/^\/+/, "")}`;
}

const normaliseField = (f: Field): Field => (f.kind === "url" ? { ...f, value: normaliseUrl(f.value) } : f);

/** Builds template fields first (in template order), then custom fields. */
function buildFields(type: ItemType, input: NewItem["fields"]): Field[] {
  if (Array.isArray(input)) return input.map((x) => normaliseField({ ...x }));
  const values = (input ?? {}) as Record<string, string>;
  const tpl = template(type);
  const out: Field[] = [];
  for (const tf of tpl.fields)
    if (values[tf.name] !== undefined) out.push(normaliseField({ name: tf.name, kind: tf.kind, value: values[tf.name]! }));
  for (const [name, value] of Object.entries(values)) {
    if (!tpl.fields.some((tf) => tf.name === name)) out.push({ name, kind: "text", value, custom: true });
  }
  return out;
}

export function createItem(input: NewItem, now = Date.now()): Item {
  const folder = normaliseFolder(input.folder ?? "");
  return {
    v: 1,
    id: newItemId(),
    rev: 1,
    type: input.type,
    title: input.title,
    fields: buildFields(input.type, input.fields),
    notes: input.notes ?? "",
    tags: normaliseTags(input.tags ?? []),
    favorite: input.favorite ?? false,
    trashedAt: null,
    createdAt: now,
    updatedAt: now,
    history: [],
    ...(folder ? { folder } : {}),
  };
}

/** The size that counts against `LIMITS.itemBytes`: the item's JSON in UTF-8 bytes. */
export function itemSize(item: Item): number {
  return new TextEncoder().encode(JSON.stringify(item)).length;
}

/** Refuses an item too large to sync (typed `too_large`, with its size and the limit in the detail). */
export function checkItemSize(item: Item): void {
  const size = itemSize(item);
  if (size > LIMITS.itemBytes)
    throw new CryptexError("too_large", `the item has ${size} bytes, over the limit of ${LIMITS.itemBytes}`, {
      size,
      limit: LIMITS.itemBytes,
    });
}

export function fieldValue(item: Item, name: string): string | undefined {
  const lower = name.toLowerCase();
  return item.fields.find((x) => x.name.toLowerCase() === lower)?.value;
}

export interface ItemChanges {
  title?: string;
  fields?: Record<string, string | null>; // null removes a custom field
  notes?: string;
  tags?: readonly string[];
  favorite?: boolean;
  /** "" takes the item out of its folder */
  folder?: string;
}

/**
 * Applies an edit: bumps the per-item version counter, and keeps the old value of every changed hidden
 * field in the password history (newest first, bounded).
 */
export function editItem(item: Item, changes: ItemChanges, now = Date.now()): Item {
  const fields = item.fields.map((x) => ({ ...x }));
  const history = [...item.history];
  const tpl = template(item.type);
  for (const [name, given] of Object.entries(changes.fields ?? {})) {
    let value = given;
    const at = fields.findIndex((x) => x.name.toLowerCase() === name.toLowerCase());
    if (value === null) {
      if (at >= 0) fields.splice(at, 1);
      continue;
    }
    if (at >= 0) {
      const old = fields[at]!;
      if (old.kind === "url") value = normaliseUrl(value);
      if (old.value === value) continue;
      if (old.kind === "hidden" && old.value !== "") history.unshift({ field: old.name, value: old.value, changedAt: now });
      fields[at] = { ...old, value };
    } else {
      const tf = tpl.fields.find((x) => x.name === name.toLowerCase());
      fields.push(tf ? normaliseField({ name: tf.name, kind: tf.kind, value }) : { name, kind: "text", value, custom: true });
    }
  }
  const { folder: oldFolder, ...rest } = item;
  const folder = changes.folder === undefined ? oldFolder : normaliseFolder(changes.folder);
  return {
    ...rest,
    ...(folder ? { folder } : {}),
    rev: item.rev + 1,
    title: changes.title ?? item.title,
    fields,
    notes: changes.notes ?? item.notes,
    tags: changes.tags ? normaliseTags(changes.tags) : item.tags,
    favorite: changes.favorite ?? item.favorite,
    history: history.slice(0, LIMITS.history),
    updatedAt: now,
  };
}

export function trashItem(item: Item, now = Date.now()): Item {
  return { ...item, rev: item.rev + 1, trashedAt: now, updatedAt: now };
}

export function restoreItem(item: Item, now = Date.now()): Item {
  return { ...item, rev: item.rev + 1, trashedAt: null, updatedAt: now };
}

/** Adds an attachment record (a new edit); refuses more than `LIMITS.attachments` or a name the item already has. */
export function addAttachment(item: Item, a: Attachment, now = Date.now()): Item {
  const list = item.attachments ?? [];
  if (list.length >= LIMITS.attachments)
    throw new CryptexError("too_large", `an item holds at most ${LIMITS.attachments} attachments`, { limit: LIMITS.attachments });
  if (list.some((x) => x.name === a.name)) throw new CryptexError("invalid_input", `the item already has an attachment named "${a.name}"`);
  return { ...item, rev: item.rev + 1, attachments: [...list, a], updatedAt: now };
}

/** Removes the attachment with this id (a new edit); the caller deletes its blob once the edit has synced. */
export function removeAttachment(item: Item, id: string, now = Date.now()): Item {
  const { attachments, ...rest } = item;
  const left = (attachments ?? []).filter((x) => x.id !== id);
  return { ...rest, ...(left.length > 0 ? { attachments: left } : {}), rev: item.rev + 1, updatedAt: now };
}
