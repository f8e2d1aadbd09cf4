// An attachment blob as a file in a synced folder or WebDAV collection (docs/sync.md "Attachments"): a short
// public header naming the attachment, then the sealed frames exactly as the server stores them. The frames'
// AAD already binds account, attachment id, chunk index and the final flag; the header only lets a reader say
// "this is another attachment's blob" (swapped, or an older one put back) instead of a bare failure. Sync
// clients deliver files partially and in any order, so a short file, or a frame still all zeros, reads as
// "not here yet" — never as corruption.
//
//   att/<writer device id>/<attachment id>.cxa = "CXAB" (4) ‖ version 1 (1) ‖ attachment id (16) ‖ sealed frames
import { equalBytes, utf8 } from "../encoding/bytes.ts";
import { bytesToUuid, uuidToBytes } from "../keys/ids.ts";
import type { Attachment } from "./attachment.ts";
import { blobSize, FRAME_BYTES } from "./attachment-stream.ts";

const MAGIC = utf8("CXAB");
export const BLOB_HEADER_BYTES = 4 + 1 + 16;

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
// Syncthing's ".sync-conflict-…" after the name, Dropbox's " (conflicted copy …)" before the extension
const PATH_RE = new RegExp(`^att/(${UUID})/(${UUID})( ?\\([^)]*\\))?\\.cxa(\\.sync-conflict-\\d{8}-\\d{6}(?:-[0-9A-Z]{7})?)?$`, "i");

/** Where a device publishes the blob of an attachment it added: under its own id, so only it ever removes it. */
export const attachmentBlobPath = (deviceId: string, attachmentId: string): string => `att/${deviceId}/${attachmentId}.cxa`;

/** A listed path read as a blob file (the writer and the attachment it claims), or undefined when it is not one. */
export function parseAttachmentBlobPath(path: string): { deviceId: string; attachmentId: string; path: string } | undefined {
  const m = PATH_RE.exec(path);
  if (!m) return undefined;
  return { deviceId: m[1]!.toLowerCase(), attachmentId: m[2]!.toLowerCase(), path };
}

export const blobFileHeader = (attachmentId: string): Uint8Array => {
  const out = new Uint8Array(BLOB_HEADER_BYTES);
  out.set(MAGIC, 0);
  out[4] = 1;
  out.set(uuidToBytes(attachmentId), 5);
  return out;
};

/** The exact size of the file for attachment `a`: anything longer is not its blob. */
export const blobFileSize = (a: Pick<Attachment, "size">): number => BLOB_HEADER_BYTES + blobSize(a.size);

/** What a blob file is, judged from its size and its first bytes (before any decryption). */
export type BlobFileState =
  | { readonly kind: "ok" }
  /** shorter than the attachment, or its header not written yet: still arriving (or cut short) — try again later */
  | { readonly kind: "incomplete" }
  /** the file is another attachment's blob, or longer than this one's: refused */
  | { readonly kind: "mismatch"; readonly reason: "other_attachment" | "too_long" | "not_a_blob" };

export function checkBlobFile(a: Pick<Attachment, "id" | "size">, fileSize: number, head: Uint8Array): BlobFileState {
  const expected = blobFileSize(a);
  if (fileSize > expected) return { kind: "mismatch", reason: "too_long" };
  if (fileSize < expected || head.length < BLOB_HEADER_BYTES) return { kind: "incomplete" };
  const h = head.subarray(0, BLOB_HEADER_BYTES);
  if (h.every((b) => b === 0)) return { kind: "incomplete" };
  if (!equalBytes(h.subarray(0, 4), MAGIC) || h[4] !== 1) return { kind: "mismatch", reason: "not_a_blob" };
  if (bytesToUuid(h.subarray(5)) !== a.id) return { kind: "mismatch", reason: "other_attachment" };
  return { kind: "ok" };
}

/**
 * A sealed frame that is all zeros was never written: a sync client that fills a file out of order leaves holes
 * of zeros (a real frame is a nonce and a GCM ciphertext: all zeros has no chance to occur).
 */
export const isUnwrittenFrame = (frame: Uint8Array): boolean => frame.length > 0 && frame.every((b) => b === 0);

/** Re-cuts the sealed bytes after the header into whole frames (the last may be shorter), as decryption reads them. */
export async function* sealedFrames(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  let buf = new Uint8Array(FRAME_BYTES);
  let used = 0;
  for await (const part of source) {
    let at = 0;
    while (at < part.length) {
      const n = Math.min(FRAME_BYTES - used, part.length - at);
      buf.set(part.subarray(at, at + n), used);
      used += n;
      at += n;
      if (used === FRAME_BYTES) {
        yield buf;
        buf = new Uint8Array(FRAME_BYTES);
        used = 0;
      }
    }
  }
  if (used > 0) yield buf.subarray(0, used);
}
