// An export Bitwarden can import (its unencrypted JSON): logins, notes, cards and identities as
// Bitwarden's own types; other Cryptex types as secure notes with their fields as custom fields and a
// "Cryptex type" field, so Cryptex can bring them back typed. Tags travel as a "Tags" field.
import { newUuid } from "../keys/ids.ts";
import type { Field, Item } from "../vault/item.ts";

type J = Record<string, unknown>;
const BW_TYPE: Partial<Record<string, number>> = { login: 1, "secure-note": 2, "credit-card": 3, identity: 4 };

export const CRYPTEX_TYPE_FIELD = "Cryptex type";
export const TAGS_FIELD = "Tags";

export function writeBitwardenJson(items: readonly Item[]): string {
  const folderIds = new Map<string, string>();
  for (const i of items) if (i.folder && !folderIds.has(i.folder)) folderIds.set(i.folder, newUuid());
  return `${JSON.stringify(
    {
      encrypted: false,
      folders: [...folderIds].map(([name, id]) => ({ id, name })),
      items: items.map((i) => toBitwarden(i, folderIds)),
    },
    null,
    2,
  )}\n`;
}

function toBitwarden(item: Item, folderIds: Map<string, string>): J {
  const type = BW_TYPE[item.type] ?? 2;
  const get = (name: string) => item.fields.find((f) => !f.custom && f.name === name)?.value ?? null;
  const used = new Set<Field>();
  const take = (name: string) => {
    const f = item.fields.find((x) => !x.custom && x.name === name && !used.has(x));
    if (f) used.add(f);
    return f?.value ?? null;
  };
  const out: J = {
    id: newUuid(),
    organizationId: null,
    folderId: item.folder ? folderIds.get(item.folder) : null,
    type,
    reprompt: 0,
    name: item.title,
    notes: item.notes || null,
    favorite: item.favorite,
    creationDate: new Date(item.createdAt).toISOString(),
    revisionDate: new Date(item.updatedAt).toISOString(),
    deletedDate: item.trashedAt === null ? null : new Date(item.trashedAt).toISOString(),
    collectionIds: null,
  };
  if (type === 1) {
    const extraUrls = item.fields.filter((f) => f.custom && f.kind === "url");
    for (const f of extraUrls) used.add(f);
    const uris = [take("url"), ...extraUrls.map((f) => f.value)].filter((u): u is string => u !== null);
    out.login = {
      uris: uris.map((uri) => ({ match: null, uri })),
      username: take("username"),
      password: take("password"),
      totp: take("totp"),
      fido2Credentials: [],
    };
  } else if (type === 2) out.secureNote = { type: 0 };
  else if (type === 3) {
    const exp = /^(\d{1,2})\/(\d{2,4})$/.exec(get("expiry") ?? "");
    if (exp) take("expiry");
    out.card = {
      cardholderName: take("cardholder"),
      brand: take("card-type"),
      number: take("number"),
      expMonth: exp ? exp[1] : null,
      expYear: exp ? exp[2] : null,
      code: take("cvv"),
    };
  } else if (type === 4) {
    out.identity = {
      title: null,
      firstName: take("first-name"),
      middleName: null,
      lastName: take("last-name"),
      address1: take("address"),
      address2: null,
      address3: null,
      city: null,
      state: null,
      postalCode: null,
      country: null,
      company: take("company"),
      email: take("email"),
      phone: take("phone"),
      ssn: take("ssn"),
      username: null,
      passportNumber: null,
      licenseNumber: null,
    };
  }
  const fields: J[] = [];
  if (BW_TYPE[item.type] === undefined) fields.push({ name: CRYPTEX_TYPE_FIELD, value: item.type, type: 0, linkedId: null });
  for (const f of item.fields)
    if (!used.has(f)) fields.push({ name: f.name, value: f.value, type: f.kind === "hidden" ? 1 : 0, linkedId: null });
  if (item.tags.length) fields.push({ name: TAGS_FIELD, value: item.tags.join(", "), type: 0, linkedId: null });
  out.fields = fields;
  out.passwordHistory = item.history
    .filter((h) => h.field === "password")
    .map((h) => ({ lastUsedDate: new Date(h.changedAt).toISOString(), password: h.value }));
  return out;
}
