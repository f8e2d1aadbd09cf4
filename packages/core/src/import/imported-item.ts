// What a format parser produces: items in Cryptex's shape, still without ids, plus what could not be mapped.
// The builder puts each source value in a template slot when one fits and in a custom field (with the
// source's own label) when none does, and records every such move, so nothing is dropped silently.
import type { Field, PasswordHistoryEntry } from "../vault/item.ts";
import { type FieldKind, type ItemType, template } from "../vault/templates.ts";

export interface ImportedItem {
  type: ItemType;
  title: string;
  fields: Field[];
  notes: string;
  tags: string[];
  favorite: boolean;
  folder: string;
  trashed: boolean;
  history: PasswordHistoryEntry[];
  createdAt?: number;
  updatedAt?: number;
  /** the item's id in a Cryptex export: an item this vault already holds is not imported twice */
  sourceId?: string;
}

/** One thing of the source that has no slot of its own: kept elsewhere (a custom field, the notes) or lost. */
export interface ImportNote {
  /** the item's title, or "record N" / "file" */
  readonly item: string;
  readonly what: string;
  readonly kept: "custom-field" | "notes" | "folder" | "tag" | "lost";
}

export interface SkippedRecord {
  readonly item: string;
  readonly reason: string;
}

export interface ParseResult {
  readonly items: ImportedItem[];
  readonly notes: ImportNote[];
  readonly skipped: SkippedRecord[];
}

/** Collects the items and notes of one parse. */
export class ParseSink {
  readonly items: ImportedItem[] = [];
  readonly notes: ImportNote[] = [];
  readonly skipped: SkippedRecord[] = [];

  note(item: string, what: string, kept: ImportNote["kept"]): void {
    this.notes.push({ item, what, kept });
  }

  skip(item: string, reason: string): void {
    this.skipped.push({ item, reason });
  }

  item(type: ItemType, title: string): ItemBuilder {
    const b = new ItemBuilder(this, type, title);
    this.items.push(b.item);
    return b;
  }

  result(): ParseResult {
    return { items: this.items, notes: this.notes, skipped: this.skipped };
  }
}

export class ItemBuilder {
  readonly item: ImportedItem;
  private readonly sink: ParseSink;

  constructor(sink: ParseSink, type: ItemType, title: string) {
    this.sink = sink;
    this.item = { type, title, fields: [], notes: "", tags: [], favorite: false, folder: "", trashed: false, history: [] };
  }

  private has(name: string): boolean {
    return this.item.fields.some((f) => f.name.toLowerCase() === name.toLowerCase());
  }

  /**
   * A template slot when `slot` names an empty one of this type, otherwise a custom field labelled `label`.
   * Empty values are skipped: there is nothing to keep.
   */
  set(slot: string | undefined, value: string | undefined | null, label?: string, kind?: FieldKind): this {
    if (value === undefined || value === null || value === "") return this;
    const tf = slot ? template(this.item.type).fields.find((x) => x.name === slot) : undefined;
    if (tf && !this.has(tf.name)) {
      this.item.fields.push({ name: tf.name, kind: tf.kind, value });
      return this;
    }
    return this.custom(label ?? slot ?? "field", value, kind ?? tf?.kind ?? "text", true);
  }

  /** A source field with no slot in our template: a custom field, named in the report. */
  extra(label: string, value: string | undefined | null, kind: FieldKind = "text"): this {
    return value ? this.custom(label, value, kind, true) : this;
  }

  /** A custom field under the source's label (made unique with " 2", " 3"… so none overwrites another). */
  custom(label: string, value: string, kind: FieldKind = "text", report = false): this {
    const base = (label.trim() || "field").slice(0, 120);
    let name = base;
    for (let n = 2; this.has(name); n++) name = `${base} ${n}`;
    this.item.fields.push({ name, kind, value, custom: true });
    if (report) this.sink.note(this.item.title, `field "${base}"`, "custom-field");
    return this;
  }

  url(value: string | undefined | null): this {
    return this.set("url", value, "Website", "url");
  }

  notes(text: string | undefined | null): this {
    if (text) this.item.notes = this.item.notes ? `${this.item.notes}\n\n${normaliseNewlines(text)}` : normaliseNewlines(text);
    return this;
  }

  /** Something with no slot at all goes into the notes, under its original label, and the report says so. */
  toNotes(label: string, value: string | undefined | null): this {
    if (!value) return this;
    this.sink.note(this.item.title, `"${label}"`, "notes");
    return this.notes(`${label}: ${value}`);
  }

  tag(...tags: (string | undefined | null)[]): this {
    for (const t of tags) if (t?.trim() && !this.item.tags.includes(t.trim())) this.item.tags.push(t.trim());
    return this;
  }

  folder(path: string | undefined | null): this {
    if (path) this.item.folder = path;
    return this;
  }

  favorite(on: unknown): this {
    this.item.favorite = on === true || on === 1 || on === "1" || on === "true" || on === "yes";
    return this;
  }

  trashed(on: boolean): this {
    this.item.trashed = on;
    return this;
  }

  history(value: string | undefined | null, changedAt: number | undefined, field = "password"): this {
    if (value) this.item.history.push({ field, value, changedAt: validTime(changedAt) ?? 0 });
    return this;
  }

  times(created: unknown, updated: unknown): this {
    const c = validTime(toTime(created));
    const u = validTime(toTime(updated));
    if (c !== undefined) this.item.createdAt = c;
    if (u !== undefined) this.item.updatedAt = u;
    return this;
  }

  /** Something the source had that Cryptex cannot keep (an attachment): named in the report. */
  lost(what: string): this {
    this.sink.note(this.item.title, what, "lost");
    return this;
  }
}

/** Notes only: CRLF and lone CR become LF. Field values are kept byte for byte. */
export function normaliseNewlines(text: string): string {
  return text.replace(/\r\n?/g, "\n");
}

/** A time from ISO text, seconds or milliseconds since 1970. */
export function toTime(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return v < 1e11 ? Math.round(v * 1000) : Math.round(v);
  if (typeof v === "string" && v.trim()) {
    if (/^\d+$/.test(v.trim())) return toTime(Number(v.trim()));
    const t = Date.parse(v);
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
}

function validTime(t: number | undefined): number | undefined {
  return t !== undefined && Number.isSafeInteger(t) && t >= 0 && t <= 8.64e15 ? t : undefined;
}
