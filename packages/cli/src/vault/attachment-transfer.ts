// Moves sealed attachment blobs between this device and the server: uploads in 16 MiB pieces that resume where
// the server stopped, downloads that resume where the local part stops, and the removals queued by `attachment rm`
// and `purge`, sent once the edit or tombstone has synced. Progress goes to stderr on a terminal.
import { existsSync, readFileSync, statSync } from "node:fs";
import { open } from "node:fs/promises";
import { join } from "node:path";
import { type AccountId, type Attachment, blobSize, CryptexError, decryptItem, type ItemId } from "@cryptex/core";
import type { ApiClient } from "@cryptex/core/client/api-client.ts";
import { writePrivateAtomic } from "../io/files.ts";
import type { Context } from "../program/context.ts";
import {
  type AttachmentDirs,
  decryptToFile,
  forgetBlob,
  keepDownload,
  markUploaded,
  openToFile,
  outboxIds,
  partOf,
  sealToOutbox,
} from "./attachment-files.ts";
import type { UnlockedVault } from "./unlock.ts";

/** one upload request: large enough that request and fsync costs stay small, small enough to resend cheaply */
const PIECE = 16 * 1024 * 1024;

/** A progress line on stderr, redrawn in place; only on a terminal and without --json. */
export function progress(ctx: Context, label: string, total: number): { add(n: number): void; done(): void } {
  const show = !ctx.json && process.stderr.isTTY === true;
  let have = 0;
  let shown = -1;
  const draw = () => {
    const pct = total === 0 ? 100 : Math.floor((have / total) * 100);
    if (pct === shown) return;
    shown = pct;
    const width = 30;
    const filled = Math.round((pct / 100) * width);
    process.stderr.write(`\r${label} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${pct}%`);
  };
  return {
    add(n) {
      have += n;
      if (show) draw();
    },
    done() {
      if (show && shown >= 0) process.stderr.write("\n");
    },
  };
}

async function readPiece(path: string, offset: number, length: number): Promise<Uint8Array> {
  const fh = await open(path, "r");
  try {
    const buf = new Uint8Array(length);
    const { bytesRead } = await fh.read(buf, 0, length, offset);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** Uploads one outbox blob from where the server stands; moves it to the local copies when complete. */
export async function uploadBlob(ctx: Context, dirs: AttachmentDirs, api: ApiClient, id: string, label = "Uploading"): Promise<void> {
  const path = join(dirs.outbox, id);
  const size = statSync(path).size;
  const state = await api.blobState(id);
  if (state && state.size !== size) throw new CryptexError("invalid_input", `the server holds blob ${id} with another size`);
  let offset = state?.received ?? 0;
  const bar = progress(ctx, label, size);
  bar.add(offset);
  try {
    while (offset < size) {
      const piece = await readPiece(path, offset, Math.min(PIECE, size - offset));
      const answer = await api.putBlob(id, offset, size, piece);
      if (answer.received <= offset) throw new CryptexError("invalid_input", "the server did not take the upload");
      bar.add(answer.received - offset);
      offset = answer.received;
    }
  } finally {
    bar.done();
  }
  markUploaded(dirs, id);
}

/**
 * Uploads a new blob while it is being sealed: frames are gathered into pieces, and one piece is sent while the
 * next fills (at most two pieces in memory). A failed send stops the uploads, not the sealing; `finish` says
 * whether the server holds the whole blob, and otherwise uploadBlob goes on from where it stands.
 */
export function pipelinedUpload(ctx: Context, api: ApiClient, a: Attachment) {
  const size = blobSize(a.size);
  const bar = progress(ctx, `Uploading ${a.name}`, size);
  let parts: Uint8Array[] = [];
  let held = 0;
  let offset = 0;
  let inFlight: Promise<void> = Promise.resolve();
  let failed: unknown;
  const send = (piece: Uint8Array, at: number) =>
    api.putBlob(a.id, at, size, piece).then(
      (answer) => {
        bar.add(answer.received - offset);
        offset = answer.received;
      },
      (e: unknown) => {
        failed ??= e;
      },
    );
  const handOff = async () => {
    const piece = Buffer.concat(parts, held);
    parts = [];
    held = 0;
    await inFlight; // the previous piece is on the server (or failed): the next starts where it ended
    if (failed === undefined) inFlight = send(piece, offset);
  };
  return {
    async push(frame: Uint8Array): Promise<void> {
      if (failed !== undefined) return;
      parts.push(frame);
      held += frame.length;
      if (held >= PIECE) await handOff();
    },
    /** Sends the rest; true when the server holds the whole blob. The first send error, if any, is `failed`. */
    async finish(): Promise<{ complete: boolean; failed: unknown }> {
      if (held > 0 && failed === undefined) await handOff();
      await inFlight;
      bar.done();
      return { complete: failed === undefined && offset === size, failed };
    },
  };
}

/**
 * Seals `file` into the outbox while uploading it, and calls `sealed` as soon as the sealed copy is complete (the
 * caller saves the item then, so an upload cut after that point resumes). A file that cannot be sealed throws and
 * what reached the server is deleted; an upload that failed or did not finish is reported, the copy is kept.
 */
export async function sealAndUpload(
  ctx: Context,
  dirs: AttachmentDirs,
  api: ApiClient,
  accountId: AccountId,
  a: Attachment,
  file: string,
  sealed: () => Promise<void>,
): Promise<{ complete: boolean; failed: unknown }> {
  const up = pipelinedUpload(ctx, api, a);
  try {
    await sealToOutbox(dirs, accountId, a, file, (frame) => up.push(frame));
  } catch (e) {
    await up.finish();
    await api.deleteBlob(a.id).catch(() => false);
    throw e;
  }
  await sealed();
  return up.finish();
}

/** Uploads every blob waiting in the outbox; returns how many went. */
export async function uploadOutbox(ctx: Context, dirs: AttachmentDirs, api: ApiClient): Promise<number> {
  const ids = outboxIds(dirs);
  for (const id of ids) await uploadBlob(ctx, dirs, api, id);
  return ids.length;
}

/**
 * Fetches an attachment's sealed blob into the local copies, resuming a part left by an interrupted download.
 * A server that sends fewer or more bytes than the attachment has is refused (`tampered` / too large).
 */
export async function downloadBlob(ctx: Context, dirs: AttachmentDirs, api: ApiClient, a: Attachment): Promise<string> {
  const expected = blobSize(a.size);
  const part = partOf(dirs, a);
  const bar = progress(ctx, `Downloading ${a.name}`, expected);
  bar.add(part.have);
  const fh = await open(part.path, "a", 0o600);
  let have = part.have;
  // what arrived is written in 1 MiB batches (one write per TLS record costs more than the bytes), and always
  // before an error propagates, so an interrupted download resumes after the last byte received
  let batch: Uint8Array[] = [];
  let held = 0;
  const flush = async () => {
    if (held > 0) await fh.write(Buffer.concat(batch, held));
    batch = [];
    held = 0;
  };
  try {
    try {
      if (have < expected)
        for await (const c of api.getBlob(a.id, have, expected - have)) {
          batch.push(c);
          held += c.length;
          have += c.length;
          bar.add(c.length);
          if (held >= 1024 * 1024) await flush();
        }
    } finally {
      await flush().catch(() => {});
    }
    await fh.sync();
  } finally {
    await fh.close();
    bar.done();
  }
  if (have !== expected) {
    forgetBlob(dirs, a.id);
    throw new CryptexError("tampered", "the server's copy of the attachment is cut short");
  }
  return keepDownload(dirs, a);
}

/**
 * `attachment get` without a local copy: decrypts into `out` while the blob arrives, keeping the sealed bytes as the
 * local copy at the same time. A blob that fails verification leaves neither `out` nor the copy; a cut connection
 * leaves the part, and the next get resumes it (download first, then decrypt).
 */
export async function downloadToFile(
  ctx: Context,
  dirs: AttachmentDirs,
  api: ApiClient,
  accountId: AccountId,
  a: Attachment,
  out: string,
): Promise<void> {
  const part = partOf(dirs, a);
  if (part.have > 0) return openToFile(accountId, a, await downloadBlob(ctx, dirs, api, a), out);
  const expected = blobSize(a.size);
  const bar = progress(ctx, `Downloading ${a.name}`, expected);
  const fh = await open(part.path, "a", 0o600);
  let batch: Uint8Array[] = [];
  let held = 0;
  const flush = async () => {
    if (held > 0) await fh.write(Buffer.concat(batch, held));
    batch = [];
    held = 0;
  };
  async function* tee(): AsyncGenerator<Uint8Array> {
    try {
      for await (const c of api.getBlob(a.id, 0, expected)) {
        batch.push(c);
        held += c.length;
        bar.add(c.length);
        if (held >= 1024 * 1024) await flush();
        yield c;
      }
    } finally {
      await flush().catch(() => {});
    }
  }
  try {
    try {
      await decryptToFile(accountId, a, tee(), out);
      await fh.sync();
    } finally {
      await fh.close();
      bar.done();
    }
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === "tampered" || code === "answer_too_large") forgetBlob(dirs, a.id);
    throw e;
  }
  keepDownload(dirs, a);
}

// ---- removals: ids only (no keys), sent after the edit or tombstone that dropped them has synced ----

interface Removal {
  readonly item: string;
  readonly id: string;
}

const removalsPath = (dirs: AttachmentDirs) => join(dirs.root, "removed.json");

function readRemovals(dirs: AttachmentDirs): Removal[] {
  if (!existsSync(removalsPath(dirs))) return [];
  try {
    const v = JSON.parse(readFileSync(removalsPath(dirs), "utf8")) as unknown;
    return Array.isArray(v) ? v.filter((r): r is Removal => typeof r?.item === "string" && typeof r?.id === "string") : [];
  } catch {
    return [];
  }
}

const writeRemovals = (dirs: AttachmentDirs, list: readonly Removal[]) =>
  writePrivateAtomic(removalsPath(dirs), new TextEncoder().encode(JSON.stringify(list)));

/** Remembers blobs to delete on the server once the change that dropped them has synced; drops the local copies. */
export function queueRemovals(dirs: AttachmentDirs, item: ItemId, ids: readonly string[]): void {
  if (ids.length === 0) return;
  writeRemovals(dirs, [...readRemovals(dirs), ...ids.map((id) => ({ item, id }))]);
  for (const id of ids) forgetBlob(dirs, id);
}

/**
 * After a sync: deletes the queued blobs whose removal reached the server (the item is no longer pending here)
 * and that no version of the item refers to again (a conflict may have brought the attachment back).
 */
export async function sendRemovals(v: UnlockedVault, dirs: AttachmentDirs, api: ApiClient): Promise<number> {
  const list = readRemovals(dirs);
  if (list.length === 0) return 0;
  const left: Removal[] = [];
  let sent = 0;
  for (const r of list) {
    const stored = await v.store.readItem(r.item as ItemId);
    if (stored?.pending) {
      left.push(r);
      continue;
    }
    if (stored && !stored.deleted && stored.data) {
      const item = await decryptItem(v.keys, r.item as ItemId, stored.data).catch(() => undefined);
      if (item?.attachments?.some((a) => a.id === r.id)) continue; // back again: keep the blob
    }
    if (await api.deleteBlob(r.id)) sent++;
  }
  writeRemovals(dirs, left);
  return sent;
}
