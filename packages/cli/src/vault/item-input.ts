// Turns command-line flags or stdin JSON into item fields, validated and bounded by core's item schema.
import { arr, bool, obj, oneOf, parseJson, type Shape, str } from "@cryptex/core/schema/shape.ts";
import { LIMITS } from "@cryptex/core/vault/item.ts";
import { FIELD_KINDS, type ItemType, resolveItemType } from "@cryptex/core/vault/templates.ts";
import { CliError } from "../errors/cli-error.ts";

export function parseType(name: string): ItemType {
  const t = resolveItemType(name);
  if (!t) throw new CliError("usage", `unknown item type "${name}" (e.g. login, credit-card, secure-note, password, wifi)`);
  return t;
}

/** NAME=VALUE pairs; the value may contain "=" and may be empty. */
export function parseFieldFlags(flags: readonly string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of flags ?? []) {
    const at = f.indexOf("=");
    if (at < 1) throw new CliError("usage", `--field expects NAME=VALUE, got "${f.slice(0, 40)}"`);
    const name = f.slice(0, at).trim();
    if (name.length > LIMITS.fieldName) throw new CliError("usage", "field name too long");
    out[name] = f.slice(at + 1);
  }
  return out;
}

const fieldList = arr(
  obj({ name: str({ min: 1, max: LIMITS.fieldName }), kind: oneOf(FIELD_KINDS), value: str({ max: LIMITS.fieldValue }) }, ["kind"]),
  LIMITS.fields,
);
const fieldRecord: Shape<Record<string, string>> = (v, p) => {
  if (Array.isArray(v)) return Object.fromEntries(fieldList(v, p).map((f) => [f.name, f.value]));
  if (typeof v !== "object" || v === null) throw new CliError("usage", `${p}: expected an object of NAME: VALUE`);
  const entries = Object.entries(v);
  if (entries.length > LIMITS.fields) throw new CliError("usage", `${p}: too many fields`);
  return Object.fromEntries(
    entries.map(([k, x]) => [str({ min: 1, max: LIMITS.fieldName })(k, p), str({ max: LIMITS.fieldValue })(x, `${p}.${k}`)]),
  );
};

const stdinItem = obj(
  {
    type: str({ max: 64 }),
    title: str({ max: LIMITS.title }),
    fields: fieldRecord,
    notes: str({ max: LIMITS.notes }),
    tags: arr(str({ min: 1, max: LIMITS.tag }), LIMITS.tags),
    favorite: bool,
    folder: str({ max: LIMITS.folder }),
  },
  ["type", "fields", "notes", "tags", "favorite", "folder"],
);

export function parseItemJson(text: string) {
  return parseJson(stdinItem, text, 4 * 1024 * 1024);
}

const changedFields: Shape<Record<string, string | null>> = (v, p) => {
  if (typeof v !== "object" || v === null || Array.isArray(v))
    throw new CliError("usage", `${p}: expected an object of NAME: VALUE or null`);
  const entries = Object.entries(v);
  if (entries.length > LIMITS.fields) throw new CliError("usage", `${p}: too many fields`);
  return Object.fromEntries(
    entries.map(([k, x]) => [
      str({ min: 1, max: LIMITS.fieldName })(k, p),
      x === null ? null : str({ max: LIMITS.fieldValue })(x, `${p}.${k}`),
    ]),
  );
};

const stdinChanges = obj(
  {
    title: str({ max: LIMITS.title }),
    fields: changedFields,
    notes: str({ max: LIMITS.notes }),
    tags: arr(str({ min: 1, max: LIMITS.tag }), LIMITS.tags),
    favorite: bool,
    folder: str({ max: LIMITS.folder }),
  },
  ["title", "fields", "notes", "tags", "favorite", "folder"],
);

/** `cryptex edit --stdin`: the changes as JSON ({"fields": {"password": "…", "pin": null}, "title": …}). */
export function parseChangesJson(text: string) {
  const changes = parseJson(stdinChanges, text, 4 * 1024 * 1024);
  if (Object.keys(changes).length === 0) throw new CliError("usage", "nothing to change: the JSON on stdin names no change");
  return changes;
}
