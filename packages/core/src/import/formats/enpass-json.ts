// Enpass's JSON export: nested folders (parent_uuid), categories to our templates, every field (typed by
// Enpass's field type; sensitive ones hidden), favourites, archived (a tag), trash, tags.
import { CryptexError } from "../../errors.ts";
import type { FieldKind, ItemType } from "../../vault/templates.ts";
import { type ParseResult, ParseSink } from "../imported-item.ts";

type J = Record<string, unknown>;
const isObj = (v: unknown): v is J => typeof v === "object" && v !== null && !Array.isArray(v);
const list = (v: unknown): J[] => (Array.isArray(v) ? v.filter(isObj) : []);
const s = (v: unknown): string => (typeof v === "string" ? v : typeof v === "number" ? String(v) : "");

export const isEnpassJson = (j: unknown): boolean =>
  isObj(j) && Array.isArray(j.items) && list(j.items).some((i) => "category" in i && Array.isArray(i.fields));

const CATEGORY: Record<string, ItemType> = {
  login: "login",
  creditcard: "credit-card",
  note: "secure-note",
  identity: "identity",
  password: "password",
  finance: "bank-account",
  license: "drivers-license",
  travel: "passport",
  computer: "wifi",
  software: "software-license",
};
/** Enpass field type -> our slot */
const SLOT: Record<string, string> = {
  username: "username",
  password: "password",
  url: "url",
  totp: "totp",
  email: "email",
  ccName: "cardholder",
  ccNumber: "number",
  ccCvc: "cvv",
  ccExpiry: "expiry",
  ccPin: "pin",
  ccType: "card-type",
  ccBankname: "bank",
  phone: "phone",
};
const KIND: Record<string, FieldKind> = {
  url: "url",
  email: "email",
  phone: "phone",
  date: "date",
  totp: "totp",
  multiline: "note",
  numeric: "number",
};

export function parseEnpassJson(json: unknown): ParseResult {
  if (!isEnpassJson(json)) throw new CryptexError("invalid_input", "not an Enpass export");
  const folders = new Map(list((json as J).folders).map((f) => [s(f.uuid), f]));
  const pathOf = (uuid: string, depth = 0): string => {
    const f = folders.get(uuid);
    if (!f || depth > 32) return "";
    const parent = pathOf(s(f.parent_uuid), depth + 1);
    return parent ? `${parent}/${s(f.title)}` : s(f.title);
  };
  const sink = new ParseSink();
  for (const raw of list((json as J).items)) {
    const title = s(raw.title) || "(untitled)";
    const cat = s(raw.category);
    const b = sink.item(CATEGORY[cat] ?? "secure-note", title);
    if (!CATEGORY[cat]) b.tag(`enpass-${cat}`);
    for (const f of list(raw.fields)) {
      if (f.deleted === 1 || f.type === "section") continue;
      const type = s(f.type);
      const kind: FieldKind = f.sensitive === 1 ? "hidden" : (KIND[type] ?? "text");
      const value = s(f.value);
      if (SLOT[type]) b.set(SLOT[type], value, s(f.label) || type, kind);
      else b.extra(s(f.label) || type, value, kind);
      for (const h of list(f.history))
        b.history(s(h.value), typeof h.updated_at === "number" ? h.updated_at * 1000 : undefined, SLOT[type] ?? (s(f.label) || type));
    }
    b.notes(s(raw.note))
      .favorite(raw.favorite === 1)
      .trashed(raw.trashed === 1);
    const fs = Array.isArray(raw.folders) ? raw.folders.map((x) => pathOf(s(x))).filter(Boolean) : [];
    b.folder(fs[0]);
    if (fs.length > 1) {
      b.tag(...fs.slice(1));
      sink.note(title, `folders beyond the first (${fs.slice(1).join(", ")})`, "tag");
    }
    if (raw.archived === 1) {
      b.tag("archived");
      sink.note(title, "archived state", "tag");
    }
    for (const t of Array.isArray(raw.tags) ? raw.tags : []) b.tag(s(isObj(t) ? t.title : t));
    b.times(raw.createdAt, raw.updated_at);
    const att = list(raw.attachments).length;
    if (att) b.lost(`${att} attachment(s)`);
  }
  return sink.result();
}
