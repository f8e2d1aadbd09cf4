// A plain CSV of every item, one row each, readable by spreadsheets and by Cryptex's own importer:
// fixed columns for what every manager knows, then every other field as "name: value" lines in one cell.
import Papa from "papaparse";
import type { Item } from "../vault/item.ts";

export const CRYPTEX_CSV_COLUMNS = [
  "type",
  "title",
  "username",
  "password",
  "url",
  "totp",
  "notes",
  "folder",
  "tags",
  "favorite",
  "trashed",
  "fields",
];

export function writeCryptexCsv(items: readonly Item[]): string {
  const rows = items.map((i) => {
    const slot = (name: string) => i.fields.find((f) => !f.custom && f.name === name);
    const taken = new Set(["username", "password", "url", "totp"].map(slot).filter(Boolean));
    const rest = i.fields
      .filter((f) => !taken.has(f))
      .map(
        (f) =>
          `${f.name}${f.custom ? "" : "*"}${f.kind === "text" ? "" : `[${f.kind}]`}: ${f.value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/\r/g, "\\r")}`,
      );
    return [
      i.type,
      i.title,
      slot("username")?.value ?? "",
      slot("password")?.value ?? "",
      slot("url")?.value ?? "",
      slot("totp")?.value ?? "",
      i.notes,
      i.folder ?? "",
      i.tags.join(", "),
      i.favorite ? "1" : "",
      i.trashedAt === null ? "" : "1",
      rest.join("\n"),
    ];
  });
  return `${Papa.unparse({ fields: CRYPTEX_CSV_COLUMNS, data: rows }, { newline: "\r\n", escapeFormulae: false })}\r\n`;
}
