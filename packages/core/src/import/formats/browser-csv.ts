// The password CSVs of Chrome/Edge, Firefox and Safari/Apple Passwords: logins with URL, username,
// password, and whatever else each browser adds (notes, one-time passwords, dates).
import { CsvRecords, type CsvTable, hasColumns } from "../csv.ts";
import { type ParseResult, ParseSink } from "../imported-item.ts";

const titleOf = (url: string) => {
  try {
    return new URL(url).hostname || url;
  } catch {
    return url;
  }
};

export const isChromeCsv = (t: CsvTable | null) =>
  hasColumns(t, ["name", "url", "username", "password"]) &&
  !hasColumns(t, ["grouping"]) &&
  !hasColumns(t, ["title"]) &&
  (t?.header.length ?? 0) <= 5;

export function parseChromeCsv(table: CsvTable): ParseResult {
  const r = new CsvRecords(table);
  const sink = new ParseSink();
  for (const row of table.rows) {
    const url = r.get(row, "url");
    const b = sink.item("login", r.get(row, "name") || titleOf(url));
    b.set("username", r.get(row, "username")).set("password", r.get(row, "password")).url(url).notes(r.get(row, "note"));
    for (const [h, v] of r.extra(row, ["name", "url", "username", "password", "note"])) b.extra(h, v);
  }
  return sink.result();
}

const FIREFOX = [
  "url",
  "username",
  "password",
  "httpRealm",
  "formActionOrigin",
  "guid",
  "timeCreated",
  "timeLastUsed",
  "timePasswordChanged",
];
export const isFirefoxCsv = (t: CsvTable | null) => hasColumns(t, ["url", "username", "password", "guid", "timeCreated"]);

export function parseFirefoxCsv(table: CsvTable): ParseResult {
  const r = new CsvRecords(table);
  const sink = new ParseSink();
  for (const row of table.rows) {
    const url = r.get(row, "url");
    const b = sink.item("login", titleOf(url));
    b.set("username", r.get(row, "username")).set("password", r.get(row, "password")).url(url);
    const action = r.get(row, "formActionOrigin");
    if (action && action !== url) b.extra("Form action origin", action, "url");
    b.extra("HTTP realm", r.get(row, "httpRealm"));
    b.times(Number(r.get(row, "timeCreated")) || undefined, Number(r.get(row, "timePasswordChanged")) || undefined);
    for (const [h, v] of r.extra(row, FIREFOX)) b.extra(h, v);
  }
  return sink.result();
}

const SAFARI = ["title", "url", "username", "password", "notes", "otpauth"];
export const isSafariCsv = (t: CsvTable | null) => hasColumns(t, ["title", "url", "username", "password", "otpauth"]);

export function parseSafariCsv(table: CsvTable): ParseResult {
  const r = new CsvRecords(table);
  const sink = new ParseSink();
  for (const row of table.rows) {
    const url = r.get(row, "url");
    const b = sink.item("login", r.get(row, "title") || titleOf(url));
    b.set("username", r.get(row, "username")).set("password", r.get(row, "password")).url(url).set("totp", r.get(row, "otpauth"));
    b.notes(r.get(row, "notes"));
    for (const [h, v] of r.extra(row, SAFARI)) b.extra(h, v);
  }
  return sink.result();
}
