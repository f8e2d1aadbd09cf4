// KeePassXC's CSV export: groups as folder paths (the database's root group dropped), TOTP as otpauth.
import { CsvRecords, type CsvTable, hasColumns } from "../csv.ts";
import { type ParseResult, ParseSink } from "../imported-item.ts";

const KNOWN = ["group", "title", "username", "password", "url", "notes", "totp", "icon", "last modified", "created"];
export const isKeepassxcCsv = (t: CsvTable | null) => hasColumns(t, ["group", "title", "username", "password", "url", "notes"]);

export function parseKeepassxcCsv(table: CsvTable): ParseResult {
  const r = new CsvRecords(table);
  const sink = new ParseSink();
  const groups = table.rows.map((row) => r.get(row, "group"));
  const root = groups[0]?.split("/")[0] ?? "";
  const dropRoot = root !== "" && groups.every((g) => g === root || g.startsWith(`${root}/`));
  table.rows.forEach((row, i) => {
    const b = sink.item("login", r.get(row, "title") || `record ${i + 2}`);
    b.set("username", r.get(row, "username"))
      .set("password", r.get(row, "password"))
      .url(r.get(row, "url"))
      .set("totp", r.get(row, "totp"));
    b.notes(r.get(row, "notes")).folder(dropRoot ? groups[i]!.slice(root.length + 1) : groups[i]);
    b.times(r.get(row, "created"), r.get(row, "last modified"));
    for (const [h, v] of r.extra(row, KNOWN)) b.extra(h, v);
  });
  return sink.result();
}
