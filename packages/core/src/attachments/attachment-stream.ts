// The attachment blob format (docs/security.md "Attachments"): the file in 64 KiB chunks, each sealed on its own
// with AES-256-GCM under the attachment's key: nonce (12) ‖ ciphertext ‖ tag (16). The AAD binds the account, the
// attachment id, the chunk index and a final-chunk flag, so a reordered, swapped, replayed or cut-short blob fails.
import { NONCE_BYTES, openWithNonce, sealWithNonce, TAG_BYTES } from "../crypto/aead.ts";
import { randomBytes } from "../crypto/random.ts";
import { CryptexError } from "../errors.ts";
import { aad } from "../formats/aad.ts";
import type { AccountId } from "../keys/ids.ts";

export const CHUNK_BYTES = 65536;
export const FRAME_OVERHEAD = NONCE_BYTES + TAG_BYTES;
/** one sealed chunk on the wire, at most */
export const FRAME_BYTES = CHUNK_BYTES + FRAME_OVERHEAD;

/** Chunks of a file of `size` bytes: an empty file is one empty final chunk. */
export const chunkCount = (size: number): number => Math.max(1, Math.ceil(size / CHUNK_BYTES));

/** The blob's size for a file of `size` bytes: what the server stores and counts. */
export const blobSize = (size: number): number => size + chunkCount(size) * FRAME_OVERHEAD;

/** Where chunk `index` starts in the blob (resumed uploads and downloads start at a chunk boundary). */
export const frameOffset = (index: number): number => index * FRAME_BYTES;

/** What a blob is bound to: its account, its attachment id (a UUID) and its key. */
export interface AttachmentBinding {
  readonly accountId: AccountId;
  readonly attachmentId: string;
  readonly key: CryptoKey;
}

function chunkAad(b: AttachmentBinding, index: number, final: boolean): Uint8Array {
  const extra = new Uint8Array(5);
  new DataView(extra.buffer).setUint32(0, index);
  extra[4] = final ? 1 : 0;
  return aad("attachment", b.accountId, b.attachmentId, extra);
}

/** Seals one chunk; `nonce` is given only by known-answer tests, production always draws a fresh one. */
export async function sealChunk(
  b: AttachmentBinding,
  index: number,
  final: boolean,
  plain: Uint8Array,
  nonce: Uint8Array = randomBytes(NONCE_BYTES),
): Promise<Uint8Array> {
  if (plain.length > CHUNK_BYTES) throw new RangeError("a chunk holds at most 64 KiB");
  return sealWithNonce(b.key, nonce, plain, chunkAad(b, index, final));
}

export async function openChunk(b: AttachmentBinding, index: number, final: boolean, frame: Uint8Array): Promise<Uint8Array> {
  if (frame.length < FRAME_OVERHEAD || frame.length > FRAME_BYTES) throw new CryptexError("tampered", "attachment failed to verify");
  return openWithNonce(b.key, frame.subarray(0, NONCE_BYTES), frame.subarray(NONCE_BYTES), chunkAad(b, index, final));
}

/** Re-cuts a byte stream into pieces of exactly `size` bytes (the last may be shorter). */
async function* rechunk(source: AsyncIterable<Uint8Array>, size: number): AsyncGenerator<Uint8Array> {
  let buf = new Uint8Array(size);
  let used = 0;
  for await (const part of source) {
    let at = 0;
    while (at < part.length) {
      const n = Math.min(size - used, part.length - at);
      buf.set(part.subarray(at, at + n), used);
      used += n;
      at += n;
      if (used === size) {
        yield buf;
        buf = new Uint8Array(size);
        used = 0;
      }
    }
  }
  if (used > 0) yield buf.subarray(0, used);
}

/** Pairs each piece with whether it is the last one (one piece of look-ahead). */
async function* withLast<T>(source: AsyncIterable<T>): AsyncGenerator<[T, boolean]> {
  let held: { v: T } | undefined;
  for await (const v of source) {
    if (held) yield [held.v, false];
    held = { v };
  }
  if (held) yield [held.v, true];
}

/**
 * Encrypts a file stream into sealed frames, one per 64 KiB chunk, starting at chunk `startIndex` (a resumed
 * upload passes the file from that chunk's start). The caller's stream must end where the file ends.
 */
export async function* encryptAttachment(
  b: AttachmentBinding,
  source: AsyncIterable<Uint8Array>,
  startIndex = 0,
): AsyncGenerator<Uint8Array> {
  let index = startIndex;
  let any = false;
  for await (const [plain, last] of withLast(rechunk(source, CHUNK_BYTES))) {
    any = true;
    yield await sealChunk(b, index++, last, plain);
  }
  if (!any) yield await sealChunk(b, index, true, new Uint8Array(0));
}

/**
 * Decrypts a blob stream (from chunk `startIndex` on) into the file's bytes. `size` is the plaintext size the item
 * records: a blob with more or fewer chunks, a chunk out of place or one that is not the last where the stream
 * ends is one `tampered` error. Bytes already yielded are verified; a caller writing a file must still discard it
 * when the iteration throws.
 */
export async function* decryptAttachment(
  b: AttachmentBinding,
  source: AsyncIterable<Uint8Array>,
  size: number,
  startIndex = 0,
): AsyncGenerator<Uint8Array> {
  if (!Number.isSafeInteger(size) || size < 0) throw new CryptexError("invalid_input", "invalid attachment size");
  const total = chunkCount(size);
  const lastPlain = size - (total - 1) * CHUNK_BYTES;
  let index = startIndex;
  for await (const [frame, last] of withLast(rechunk(source, FRAME_BYTES))) {
    if (index >= total) throw new CryptexError("tampered", "attachment failed to verify");
    const isFinal = index === total - 1;
    // the flag is authenticated, but checking the position first makes a cut or padded blob fail early
    if (last !== isFinal) throw new CryptexError("tampered", "attachment failed to verify");
    const plain = await openChunk(b, index, isFinal, frame);
    if (plain.length !== (isFinal ? lastPlain : CHUNK_BYTES)) throw new CryptexError("tampered", "attachment failed to verify");
    index++;
    yield plain;
  }
  if (index !== total) throw new CryptexError("tampered", "attachment failed to verify");
}
