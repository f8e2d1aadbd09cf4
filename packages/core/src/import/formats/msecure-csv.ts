// mSecure 6's CSV export: a "mSecure6 CSV export file" first line, then one record a line — "Name|id",
// type, group, notes, then "Label|code|value" fields. Cryptex's templates follow mSecure's, so types and
// field labels map one to one; a label we have no slot for becomes a custom field under that label.
import { CryptexError } from "../../errors.ts";
import { type ItemType, resolveItemType, template } from "../../vault/templates.ts";
import { parseCsv } from "../csv.ts";
import { type ParseResult, ParseSink } from "../imported-item.ts";

export const isMsecureCsv = (text: string | null): boolean => !!text && /^\s*msecure\s*6?\s*csv export file/i.test(text);

/** mSecure labels that differ from ours (lower case) -> our slot; equal labels match by themselves. */
const SYNONYMS: Record<string, string> = {
  website: "url",
  url: "url",
  "card number": "number",
  "name on card": "cardholder",
  "expiration date": "expiry",
  "security code": "cvv",
  "one-time password": "totp",
  "2fa": "totp",
  email: "email",
  "email address": "email",
  "account number": "account-number",
  "routing number": "routing-number",
  "license key": "license-key",
  "network name": "ssid",
  ssid: "ssid",
};

const TYPE_SYNONYMS: Record<string, ItemType> = {
  "web logins": "login",
  note: "secure-note",
  notes: "secure-note",
  "wireless router": "wifi",
  software: "software-license",
};

export function parseMsecureCsv(text: string): ParseResult {
  const body = text.replace(/^\s*msecure[^\n]*\n/i, "");
  const table = parseCsv(`\n${body}`); // parseCsv takes a header row: give it an empty one
  const rows = [table.header, ...table.rows].filter((r) => r.length > 1 || (r[0] ?? "") !== "");
  const sink = new ParseSink();
  rows.forEach((row, i) => {
    if (row.length < 2) throw new CryptexError("invalid_input", `mSecure record ${i + 1}: too few columns`, { record: i + 1 });
    const title = (row[0] ?? "").replace(/\|[^|]*$/, "") || `record ${i + 1}`;
    const typeName = row[1] ?? "";
    const type = TYPE_SYNONYMS[typeName.toLowerCase()] ?? resolveItemType(typeName);
    const b = sink.item(type ?? "secure-note", title);
    if (!type && typeName) {
      b.tag(typeName);
      sink.note(title, `type "${typeName}" (imported as a secure note, tagged)`, "tag");
    }
    const group = row[2] ?? "";
    if (group && group !== "Unassigned") b.folder(group);
    b.notes(row[3]);
    const slots = template(b.item.type).fields;
    for (const cell of row.slice(4)) {
      if (!cell) continue;
      const a = cell.indexOf("|");
      const c = a < 0 ? -1 : cell.indexOf("|", a + 1);
      if (c < 0)
        throw new CryptexError("invalid_input", `mSecure record ${i + 1} ("${title.slice(0, 40)}"): a field is not "label|code|value"`, {
          record: i + 1,
        });
      const label = cell.slice(0, a);
      const value = cell.slice(c + 1);
      const lower = label.toLowerCase();
      const slot = slots.find((f) => f.label.toLowerCase() === lower || f.name === lower)?.name ?? SYNONYMS[lower];
      if (slot && slots.some((f) => f.name === slot)) b.set(slot, value, label);
      else b.extra(label, value, /password|pin|code|key/i.test(label) ? "hidden" : "text");
    }
  });
  return sink.result();
}
