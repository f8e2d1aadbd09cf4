// Bitwarden's CSV export: logins and notes only (what the format carries), folders, favourites, the
// "name: value" custom fields, several URIs in one comma-separated cell.
import Papa from "papaparse";
import { CryptexError } from "../../errors.ts";
import { CsvRecords, type CsvTable, hasColumns } from "../csv.ts";
import { type ParseResult, ParseSink } from "../imported-item.ts";

export const BITWARDEN_CSV_COLUMNS = [
  "folder",
  "favorite",
  "type",
  "name",
  "notes",
  "fields",
  "reprompt",
  "login_uri",
  "login_username",
  "login_password",
  "login_totp",
];
const KNOWN = BITWARDEN_CSV_COLUMNS;

export const isBitwardenCsv = (t: CsvTable | null) => hasColumns(t, ["folder", "favorite", "type", "name", "login_password"]);

export function parseBitwardenCsv(table: CsvTable): ParseResult {
  const r = new CsvRecords(table);
  const sink = new ParseSink();
  table.rows.forEach((row, i) => {
    const type = r.get(row, "type");
    const title = r.get(row, "name") || `record ${i + 2}`;
    if (type !== "login" && type !== "note" && type !== "")
      throw new CryptexError("invalid_input", `CSV line ${i + 2}: unknown Bitwarden type "${type.slice(0, 20)}"`, { record: i + 2 });
    const b = sink.item(type === "note" ? "secure-note" : "login", title);
    b.set("username", r.get(row, "login_username"), "Username").set("password", r.get(row, "login_password"), "Password", "hidden");
    const uris = r.get(row, "login_uri");
    if (uris) for (const u of (Papa.parse<string[]>(uris).data[0] ?? []) as string[]) b.url(u);
    b.set("totp", r.get(row, "login_totp"), "One-time password", "totp");
    b.notes(r.get(row, "notes")).favorite(r.get(row, "favorite")).folder(r.get(row, "folder"));
    for (const line of r.get(row, "fields").split(/\r?\n/)) {
      if (!line) continue;
      const at = line.indexOf(": ");
      if (at > 0) b.custom(line.slice(0, at), line.slice(at + 2));
      else b.custom(line.endsWith(":") ? line.slice(0, -1) : "Field", "");
    }
    for (const [h, v] of r.extra(row, KNOWN)) b.extra(h, v);
  });
  return sink.result();
}
