// What `cryptex sync` does for attachments around the item sync: blobs waiting in the outbox go up first (so an
// item rarely reaches other devices before its file), queued removals go after, and with --attachments every
// attachment this device lacks is downloaded and verified.
import { type Attachment, CryptexError, decryptItem, type ItemId } from "@cryptex/core";
import type { ApiClient } from "@cryptex/core/client/api-client.ts";
import type { Context } from "../program/context.ts";
import { type AttachmentDirs, localBlob, verifyBlob } from "./attachment-files.ts";
import { downloadBlob, sendRemovals, uploadOutbox } from "./attachment-transfer.ts";
import { readEntries } from "./read-index.ts";
import type { UnlockedVault } from "./unlock.ts";

export interface AttachmentSyncReport {
  uploaded: number;
  removed: number;
  downloaded: number;
  failed: { name: string; code: string }[];
}

/** Every attachment of every item this device holds (trash included). */
async function allAttachments(v: UnlockedVault): Promise<Attachment[]> {
  const ids = (await readEntries(v)).map((e) => e.id as ItemId);
  const stored = await v.store.readItems(ids);
  const out: Attachment[] = [];
  for (const [id, s] of stored) {
    if (s.deleted || !s.data) continue;
    const item = await decryptItem(v.keys, id, s.data).catch(() => undefined);
    out.push(...(item?.attachments ?? []));
  }
  return out;
}

export const uploadPending = (ctx: Context, dirs: AttachmentDirs, api: ApiClient) => uploadOutbox(ctx, dirs, api);

export async function afterItemSync(
  ctx: Context,
  v: UnlockedVault,
  dirs: AttachmentDirs,
  api: ApiClient,
  downloadAll: boolean,
  report: AttachmentSyncReport,
): Promise<void> {
  report.uploaded += await uploadOutbox(ctx, dirs, api);
  report.removed += await sendRemovals(v, dirs, api);
  if (!downloadAll) return;
  for (const a of await allAttachments(v)) {
    if (localBlob(dirs, a)) continue;
    try {
      await verifyBlob(v.accountId, a, await downloadBlob(ctx, dirs, api, a));
      report.downloaded++;
    } catch (e) {
      const code = (e as { code?: string }).code ?? "error";
      if (code === "network") throw e;
      report.failed.push({ name: a.name, code });
    }
  }
}

/** Tells what moved (text mode); a blob that failed verification ends the command with its error code. */
export function reportAttachments(ctx: Context, r: AttachmentSyncReport): void {
  if (!ctx.json) {
    const parts = [
      r.uploaded ? `${r.uploaded} uploaded` : "",
      r.downloaded ? `${r.downloaded} downloaded` : "",
      r.removed ? `${r.removed} removed from the server` : "",
    ].filter(Boolean);
    if (parts.length) ctx.out(`Attachments: ${parts.join(", ")}.`);
  }
  const bad = r.failed.filter((f) => f.code === "tampered" || f.code === "answer_too_large");
  for (const f of r.failed.filter((x) => !bad.includes(x)))
    ctx.err(`Attachment "${f.name}" is not on the server (yet): its upload has not finished on the device that added it (${f.code}).`);
  if (bad.length > 0)
    throw new CryptexError(
      "tampered",
      `the server's copy of ${bad.map((f) => `"${f.name}"`).join(", ")} failed verification and was not kept`,
    );
}
