// The import pipeline: detect the format, parse (pure, all in memory), turn the parsed items into bounded
// Cryptex items and build the report. Nothing is saved here: the caller saves every item in one
// transaction, or none when anything failed, so a malformed file never leaves half an import behind.
import { CryptexError } from "../errors.ts";
import { type IndexEntry, toIndexEntry } from "../formats/vault-index.ts";
import { type ItemId, newItemIds } from "../keys/ids.ts";
import { type Field, type Item, itemShape, itemSize, LIMITS, normaliseFolder } from "../vault/item.ts";
import { IMPORT_FORMATS, type ImportFormat } from "./import-formats.ts";
import { ImportInput } from "./import-input.ts";
import type { DuplicateNote, ImportReport } from "./import-report.ts";
import type { ImportedItem, ImportNote } from "./imported-item.ts";

export interface ImportOptions {
  /** a format name from IMPORT_FORMATS; detected from the content when absent */
  readonly format?: string;
  /** the file's own password (KDBX, password-protected Bitwarden JSON, encrypted exports) */
  readonly password?: string;
  /** the vault's current index, to report (or skip) items already present */
  readonly existing?: readonly IndexEntry[];
  readonly skipDuplicates?: boolean;
  readonly now?: number;
}

export interface ImportResult {
  readonly items: Item[];
  readonly report: ImportReport;
}

export function findImportFormat(name: string): ImportFormat {
  const f = IMPORT_FORMATS.find((x) => x.name === name.toLowerCase());
  if (!f)
    throw new CryptexError(
      "invalid_input",
      `unknown import format "${name.slice(0, 40)}" (known: ${IMPORT_FORMATS.map((x) => x.name).join(", ")})`,
    );
  return f;
}

/** The format these bytes are in, judged by their content; undefined when none matches. */
export function detectImportFormat(bytes: Uint8Array | ImportInput): ImportFormat | undefined {
  const input = bytes instanceof ImportInput ? bytes : new ImportInput(bytes);
  let malformed: unknown;
  for (const f of IMPORT_FORMATS) {
    try {
      if (f.detect(input)) return f;
    } catch (e) {
      // a detector that chokes on hostile bytes does not match; a broken CSV is worth naming if nothing does
      malformed ??= e;
    }
  }
  if (malformed instanceof CryptexError && malformed.code === "invalid_input") throw malformed;
  return undefined;
}

/** Which format, and whether it needs the file's password: asked before parsing. */
export function inspectImport(bytes: Uint8Array, format?: string): { format: ImportFormat; needsPassword: boolean } {
  const input = new ImportInput(bytes);
  const f = format ? findImportFormat(format) : detectImportFormat(input);
  if (!f) throw new CryptexError("unsupported_format", "the file's format was not recognised; name it with --format (see docs/import.md)");
  return { format: f, needsPassword: f.needsPassword?.(input) ?? false };
}

export async function importFile(bytes: Uint8Array, opts: ImportOptions = {}): Promise<ImportResult> {
  const input = new ImportInput(bytes);
  const format = opts.format ? findImportFormat(opts.format) : detectImportFormat(input);
  if (!format)
    throw new CryptexError("unsupported_format", "the file's format was not recognised; name it with --format (see docs/import.md)");
  if (format.needsPassword?.(input) && !opts.password)
    throw new CryptexError("wrong_password", "this file is protected by a password: give the file's password");
  const parsed = await format.parse(input, opts.password);
  const now = opts.now ?? Date.now();
  const notes: ImportNote[] = [...parsed.notes];
  const known = new Set((opts.existing ?? []).filter((e) => !e.trashed).map(dupKey));
  const knownIds = new Set<string>((opts.existing ?? []).map((e) => e.id));
  const seen = new Set<string>();
  const duplicates: DuplicateNote[] = [];
  const skipped = [...parsed.skipped];
  const items: Item[] = [];
  const ids = newItemIds(parsed.items.length);
  for (const [n, p] of parsed.items.entries()) {
    if (p.sourceId !== undefined && knownIds.has(p.sourceId)) {
      // this vault already holds it (the same account's own Cryptex export): never a second copy
      duplicates.push({ item: p.title.slice(0, LIMITS.title), of: "vault", skipped: true });
      continue;
    }
    const item = toItem(p, ids[n]!, now, notes);
    // an item over the sync limit is named, not half-imported: the file still holds it
    if (itemSize(item) > LIMITS.itemBytes) {
      skipped.push({ item: item.title.slice(0, 80), reason: TOO_LARGE });
      continue;
    }
    if (!item.trashedAt) {
      const key = dupKey(toIndexEntry(item));
      const of = known.has(key) ? "vault" : seen.has(key) ? "file" : undefined;
      seen.add(key);
      if (of) {
        duplicates.push({ item: item.title, of, skipped: opts.skipDuplicates === true });
        if (opts.skipDuplicates) continue;
      }
    }
    items.push(item);
  }
  const byType: Record<string, number> = {};
  for (const i of items) byType[i.type] = (byType[i.type] ?? 0) + 1;
  const report: ImportReport = {
    format: format.name,
    formatLabel: format.label,
    found: parsed.items.length,
    imported: items.length,
    byType,
    trashed: items.filter((i) => i.trashedAt !== null).length,
    folders: [...new Set(items.map((i) => i.folder).filter((f): f is string => !!f))].sort(),
    notes,
    skipped,
    duplicates,
  };
  return { items, report };
}

/** The reason of a skipped record that was too large to save and sync. */
export const TOO_LARGE = "too large to save and sync (it stays in the file)";

const dupKey = (e: Pick<IndexEntry, "title" | "subtitle" | "urls">) => JSON.stringify([e.title, e.subtitle, e.urls]);

/** Bounds a parsed item by the item schema; whatever does not fit moves to the notes or is named as lost. */
function toItem(p: ImportedItem, id: ItemId, now: number, notes: ImportNote[]): Item {
  let title = p.title.trim() ? p.title : "(untitled)";
  let extraNotes = "";
  if (title.length > LIMITS.title) {
    extraNotes += `Full title: ${title}\n`;
    notes.push({ item: title.slice(0, 80), what: "title longer than 512 characters", kept: "notes" });
    title = title.slice(0, LIMITS.title);
  }
  const fields: Field[] = [];
  for (const f of p.fields) {
    let value = f.value;
    if (value.length > LIMITS.fieldValue) {
      notes.push({ item: title, what: `field "${f.name}" beyond 65,536 characters`, kept: "lost" });
      value = value.slice(0, LIMITS.fieldValue);
    }
    const field = { ...f, name: f.name.slice(0, LIMITS.fieldName), value };
    if (fields.length < LIMITS.fields) fields.push(field);
    else {
      extraNotes += `${field.name}: ${value}\n`;
      notes.push({ item: title, what: `field "${f.name}" (more than 256 fields)`, kept: "notes" });
    }
  }
  let body = extraNotes ? (p.notes ? `${p.notes}\n\n${extraNotes.trimEnd()}` : extraNotes.trimEnd()) : p.notes;
  if (body.length > LIMITS.notes) {
    notes.push({ item: title, what: "notes beyond 262,144 characters", kept: "lost" });
    body = body.slice(0, LIMITS.notes);
  }
  const tags = [...new Set(p.tags.map((t) => t.trim().slice(0, LIMITS.tag)).filter(Boolean))].sort();
  if (tags.length > LIMITS.tags) notes.push({ item: title, what: `tags beyond 64 (${tags.slice(LIMITS.tags).join(", ")})`, kept: "lost" });
  const history = [...p.history].sort((a, b) => b.changedAt - a.changedAt);
  if (history.length > LIMITS.history)
    notes.push({
      item: title,
      what: `password history beyond ${LIMITS.history} entries (${history.length - LIMITS.history} oldest)`,
      kept: "lost",
    });
  const folder = normaliseFolder(p.folder);
  const item: Item = {
    v: 1,
    id,
    rev: 1,
    type: p.type,
    title,
    fields,
    notes: body,
    tags: tags.slice(0, LIMITS.tags),
    favorite: p.favorite,
    trashedAt: p.trashed ? now : null,
    createdAt: p.createdAt ?? now,
    updatedAt: p.updatedAt ?? p.createdAt ?? now,
    history: history
      .slice(0, LIMITS.history)
      .map((h) => ({ field: h.field.slice(0, LIMITS.fieldName), value: h.value.slice(0, LIMITS.fieldValue), changedAt: h.changedAt })),
    ...(folder ? { folder } : {}),
  };
  itemShape(item, `item "${title.slice(0, 40)}"`);
  return item;
}
