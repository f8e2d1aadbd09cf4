// LastPass's CSV export: logins, secure notes (url "http://sn") whose `extra` holds "NoteType:" typed
// fields, folders written with backslashes, favourites.
import type { ItemType } from "../../vault/templates.ts";
import { CsvRecords, type CsvTable, hasColumns } from "../csv.ts";
import { mapLabelled, type SlotMap } from "../field-map.ts";
import { type ParseResult, ParseSink } from "../imported-item.ts";

const KNOWN = ["url", "username", "password", "totp", "extra", "name", "grouping", "fav"];
export const isLastpassCsv = (t: CsvTable | null) => hasColumns(t, ["url", "username", "password", "extra", "name", "grouping"]);

/** LastPass note types we have a template for, and their labels -> our slots. */
const NOTE_TYPES: Record<string, { type: ItemType; map: SlotMap }> = {
  "credit card": {
    type: "credit-card",
    map: {
      "name on card": "cardholder",
      type: "card-type",
      number: "number",
      "security code": "cvv",
      "expiration date": "expiry",
      notes: "notes",
    },
  },
  "bank account": {
    type: "bank-account",
    map: {
      "bank name": "bank",
      "account number": "account-number",
      "routing number": "routing-number",
      "swift code": "swift",
      "iban number": "iban",
      pin: "pin",
      "branch phone": "phone",
      notes: "notes",
    },
  },
  address: {
    type: "identity",
    map: {
      "first name": "first-name",
      "last name": "last-name",
      company: "company",
      "email address": "email",
      phone: "phone",
      birthday: "birth-date",
      notes: "notes",
    },
  },
  "wi-fi password": { type: "wifi", map: { ssid: "ssid", password: "password", authentication: "security", notes: "notes" } },
  passport: {
    type: "passport",
    map: {
      name: "full-name",
      number: "number",
      nationality: "nationality",
      "issued date": "issue-date",
      "expiration date": "expiry",
      notes: "notes",
    },
  },
  "driver's license": {
    type: "drivers-license",
    map: { name: "full-name", number: "number", "license class": "class", state: "state", "expiration date": "expiry", notes: "notes" },
  },
  "software license": {
    type: "software-license",
    map: {
      "license key": "license-key",
      licensee: "licensed-to",
      version: "version",
      website: "url",
      "support email": "email",
      "purchase date": "purchase-date",
      notes: "notes",
    },
  },
  "email account": {
    type: "email-account",
    map: { username: "username", password: "password", server: "imap-server", "smtp server": "smtp-server", notes: "notes" },
  },
  membership: {
    type: "membership",
    map: {
      organization: "organization",
      "membership number": "member-id",
      "member name": "member-name",
      "expiration date": "expiry",
      website: "url",
      telephone: "phone",
      password: "password",
      notes: "notes",
    },
  },
  insurance: {
    type: "insurance",
    map: { company: "company", "policy number": "policy-number", expiration: "expiry", url: "url", notes: "notes" },
  },
};

/** "Key:value" lines; "Notes:" takes the rest of the text (it may span lines). */
function noteFields(extra: string): [string, string][] {
  const out: [string, string][] = [];
  const lines = extra.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const at = line.indexOf(":");
    if (at <= 0) {
      if (out.length) out[out.length - 1]![1] += `\n${line}`;
      continue;
    }
    const key = line.slice(0, at);
    if (key === "Notes") {
      out.push([key, [line.slice(at + 1), ...lines.slice(i + 1)].join("\n")]);
      break;
    }
    out.push([key, line.slice(at + 1)]);
  }
  return out;
}

export function parseLastpassCsv(table: CsvTable): ParseResult {
  const r = new CsvRecords(table);
  const sink = new ParseSink();
  table.rows.forEach((row, i) => {
    const title = r.get(row, "name") || `record ${i + 2}`;
    const url = r.get(row, "url");
    const extra = r.get(row, "extra");
    const folder = r.get(row, "grouping").replace(/\\/g, "/");
    let b: ReturnType<ParseSink["item"]>;
    if (url === "http://sn" && extra.startsWith("NoteType:")) {
      const pairs = noteFields(extra);
      const noteType = pairs[0]![1].trim();
      const known = NOTE_TYPES[noteType.toLowerCase()];
      b = sink.item(known?.type ?? "secure-note", title);
      if (!known) b.tag(noteType);
      mapLabelled(
        b,
        pairs.slice(1).filter(([k]) => k !== "Language"),
        known?.map ?? { notes: "notes" },
      );
    } else if (url === "http://sn") {
      b = sink.item("secure-note", title).notes(extra);
    } else {
      b = sink.item("login", title);
      b.set("username", r.get(row, "username")).set("password", r.get(row, "password")).url(url).set("totp", r.get(row, "totp"));
      b.notes(extra);
    }
    b.folder(folder).favorite(r.get(row, "fav"));
    for (const [h, v] of r.extra(row, KNOWN)) b.extra(h, v);
  });
  return sink.result();
}
