// Cryptex's own CSV export back in (export/csv-export.ts): fixed columns, then "name[*][kind]: value" lines
// with "\n" and "\\" escaped, "*" marking a template field.
import { CryptexError } from "../../errors.ts";
import { CRYPTEX_CSV_COLUMNS } from "../../export/csv-export.ts";
import { FIELD_KINDS, type FieldKind, ITEM_TYPES, type ItemType } from "../../vault/templates.ts";
import { CsvRecords, type CsvTable } from "../csv.ts";
import { type ParseResult, ParseSink } from "../imported-item.ts";

export const isCryptexCsv = (t: CsvTable | null) => !!t && t.header.join(",") === CRYPTEX_CSV_COLUMNS.join(",");
const LINE = new RegExp(`^(.+?)(\\*)?(?:\\[(${FIELD_KINDS.join("|")})\\])?: (.*)$`, "s");
const unescapeValue = (v: string) => v.replace(/\\(\\|n|r)/g, (_, c: string) => (c === "n" ? "\n" : c === "r" ? "\r" : "\\"));

export function parseCryptexCsv(table: CsvTable): ParseResult {
  const r = new CsvRecords(table);
  const sink = new ParseSink();
  table.rows.forEach((row, i) => {
    const type = r.get(row, "type");
    if (!(ITEM_TYPES as readonly string[]).includes(type))
      throw new CryptexError("invalid_input", `CSV line ${i + 2}: unknown item type "${type.slice(0, 30)}"`, { record: i + 2 });
    const b = sink.item(type as ItemType, r.get(row, "title"));
    for (const slot of ["username", "password", "url", "totp"]) b.set(slot, r.get(row, slot));
    for (const line of r.get(row, "fields").split("\n")) {
      if (!line) continue;
      const m = LINE.exec(line);
      if (!m) throw new CryptexError("invalid_input", `CSV line ${i + 2}: a field line without "name: value"`, { record: i + 2 });
      const kind = (m[3] ?? "text") as FieldKind;
      if (m[2]) b.item.fields.push({ name: m[1]!, kind, value: unescapeValue(m[4]!) });
      else b.custom(m[1]!, unescapeValue(m[4]!), kind);
    }
    b.notes(r.get(row, "notes"))
      .folder(r.get(row, "folder"))
      .tag(...r.get(row, "tags").split(","))
      .favorite(r.get(row, "favorite"));
    b.trashed(r.get(row, "trashed") === "1");
  });
  return sink.result();
}
