// Proton Pass's unencrypted export (a zip holding "Proton Pass/data.json", or that JSON alone): vaults
// become folders; logins, notes, cards, identities and aliases typed; extra fields custom fields; pinned
// items favourites; trashed items into the trash; passkeys and attachments named as lost.
import { CryptexError } from "../../errors.ts";
import { type ParseResult, ParseSink } from "../imported-item.ts";

type J = Record<string, unknown>;
const isObj = (v: unknown): v is J => typeof v === "object" && v !== null && !Array.isArray(v);
const list = (v: unknown): J[] => (Array.isArray(v) ? v.filter(isObj) : []);
const s = (v: unknown): string => (typeof v === "string" ? v : typeof v === "number" ? String(v) : "");

export const isProtonJson = (j: unknown): boolean => isObj(j) && isObj(j.vaults) && "userId" in j;
export const protonJsonOfZip = (zip: Map<string, Uint8Array> | null): Uint8Array | undefined =>
  zip ? [...zip].find(([k]) => /(^|\/)data\.json$/.test(k) && k.toLowerCase().includes("proton"))?.[1] : undefined;

export function parseProtonPass(json: unknown): ParseResult {
  if (!isProtonJson(json)) throw new CryptexError("invalid_input", "not a Proton Pass export");
  if ((json as J).encrypted === true)
    throw new CryptexError("unsupported_format", "this Proton Pass export is PGP-encrypted: export it again without encryption");
  const sink = new ParseSink();
  for (const vault of Object.values((json as J).vaults as J).filter(isObj)) {
    const folder = s(vault.name);
    for (const raw of list(vault.items)) {
      const data = isObj(raw.data) ? raw.data : {};
      const meta = isObj(data.metadata) ? data.metadata : {};
      const c = isObj(data.content) ? data.content : {};
      const title = s(meta.name) || "(untitled)";
      const t = s(data.type);
      const b = sink.item(
        t === "creditCard" ? "credit-card" : t === "identity" ? "identity" : t === "note" ? "secure-note" : "login",
        title,
      );
      if (t === "login" || t === "alias") {
        b.set("username", s(c.itemUsername) || s(c.itemEmail))
          .set("password", s(c.password))
          .set("totp", s(c.totpUri));
        if (s(c.itemUsername) && s(c.itemEmail)) b.extra("Email", s(c.itemEmail), "email");
        for (const u of Array.isArray(c.urls) ? c.urls : []) b.url(s(u));
        if (t === "alias") b.extra("Alias", s(raw.aliasEmail), "email");
        const pk = list(c.passkeys).length;
        if (pk) b.lost(`${pk} passkey(s)`);
      } else if (t === "creditCard") {
        const exp = /^(\d{4})-(\d{2})$/.exec(s(c.expirationDate));
        b.set("cardholder", s(c.cardholderName)).set("number", s(c.number)).set("cvv", s(c.verificationNumber)).set("pin", s(c.pin));
        b.set("expiry", exp ? `${exp[2]}/${exp[1]}` : s(c.expirationDate));
      } else if (t === "identity") {
        const map: Record<string, string> = {
          firstName: "first-name",
          lastName: "last-name",
          email: "email",
          phoneNumber: "phone",
          birthdate: "birth-date",
          company: "company",
          socialSecurityNumber: "ssn",
        };
        for (const [k, v] of Object.entries(c)) {
          if (typeof v !== "string" || !v) continue;
          if (map[k]) b.set(map[k], v, k);
          else b.extra(k, v);
        }
      } else if (t !== "note") {
        b.tag(`proton-${t}`);
        for (const [k, v] of Object.entries(c)) if (typeof v === "string") b.extra(k, v);
      }
      for (const f of list(data.extraFields)) {
        const d = isObj(f.data) ? f.data : {};
        b.custom(s(f.fieldName) || "field", s(d.content), f.type === "hidden" ? "hidden" : f.type === "totp" ? "totp" : "text");
      }
      b.notes(s(meta.note))
        .folder(folder)
        .favorite(raw.pinned === true)
        .trashed(raw.state === 2);
      b.times(raw.createTime, raw.modifyTime);
      const files = list(raw.files).length;
      if (files) b.lost(`${files} attachment(s)`);
    }
  }
  return sink.result();
}
