// This device's attachment blobs under <home>/attachments: sealed copies only (the same bytes the server keeps).
// outbox/<id> waits to be uploaded, <id> is a complete local copy, <id>.part a download that resumes. Opening
// a blob writes a temporary file renamed over --out only once every chunk has verified.
import { randomBytes } from "node:crypto";
import { createReadStream, existsSync, mkdirSync, readdirSync, renameSync, statSync, unlinkSync } from "node:fs";
import { open } from "node:fs/promises";
import { dirname, join } from "node:path";
import { type AccountId, type Attachment, attachmentBinding, blobSize, decryptAttachment, encryptAttachment } from "@cryptex/core";
import { CliError } from "../errors/cli-error.ts";

export interface AttachmentDirs {
  readonly root: string;
  readonly outbox: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export function attachmentDirs(home: string): AttachmentDirs {
  const root = join(home, "attachments");
  const outbox = join(root, "outbox");
  mkdirSync(outbox, { recursive: true, mode: 0o700 });
  return { root, outbox };
}

/** A complete sealed copy on this device (uploaded or waiting), or undefined. */
export function localBlob(dirs: AttachmentDirs, a: Attachment): string | undefined {
  for (const p of [join(dirs.root, a.id), join(dirs.outbox, a.id)]) if (existsSync(p) && statSync(p).size === blobSize(a.size)) return p;
  return undefined;
}

/** Ids of blobs waiting to be uploaded. */
export const outboxIds = (dirs: AttachmentDirs): string[] => readdirSync(dirs.outbox).filter((n) => UUID.test(n));

/** Moves an uploaded blob from the outbox to the local copies. */
export function markUploaded(dirs: AttachmentDirs, id: string): void {
  renameSync(join(dirs.outbox, id), join(dirs.root, id));
}

/** Drops every local copy of a blob (after the attachment was removed). */
export function forgetBlob(dirs: AttachmentDirs, id: string): void {
  for (const p of [join(dirs.root, id), join(dirs.outbox, id), join(dirs.root, `${id}.part`)]) {
    try {
      unlinkSync(p);
    } catch {
      // not there
    }
  }
}

const WRITE_BATCH = 1024 * 1024;

async function* fileChunks(path: string): AsyncGenerator<Uint8Array> {
  const stream = createReadStream(path, { highWaterMark: 1024 * 1024 });
  try {
    for await (const c of stream) yield c as Buffer;
  } catch (e) {
    throw new CliError("file", `cannot read ${path}: ${(e as Error).message}`);
  }
}

/** Streams `iter` into a new file at `target` via a private temp file; the temp file goes on any error. */
async function writeAtomic(target: string, iter: AsyncIterable<Uint8Array>, onBytes?: (n: number) => void): Promise<void> {
  const tmp = `${target}.${randomBytes(8).toString("hex")}.tmp`;
  const fh = await open(tmp, "wx", 0o600).catch((e: Error) => {
    throw new CliError("file", `cannot write ${target}: ${e.message}`);
  });
  try {
    // frames are gathered into 1 MiB writes: one write per 64 KiB frame costs more than the encryption
    let batch: Uint8Array[] = [];
    let held = 0;
    const flush = async () => {
      if (held > 0) await fh.write(Buffer.concat(batch, held));
      batch = [];
      held = 0;
    };
    for await (const c of iter) {
      batch.push(c);
      held += c.length;
      if (held >= WRITE_BATCH) await flush();
      onBytes?.(c.length);
    }
    await flush();
    await fh.sync();
    await fh.close();
    try {
      renameSync(tmp, target);
    } catch (e) {
      throw new CliError("file", `cannot write ${target}: ${(e as Error).message}`);
    }
  } catch (e) {
    await fh.close().catch(() => {});
    try {
      unlinkSync(tmp);
    } catch {
      // already gone
    }
    throw e;
  }
}

/**
 * Seals `file` into the outbox under the attachment's key; the file must still have the size recorded. `tap` sees
 * each sealed frame as it is made (an upload that runs while the file is still being sealed).
 */
export async function sealToOutbox(
  dirs: AttachmentDirs,
  accountId: AccountId,
  a: Attachment,
  file: string,
  tap?: (frame: Uint8Array) => Promise<void>,
): Promise<void> {
  const b = await attachmentBinding(accountId, a);
  let read = 0;
  async function* counted() {
    for await (const c of fileChunks(file)) {
      read += c.length;
      if (read > a.size) throw new CliError("file", `${file} grew while it was being read`);
      yield c;
    }
  }
  async function* tapped(frames: AsyncIterable<Uint8Array>) {
    for await (const f of frames) {
      if (tap) await tap(f);
      yield f;
    }
  }
  await writeAtomic(join(dirs.outbox, a.id), tapped(encryptAttachment(b, counted())));
  if (read !== a.size) {
    forgetBlob(dirs, a.id);
    throw new CliError("file", `${file} changed while it was being read`);
  }
}

/**
 * Decrypts a local sealed copy into `out`. Nothing is written to `out` unless every chunk verifies; a copy that
 * fails is deleted (so the next try fetches it again) and the error is the one detail-free `tampered`.
 */
export async function openToFile(accountId: AccountId, a: Attachment, blob: string, out: string): Promise<void> {
  try {
    await decryptToFile(accountId, a, fileChunks(blob), out);
  } catch (e) {
    if ((e as { code?: string }).code === "tampered") {
      try {
        unlinkSync(blob);
      } catch {
        // already gone
      }
    }
    throw e;
  }
}

/** Decrypts sealed bytes as they come into `out`, which appears only once every chunk has verified. */
export async function decryptToFile(accountId: AccountId, a: Attachment, sealed: AsyncIterable<Uint8Array>, out: string): Promise<void> {
  const b = await attachmentBinding(accountId, a);
  if (!existsSync(dirname(out) || ".")) throw new CliError("file", `the folder of ${out} does not exist`);
  await writeAtomic(out, decryptAttachment(b, sealed, a.size));
}

/** Decrypts a local sealed copy without keeping the plaintext; a copy that fails is deleted and `tampered` thrown. */
export async function verifyBlob(accountId: AccountId, a: Attachment, blob: string): Promise<void> {
  const b = await attachmentBinding(accountId, a);
  try {
    for await (const _ of decryptAttachment(b, fileChunks(blob), a.size)) {
      // each chunk verified and dropped
    }
  } catch (e) {
    if ((e as { code?: string }).code === "tampered") unlinkSync(blob);
    throw e;
  }
}

/** The path a download appends to, and how much of it has arrived (a part longer than the blob starts over). */
export function partOf(dirs: AttachmentDirs, a: Attachment): { path: string; have: number } {
  const path = join(dirs.root, `${a.id}.part`);
  const have = existsSync(path) ? statSync(path).size : 0;
  if (have > blobSize(a.size)) {
    unlinkSync(path);
    return { path, have: 0 };
  }
  return { path, have };
}

/** Finishes a download: the part becomes the local copy. */
export function keepDownload(dirs: AttachmentDirs, a: Attachment): string {
  const target = join(dirs.root, a.id);
  renameSync(join(dirs.root, `${a.id}.part`), target);
  return target;
}
