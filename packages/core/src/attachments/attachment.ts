// An attachment as its item records it: id, name, size, media type and its own random 256-bit key. The record
// lives inside the item, so the item key protects the attachment key; the server holds only the sealed blob.
import { importAesKey } from "../crypto/aead.ts";
import { randomBytes } from "../crypto/random.ts";
import { b64uDecode, b64uEncode } from "../encoding/base64.ts";
import { CryptexError } from "../errors.ts";
import type { AccountId } from "../keys/ids.ts";
import { newUuid } from "../keys/ids.ts";
import { type Infer, int, obj, str } from "../schema/shape.ts";
import { LIMITS } from "../wire/limits.ts";
import type { AttachmentBinding } from "./attachment-stream.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export const attachmentShape = obj({
  id: str({ max: 36, pattern: UUID }),
  name: str({ min: 1, max: LIMITS.attachmentName }),
  size: int(0, LIMITS.attachmentBytes),
  /** a media type as the device guessed it ("image/png"); shown and used for previews, never trusted for more */
  type: str({ max: LIMITS.attachmentType, pattern: /^[A-Za-z0-9!#$&^_.+-]+\/[A-Za-z0-9!#$&^_.+-]+$|^$/ }),
  /** the attachment key, 32 bytes base64url */
  key: str({ min: 43, max: 43, pattern: /^[A-Za-z0-9_-]{43}$/ }),
  addedAt: int(0, 8.64e15),
});

export type Attachment = Infer<typeof attachmentShape>;

/** The last path segment, control characters and separators removed, bounded: safe to show and to save under. */
export function cleanAttachmentName(name: string): string {
  const base = name.split(/[/\\]/).pop() ?? "";
  const clean = [...base]
    .filter((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) !== 0x7f)
    .join("")
    .trim()
    .slice(0, LIMITS.attachmentName);
  return clean === "" || clean === "." || clean === ".." ? "attachment" : clean;
}

/** A new record with a fresh id and key; refuses a file over `LIMITS.attachmentBytes`. */
export function newAttachment(name: string, size: number, type: string, now = Date.now()): Attachment {
  if (!Number.isSafeInteger(size) || size < 0) throw new CryptexError("invalid_input", "invalid attachment size");
  if (size > LIMITS.attachmentBytes)
    throw new CryptexError("too_large", `the file has ${size} bytes, over the limit of ${LIMITS.attachmentBytes}`, {
      size,
      limit: LIMITS.attachmentBytes,
    });
  const t = type.toLowerCase().split(";")[0]!.trim();
  const validType = /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(t) && t.length <= LIMITS.attachmentType;
  return {
    id: newUuid(),
    name: cleanAttachmentName(name),
    size,
    type: validType ? t : "",
    key: b64uEncode(randomBytes(32)),
    addedAt: now,
  };
}

/** The key and identity a blob is sealed under. */
export async function attachmentBinding(accountId: AccountId, a: Attachment): Promise<AttachmentBinding> {
  const raw = b64uDecode(a.key);
  if (!raw || raw.length !== 32) throw new CryptexError("invalid_item", "attachment key is malformed");
  return { accountId, attachmentId: a.id, key: await importAesKey(raw) };
}

/** The item's attachment called `name` (exact, then case-insensitive), or by id. */
export function findAttachment(list: readonly Attachment[], name: string): Attachment | undefined {
  return list.find((a) => a.name === name || a.id === name) ?? list.find((a) => a.name.toLowerCase() === name.toLowerCase());
}

const TYPES: Readonly<Record<string, string>> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  pdf: "application/pdf",
  txt: "text/plain",
  md: "text/markdown",
  csv: "text/csv",
  json: "application/json",
  pem: "application/x-pem-file",
  zip: "application/zip",
};

/** A media type from the file name's extension ("" when unknown): for display and previews only. */
export function guessMediaType(name: string): string {
  const ext = /\.([A-Za-z0-9]{1,8})$/.exec(name)?.[1]?.toLowerCase() ?? "";
  return TYPES[ext] ?? "";
}

/** Media types a device may show inline (images and PDF, as blob: URLs); anything else is only downloaded. */
export const PREVIEW_TYPES: readonly string[] = ["image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf"];
