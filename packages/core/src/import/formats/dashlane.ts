// Dashlane's CSV export: credentials.csv alone, or the zip of CSVs (credentials, secure notes, payments,
// IDs, personal info). Credentials and payments map to our templates; every other CSV's rows become
// secure notes with each column a field, so nothing is left behind.
import { CryptexError } from "../../errors.ts";
import { CsvRecords, type CsvTable, hasColumns, parseCsv } from "../csv.ts";
import { type ParseResult, ParseSink } from "../imported-item.ts";

const CRED = ["username", "username2", "username3", "title", "password", "note", "url", "category", "otpsecret", "otpurl"];
export const isDashlaneCredentials = (t: CsvTable | null) =>
  hasColumns(t, ["username", "username2", "username3", "title", "password", "note", "url"]);
export const isDashlaneZip = (zip: Map<string, Uint8Array> | null) =>
  !!zip && [...zip.keys()].some((k) => /(^|\/)credentials\.csv$/.test(k));

function credentials(sink: ParseSink, t: CsvTable): void {
  const r = new CsvRecords(t);
  for (const row of t.rows) {
    const b = sink.item("login", r.get(row, "title") || r.get(row, "url"));
    b.set("username", r.get(row, "username")).set("password", r.get(row, "password")).url(r.get(row, "url"));
    b.set("totp", r.get(row, "otpUrl") || r.get(row, "otpSecret"));
    b.extra("Username 2", r.get(row, "username2")).extra("Username 3", r.get(row, "username3"));
    b.notes(r.get(row, "note")).folder(r.get(row, "category"));
    for (const [h, v] of r.extra(row, CRED)) b.extra(h, v);
  }
}

function payments(sink: ParseSink, t: CsvTable): void {
  const r = new CsvRecords(t);
  const known = [
    "type",
    "account_name",
    "account_holder",
    "cc_number",
    "code",
    "expiration_month",
    "expiration_year",
    "routing_number",
    "account_number",
    "issuing_bank",
    "note",
  ];
  for (const row of t.rows) {
    const card = r.get(row, "type") !== "bank";
    const b = sink.item(card ? "credit-card" : "bank-account", r.get(row, "account_name") || r.get(row, "type"));
    if (card) {
      b.set("cardholder", r.get(row, "account_holder")).set("number", r.get(row, "cc_number")).set("cvv", r.get(row, "code"));
      const m = r.get(row, "expiration_month");
      const y = r.get(row, "expiration_year");
      b.set("expiry", m && y ? `${m.padStart(2, "0")}/${y}` : m || y).set("bank", r.get(row, "issuing_bank"));
    } else {
      b.set("account-holder", r.get(row, "account_holder")).set("account-number", r.get(row, "account_number"));
      b.set("routing-number", r.get(row, "routing_number")).set("bank", r.get(row, "issuing_bank"));
    }
    b.notes(r.get(row, "note"));
    for (const [h, v] of r.extra(row, known)) b.extra(h, v);
  }
}

function otherRows(sink: ParseSink, name: string, t: CsvTable): void {
  const r = new CsvRecords(t);
  for (const row of t.rows) {
    const title = r.get(row, "title") || r.get(row, "item_name") || r.get(row, "name") || name;
    const b = sink.item("secure-note", title).tag(`dashlane-${name}`);
    b.notes(r.get(row, "note"));
    for (const [h, v] of r.extra(row, ["title", "note"])) b.custom(h, v);
  }
}

export function parseDashlaneCsv(t: CsvTable): ParseResult {
  const sink = new ParseSink();
  credentials(sink, t);
  return sink.result();
}

export function parseDashlaneZip(zip: Map<string, Uint8Array>): ParseResult {
  const sink = new ParseSink();
  for (const [path, bytes] of [...zip].sort(([a], [b]) => a.localeCompare(b))) {
    if (!path.endsWith(".csv")) continue;
    const name = path.replace(/^.*\//, "").replace(/\.csv$/, "");
    let table: CsvTable;
    try {
      table = parseCsv(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
    } catch (e) {
      throw new CryptexError("invalid_input", `${path}: ${(e as Error).message}`);
    }
    if (name === "credentials") credentials(sink, table);
    else if (name === "payments") payments(sink, table);
    else otherRows(sink, name, table);
  }
  return sink.result();
}
