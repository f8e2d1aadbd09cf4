// The account's sync method as its devices store it on the server: sealed under a key derived from the
// Account Key, so the server keeps it without reading it, and a new device learns after sign-in how
// the account syncs and asks only for what is local (the folder's path here, the WebDAV password).
//   envelope (formats/envelope.ts) of JSON { v: 1, kind, hint?, url?, user? },
//   key = HKDF-SHA256(manifest key material, account id, "cryptex/v1/sync-profile"), AAD = aad("sync-profile", account)
import { hkdfAesKey } from "../../crypto/hkdf.ts";
import { fromUtf8, utf8 } from "../../encoding/bytes.ts";
import { CryptexError } from "../../errors.ts";
import { aad } from "../../formats/aad.ts";
import { openEnvelope, sealEnvelope } from "../../formats/envelope.ts";
import { type AccountKeys, info } from "../../keys/derive.ts";
import { uuidToBytes } from "../../keys/ids.ts";
import { literal, obj, oneOf, parse, str } from "../../schema/shape.ts";

export type SyncProfile =
  | { readonly kind: "server" | "none" }
  /** `hint`: the folder's name on the device that chose it ("Dropbox"), never a whole path */
  | { readonly kind: "folder"; readonly hint?: string }
  | { readonly kind: "webdav"; readonly url: string; readonly user?: string };

const shape = obj(
  {
    v: literal(1),
    kind: oneOf(["server", "none", "folder", "webdav"] as const),
    hint: str({ max: 255 }),
    url: str({ min: 1, max: 2048 }),
    user: str({ min: 1, max: 255 }),
  },
  ["hint", "url", "user"],
);

const profileKey = (keys: AccountKeys) => hkdfAesKey(keys.manifest, uuidToBytes(keys.accountId), info("sync-profile"));

export async function sealSyncProfile(keys: AccountKeys, p: SyncProfile): Promise<Uint8Array> {
  const value = { v: 1, ...p };
  parse(shape, value);
  return sealEnvelope(await profileKey(keys), utf8(JSON.stringify(value)), aad("sync-profile", keys.accountId));
}

/** Opens a profile from the server: `tampered` if it is not this account's, `invalid_input` if malformed. */
export async function openSyncProfile(keys: AccountKeys, bytes: Uint8Array): Promise<SyncProfile> {
  const plain = await openEnvelope(await profileKey(keys), bytes, aad("sync-profile", keys.accountId));
  let v: { kind: SyncProfile["kind"]; hint?: string; url?: string; user?: string };
  try {
    v = parse(shape, JSON.parse(fromUtf8(plain)));
  } catch {
    throw new CryptexError("invalid_input", "the account's sync profile is malformed");
  }
  switch (v.kind) {
    case "server":
    case "none":
      return { kind: v.kind };
    case "folder":
      return { kind: "folder", ...(v.hint !== undefined ? { hint: v.hint } : {}) };
    case "webdav":
      if (!v.url) throw new CryptexError("invalid_input", "the account's sync profile is malformed");
      return { kind: "webdav", url: v.url, ...(v.user !== undefined ? { user: v.user } : {}) };
  }
}
