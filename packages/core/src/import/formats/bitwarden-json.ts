// Bitwarden's JSON export (personal or organisation, unencrypted): folders and collections become folders,
// typed items stay typed, custom fields, every URI, TOTP, password history, favourite and trash kept.
import { CryptexError } from "../../errors.ts";
import { CRYPTEX_TYPE_FIELD, TAGS_FIELD } from "../../export/bitwarden-json-export.ts";
import { ITEM_TYPES, type ItemType, template } from "../../vault/templates.ts";
import { type ItemBuilder, type ParseResult, ParseSink, toTime } from "../imported-item.ts";

type J = Record<string, unknown>;
const s = (v: unknown): string => (typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : "");
const isObj = (v: unknown): v is J => typeof v === "object" && v !== null && !Array.isArray(v);
const list = (v: unknown): J[] => (Array.isArray(v) ? v.filter(isObj) : []);

export function isBitwardenJson(json: unknown): boolean {
  if (!isObj(json) || !Array.isArray(json.items)) return false;
  const first = json.items[0];
  return (
    (json.encrypted === false || "folders" in json || "collections" in json) &&
    (first === undefined || (isObj(first) && typeof first.type === "number"))
  );
}

export function parseBitwardenJson(json: unknown): ParseResult {
  if (!isObj(json) || !Array.isArray(json.items)) throw new CryptexError("invalid_input", "not a Bitwarden JSON export (no items)");
  if (json.encrypted === true)
    throw new CryptexError(
      "unsupported_format",
      'this Bitwarden export is encrypted with the account key; export it again as "JSON (Encrypted)" with a file password, or as plain JSON',
    );
  const sink = new ParseSink();
  const folders = new Map(list(json.folders).map((f) => [s(f.id), s(f.name)]));
  const collections = new Map(list(json.collections).map((c) => [s(c.id), s(c.name)]));
  json.items.forEach((raw, i) => {
    if (!isObj(raw)) throw new CryptexError("invalid_input", `item ${i + 1}: expected an object`, { record: i + 1 });
    const title = s(raw.name) || `record ${i + 1}`;
    const type = raw.type;
    let b: ItemBuilder;
    switch (type) {
      case 1: {
        b = sink.item("login", title);
        const login = isObj(raw.login) ? raw.login : {};
        b.set("username", s(login.username), "Username").set("password", s(login.password), "Password", "hidden");
        for (const u of list(login.uris)) b.url(s(u.uri));
        b.set("totp", s(login.totp), "One-time password", "totp");
        const passkeys = list(login.fido2Credentials).length;
        if (passkeys) b.lost(`${passkeys} passkey(s)`);
        break;
      }
      case 2: {
        // a Cryptex type Bitwarden lacks, exported by Cryptex as a note with a "Cryptex type" field
        const marked = s(list(raw.fields).find((f) => f.name === CRYPTEX_TYPE_FIELD)?.value);
        b = sink.item((ITEM_TYPES as readonly string[]).includes(marked) ? (marked as ItemType) : "secure-note", title);
        break;
      }
      case 3: {
        b = sink.item("credit-card", title);
        const c = isObj(raw.card) ? raw.card : {};
        b.set("cardholder", s(c.cardholderName)).set("card-type", s(c.brand)).set("number", s(c.number)).set("cvv", s(c.code));
        const mm = s(c.expMonth);
        const yy = s(c.expYear);
        if (mm || yy) b.set("expiry", mm && yy ? `${mm.padStart(2, "0")}/${yy}` : mm || yy);
        break;
      }
      case 4: {
        const id = isObj(raw.identity) ? raw.identity : {};
        b = sink.item("identity", title);
        b.extra("Title", s(id.title))
          .set("first-name", s(id.firstName))
          .extra("Middle name", s(id.middleName))
          .set("last-name", s(id.lastName))
          .set("email", s(id.email), "Email", "email")
          .set("phone", s(id.phone), "Phone", "phone")
          .set("company", s(id.company))
          .set("ssn", s(id.ssn), "SSN", "hidden")
          .extra("Username", s(id.username))
          .extra("Passport number", s(id.passportNumber), "hidden")
          .extra("License number", s(id.licenseNumber), "hidden");
        const address = [
          s(id.address1),
          s(id.address2),
          s(id.address3),
          [s(id.postalCode), s(id.city)].filter(Boolean).join(" "),
          s(id.state),
          s(id.country),
        ]
          .filter(Boolean)
          .join("\n");
        b.set("address", address, "Address", "note");
        break;
      }
      case 5: {
        b = sink.item("secure-note", title);
        const k = isObj(raw.sshKey) ? raw.sshKey : {};
        b.extra("Private key", s(k.privateKey), "hidden").extra("Public key", s(k.publicKey)).extra("Fingerprint", s(k.keyFingerprint));
        b.tag("ssh-key");
        break;
      }
      default:
        throw new CryptexError(
          "invalid_input",
          `item ${i + 1} ("${title.slice(0, 40)}"): unknown Bitwarden item type ${(JSON.stringify(type) ?? "none").slice(0, 40)}`,
          {
            record: i + 1,
          },
        );
    }
    b.notes(s(raw.notes)).favorite(raw.favorite === true);
    const slots = template(b.item.type).fields.map((f) => f.name);
    for (const f of list(raw.fields)) {
      const name = s(f.name) || "Field";
      const ft = f.type;
      if (name === CRYPTEX_TYPE_FIELD && b.item.type !== "secure-note") continue;
      if (name === TAGS_FIELD && ft === 0) b.tag(...s(f.value).split(","));
      else if (ft === 3) b.custom(name, `linked to ${s(f.linkedId)}`, "text", true);
      else if (slots.includes(name) && !b.item.fields.some((x) => x.name === name)) b.set(name, s(f.value));
      else b.custom(name, s(f.value), ft === 1 ? "hidden" : "text");
    }
    for (const h of list(raw.passwordHistory)) b.history(s(h.password), toTime(h.lastUsedDate));
    const folder = folders.get(s(raw.folderId));
    const cols = (Array.isArray(raw.collectionIds) ? raw.collectionIds : [])
      .map((c) => collections.get(s(c)))
      .filter((c): c is string => !!c);
    b.folder(folder || cols[0]);
    if (!folder && cols.length > 1) for (const c of cols.slice(1)) b.tag(c);
    if (cols.length > 1 && !folder) sink.note(title, `collections beyond the first (${cols.slice(1).join(", ")})`, "tag");
    if (folder && cols.length) {
      for (const c of cols) b.tag(c);
      sink.note(title, `collections (${cols.join(", ")})`, "tag");
    }
    const attachments = list(raw.attachments).length;
    if (attachments) b.lost(`${attachments} attachment(s)`);
    b.times(raw.creationDate, raw.revisionDate);
    if (raw.deletedDate) b.trashed(true);
  });
  return sink.result();
}
