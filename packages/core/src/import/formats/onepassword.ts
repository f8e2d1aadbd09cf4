// 1Password: the 1PUX export (a zip with export.data, JSON) and the 1Password 8 CSV. Vaults become
// folders; categories our templates; section fields slots or custom fields; tags (nested "a/b" kept as
// written), favourite, archived (a tag) and password history kept; documents and files named as lost.
import { CryptexError } from "../../errors.ts";
import type { FieldKind, ItemType } from "../../vault/templates.ts";
import { CsvRecords, type CsvTable, hasColumns } from "../csv.ts";
import type { SlotMap } from "../field-map.ts";
import { type ParseResult, ParseSink } from "../imported-item.ts";

type J = Record<string, unknown>;
const isObj = (v: unknown): v is J => typeof v === "object" && v !== null && !Array.isArray(v);
const list = (v: unknown): J[] => (Array.isArray(v) ? v.filter(isObj) : []);
const s = (v: unknown): string => (typeof v === "string" ? v : typeof v === "number" ? String(v) : "");

const CATEGORIES: Record<string, { type: ItemType; map: SlotMap }> = {
  "001": { type: "login", map: {} },
  "002": {
    type: "credit-card",
    map: {
      cardholder: "cardholder",
      type: "card-type",
      ccnum: "number",
      cvv: "cvv",
      expiry: "expiry",
      pin: "pin",
      bank: "bank",
      phonelocal: "phone",
    },
  },
  "003": { type: "secure-note", map: {} },
  "004": {
    type: "identity",
    map: {
      firstname: "first-name",
      lastname: "last-name",
      birthdate: "birth-date",
      email: "email",
      defphone: "phone",
      address: "address",
      company: "company",
    },
  },
  "005": { type: "password", map: { password: "password", url: "url" } },
  "100": {
    type: "software-license",
    map: {
      product_version: "version",
      reg_code: "license-key",
      reg_name: "licensed-to",
      reg_email: "email",
      order_date: "purchase-date",
      download_link: "url",
    },
  },
  "101": {
    type: "bank-account",
    map: {
      bankname: "bank",
      owner: "account-holder",
      accountno: "account-number",
      routingno: "routing-number",
      iban: "iban",
      swift: "swift",
      telephonepin: "pin",
    },
  },
  "103": {
    type: "drivers-license",
    map: { fullname: "full-name", number: "number", class: "class", state: "state", expiry_date: "expiry" },
  },
  "105": {
    type: "membership",
    map: {
      org_name: "organization",
      member_name: "member-name",
      membership_no: "member-id",
      pin: "password",
      expiry_date: "expiry",
      phone: "phone",
      website: "url",
    },
  },
  "106": {
    type: "passport",
    map: {
      fullname: "full-name",
      number: "number",
      nationality: "nationality",
      issue_date: "issue-date",
      expiry_date: "expiry",
      issuing_authority: "issuing-authority",
    },
  },
  "108": { type: "identity", map: { name: "first-name", number: "ssn" } },
  "109": { type: "wifi", map: { network_name: "ssid", wireless_password: "password", wireless_security: "security" } },
  "111": {
    type: "email-account",
    map: { pop_username: "username", pop_password: "password", pop_server: "imap-server", smtp_server: "smtp-server" },
  },
};

/** A section field's value object ({ string }, { concealed }, { totp }, { date }, { monthYear }, { address }…) as text. */
function valueText(v: unknown): { text: string; kind: FieldKind } {
  if (!isObj(v)) return { text: "", kind: "text" };
  const [k, x] = Object.entries(v)[0] ?? ["", ""];
  switch (k) {
    case "concealed":
    case "creditCardNumber":
      return { text: s(x), kind: "hidden" };
    case "totp":
      return { text: s(x), kind: "totp" };
    case "url":
      return { text: s(x), kind: "url" };
    case "phone":
      return { text: s(x), kind: "phone" };
    case "email":
      return { text: isObj(x) ? s(x.email_address) : s(x), kind: "email" };
    case "date":
      return { text: typeof x === "number" && Math.abs(x) < 8.64e12 ? new Date(x * 1000).toISOString().slice(0, 10) : s(x), kind: "date" };
    case "monthYear": {
      const n = s(x);
      return { text: n.length === 6 ? `${n.slice(4)}/${n.slice(0, 4)}` : n, kind: "date" };
    }
    case "address":
      return {
        text: isObj(x)
          ? [s(x.street), [s(x.zip), s(x.city)].filter(Boolean).join(" "), s(x.state), s(x.country)].filter(Boolean).join("\n")
          : s(x),
        kind: "note",
      };
    case "sshKey":
      return { text: isObj(x) ? s(x.privateKey) : s(x), kind: "hidden" };
    default:
      return { text: typeof x === "object" ? JSON.stringify(x) : s(x), kind: "text" };
  }
}

export const is1pux = (zip: Map<string, Uint8Array> | null): boolean => !!zip?.has("export.data");

export function parse1pux(zip: Map<string, Uint8Array>): ParseResult {
  let data: unknown;
  try {
    data = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(zip.get("export.data")!));
  } catch (e) {
    throw new CryptexError("invalid_input", `export.data is not valid JSON: ${(e as Error).message.slice(0, 200)}`);
  }
  if (!isObj(data) || !Array.isArray(data.accounts)) throw new CryptexError("invalid_input", "export.data has no accounts");
  const sink = new ParseSink();
  const files = [...zip.keys()].filter((k) => k.startsWith("files/") && !k.endsWith("/"));
  for (const account of list(data.accounts)) {
    for (const vault of list(account.vaults)) {
      const vaultName = s(isObj(vault.attrs) ? vault.attrs.name : "");
      for (const [n, raw] of list(vault.items).entries()) {
        const ov = isObj(raw.overview) ? raw.overview : {};
        const det = isObj(raw.details) ? raw.details : {};
        const title = s(ov.title) || `${vaultName} item ${n + 1}`;
        const cat = CATEGORIES[s(raw.categoryUuid)];
        const b = sink.item(cat?.type ?? "secure-note", title);
        if (!cat) b.tag(`1password-category-${s(raw.categoryUuid)}`);
        for (const lf of list(det.loginFields)) {
          const d = s(lf.designation);
          if (d === "username") b.set("username", s(lf.value), s(lf.name) || "username");
          else if (d === "password") b.set("password", s(lf.value), s(lf.name) || "password", "hidden");
          else b.extra(s(lf.name) || "login field", s(lf.value), s(lf.fieldType) === "P" ? "hidden" : "text");
        }
        if (cat?.type === "password" && s(det.password)) b.set("password", s(det.password));
        const urls = list(ov.urls).map((u) => s(u.url));
        if (!urls.length && s(ov.url)) urls.push(s(ov.url));
        for (const u of urls) b.url(u);
        for (const section of list(det.sections)) {
          for (const f of list(section.fields)) {
            const { text, kind } = valueText(f.value);
            if (!text) continue;
            const label = s(f.title) || s(f.id) || "field";
            const slot = cat?.map[s(f.id).toLowerCase()] ?? (kind === "totp" ? "totp" : undefined);
            if (slot) b.set(slot, text, label, kind);
            else b.custom(label, text, kind, true);
          }
        }
        b.notes(s(det.notesPlain));
        for (const t of Array.isArray(ov.tags) ? ov.tags : []) b.tag(s(t));
        b.folder(vaultName).favorite(typeof raw.favIndex === "number" && raw.favIndex > 0);
        if (raw.state === "archived") {
          b.tag("archived");
          sink.note(title, "archived state", "tag");
        }
        if (raw.state === "deleted") b.trashed(true);
        for (const h of list(det.passwordHistory)) b.history(s(h.value), typeof h.time === "number" ? h.time * 1000 : undefined);
        b.times(raw.createdAt, raw.updatedAt);
        if (isObj(det.documentAttributes)) b.lost(`document file "${s(det.documentAttributes.fileName)}"`);
      }
    }
  }
  if (files.length) sink.note("file", `${files.length} attached file(s) in the 1PUX (${files.slice(0, 5).join(", ")})`, "lost");
  return sink.result();
}

const CSV_KNOWN = ["title", "url", "username", "password", "otpauth", "favorite", "archived", "tags", "notes"];
export const is1passwordCsv = (t: CsvTable | null) =>
  hasColumns(t, ["title", "url", "username", "password", "otpauth", "favorite", "archived", "tags"]);

export function parse1passwordCsv(table: CsvTable): ParseResult {
  const r = new CsvRecords(table);
  const sink = new ParseSink();
  for (const row of table.rows) {
    const b = sink.item("login", r.get(row, "title"));
    b.set("username", r.get(row, "username")).set("password", r.get(row, "password")).set("totp", r.get(row, "otpauth"));
    for (const u of r.get(row, "url").split(/\r?\n|, (?=https?:)/)) b.url(u);
    b.notes(r.get(row, "notes")).favorite(r.get(row, "favorite").toLowerCase());
    b.tag(...r.get(row, "tags").split(/[;,]/));
    if (r.get(row, "archived").toLowerCase() === "true") b.tag("archived");
    for (const [h, v] of r.extra(row, CSV_KNOWN)) b.extra(h, v);
  }
  return sink.result();
}
