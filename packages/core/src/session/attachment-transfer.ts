// Sealing an attachment while it uploads to the server in pieces, and opening one it downloads: the work of
// OpenVault's attach and openAttachment, apart so the session object stays about the session.

import { type Attachment, attachmentBinding } from "../attachments/attachment.ts";
import { blobSize, decryptAttachment, encryptAttachment } from "../attachments/attachment-stream.ts";
import type { ApiClient } from "../client/api-client.ts";
import type { AccountId } from "../keys/ids.ts";

/** Bytes sent per request: large enough to keep requests few, small enough to resume after a failure. */
const PIECE = 8 * 1024 * 1024;

/** Seals `chunks` (the file's bytes in order) under the attachment's key and uploads it; `onBytes` as pieces land. */
export async function uploadAttachment(
  api: ApiClient,
  accountId: AccountId,
  a: Attachment,
  chunks: AsyncIterable<Uint8Array>,
  onBytes?: (sent: number, total: number) => void,
): Promise<void> {
  const b = await attachmentBinding(accountId, a);
  const size = blobSize(a.size);
  let piece: Uint8Array[] = [];
  let held = 0;
  let offset = 0;
  const send = async () => {
    const body = new Uint8Array(held);
    let at = 0;
    for (const p of piece) {
      body.set(p, at);
      at += p.length;
    }
    offset = (await api.putBlob(a.id, offset, size, body)).received;
    onBytes?.(offset, size);
    piece = [];
    held = 0;
  };
  for await (const frame of encryptAttachment(b, chunks)) {
    piece.push(frame);
    held += frame.length;
    if (held >= PIECE) await send();
  }
  if (held > 0) await send();
}

/** The attachment's plaintext, returned only once every chunk verified (a tampered blob yields nothing). */
export async function downloadAttachment(api: ApiClient, accountId: AccountId, a: Attachment): Promise<Uint8Array[]> {
  const b = await attachmentBinding(accountId, a);
  const parts: Uint8Array[] = [];
  for await (const p of decryptAttachment(b, api.getBlob(a.id, 0, blobSize(a.size)), a.size)) parts.push(p);
  return parts;
}
