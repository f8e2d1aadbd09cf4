// Attachment blobs through a folder or WebDAV (docs/sync.md "Attachments"): this device publishes the sealed
// blobs it added as att/<its device id>/<attachment id>.cxa before the items that record them, fetches another
// device's blob when it is opened (or every missing one with `sync --attachments`), and removes its own blobs
// once every device has seen them go (core attachments/blob-collect.ts). A blob still arriving reads as "not
// here yet" (exit 20), never as damage; another attachment's blob or a longer one is refused (exit 9).
import { createReadStream, existsSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync } from "node:fs";
import { open } from "node:fs/promises";
import { join } from "node:path";
import type { Attachment } from "@cryptex/core";
import { blobSize } from "@cryptex/core";
import { type Frontier, planCollection } from "@cryptex/core/attachments/blob-collect.ts";
import {
  attachmentBlobPath,
  BLOB_HEADER_BYTES,
  blobFileHeader,
  blobFileSize,
  checkBlobFile,
  isUnwrittenFrame,
  parseAttachmentBlobPath,
  sealedFrames,
} from "@cryptex/core/attachments/blob-file.ts";
import type { LogReplica, LogReport } from "@cryptex/core/sync/log/log-replica.ts";
import { CliError } from "../errors/cli-error.ts";
import { writePrivateAtomic } from "../io/files.ts";
import { stripControls } from "../io/terminal-text.ts";
import { type AttachmentDirs, forgetBlob, localBlob, markUploaded, outboxIds } from "../vault/attachment-files.ts";
import { type LargeFiles, NotReadableNow } from "./large-files.ts";

export interface LogAttachmentReport {
  uploaded: number;
  downloaded: number;
  removed: number;
  /** attachments whose blob has not (completely) arrived yet */
  waiting: string[];
  /** attachments whose blob was refused: another attachment's, too long, or failing verification */
  refused: { name: string; code: string }[];
}

export const emptyAttachmentReport = (): LogAttachmentReport => ({ uploaded: 0, downloaded: 0, removed: 0, waiting: [], refused: [] });

async function* withHeader(id: string, file: string): AsyncGenerator<Uint8Array> {
  yield blobFileHeader(id);
  for await (const c of createReadStream(file, { highWaterMark: 1024 * 1024 })) yield c as Buffer;
}

/**
 * Publishes every sealed blob waiting in the outbox (this device's new attachments), before the items that record
 * them: an item rarely reaches another device before its file. A blob the target cannot take now stays queued.
 */
export async function publishOutbox(dirs: AttachmentDirs, store: LargeFiles, deviceId: string): Promise<number> {
  let sent = 0;
  for (const id of outboxIds(dirs)) {
    const file = join(dirs.outbox, id);
    const want = BLOB_HEADER_BYTES + statSync(file).size;
    const path = attachmentBlobPath(deviceId, id);
    let r = await store.putStreamNew(path, () => withHeader(id, file));
    if (r === "exists") {
      const have = await store.size(path);
      if (have === "unavailable" || have === undefined) continue;
      // only this device writes this name: a different size is its own upload cut short (a WebDAV PUT interrupted)
      if (have !== want) {
        await store.removeOwn(path);
        r = await store.putStreamNew(path, () => withHeader(id, file));
        if (r === "exists") continue;
      }
    }
    markUploaded(dirs, id);
    sent++;
  }
  return sent;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Whether this device holds any complete sealed copy (not counting the outbox). */
export const hasLocalCopies = (dirs: AttachmentDirs): boolean => readdirSync(dirs.root).some((n) => UUID.test(n));

/**
 * Publishes this device's complete local copies of recorded attachments that no device has published here: the
 * files of an account that used to sync through the server (or another folder) follow it to this one.
 */
export async function publishLocalCopies(
  dirs: AttachmentDirs,
  store: LargeFiles,
  deviceId: string,
  recorded: readonly Attachment[],
): Promise<number> {
  const local = recorded.filter((a) => localBlob(dirs, a) === join(dirs.root, a.id));
  if (local.length === 0) return 0;
  const here = new Set((await store.list("att/")).flatMap((p) => parseAttachmentBlobPath(p)?.attachmentId ?? []));
  let sent = 0;
  for (const a of local) {
    if (here.has(a.id)) continue;
    here.add(a.id);
    const r = await store.putStreamNew(attachmentBlobPath(deviceId, a.id), () => withHeader(a.id, join(dirs.root, a.id)));
    if (r === "created") sent++;
  }
  return sent;
}

const incomplete = (a: Attachment, absent: boolean) =>
  new CliError(
    "attachment_incomplete",
    absent
      ? `"${stripControls(a.name)}" is not in the sync folder yet: the device that added it has not synced it, or the sync client has not brought it here (try again later)`
      : `"${stripControls(a.name)}" has not completely arrived in the sync folder yet (the sync client is still copying it, or it was cut short): try again later`,
  );

/**
 * Copies the sealed blob of `a` from the target into this device's local copies (without the header) and returns
 * its path. Size, header and holes are checked on the way; the caller decrypts it (openToFile/verifyBlob), which
 * verifies every chunk and deletes the copy when one fails.
 */
export async function fetchBlob(dirs: AttachmentDirs, store: LargeFiles, a: Attachment): Promise<string> {
  const exact = (n: { deviceId: string; path: string }) => n.path === attachmentBlobPath(n.deviceId, a.id);
  const names = (await store.list("att/"))
    .flatMap((p) => parseAttachmentBlobPath(p) ?? [])
    .filter((n) => n.attachmentId === a.id.toLowerCase())
    .sort((x, y) => Number(exact(y)) - Number(exact(x)));
  if (names.length === 0) throw incomplete(a, true);
  let refusal: string | undefined;
  const expected = blobFileSize(a);
  for (const n of names) {
    const size = await store.size(n.path);
    if (typeof size !== "number") continue;
    if (size > expected) {
      refusal ??= "is longer than the attachment";
      continue;
    }
    if (size < expected) continue;
    const part = join(dirs.root, `${a.id}.part`);
    const fh = await open(part, "w", 0o600);
    const judged: { state: "ok" | "incomplete" | "other_attachment" | "not_a_blob" } = { state: "ok" };
    try {
      let head = new Uint8Array(0);
      let got = 0;
      async function* body(): AsyncGenerator<Uint8Array> {
        for await (let c of store.stream(n.path, expected)) {
          if (head.length < BLOB_HEADER_BYTES) {
            const need = BLOB_HEADER_BYTES - head.length;
            head = Buffer.concat([head, c.subarray(0, need)]);
            c = c.subarray(need);
            if (head.length === BLOB_HEADER_BYTES) {
              const file = checkBlobFile(a, size as number, head);
              if (file.kind !== "ok") {
                judged.state = file.kind === "incomplete" ? "incomplete" : file.reason === "too_long" ? "not_a_blob" : file.reason;
                return;
              }
            }
          }
          if (c.length > 0) yield c;
        }
      }
      // frames are gathered into 1 MiB writes: one write per 64 KiB frame costs more than checking it
      let batch: Uint8Array[] = [];
      let held = 0;
      for await (const frame of sealedFrames(body())) {
        if (isUnwrittenFrame(frame)) {
          judged.state = "incomplete";
          break;
        }
        batch.push(frame);
        held += frame.length;
        got += frame.length;
        if (held >= 1024 * 1024) {
          await fh.write(Buffer.concat(batch, held));
          batch = [];
          held = 0;
        }
      }
      if (held > 0 && judged.state === "ok") await fh.write(Buffer.concat(batch, held));
      if (judged.state === "ok" && got !== blobSize(a.size)) judged.state = "incomplete";
      await fh.sync();
    } catch (e) {
      if (!(e instanceof NotReadableNow)) {
        await fh.close().catch(() => {});
        forgetBlob(dirs, a.id);
        throw e;
      }
      judged.state = "incomplete";
    }
    await fh.close();
    const state = judged.state;
    if (state === "ok") {
      const target = join(dirs.root, a.id);
      renameSync(part, target);
      return target;
    }
    unlinkSync(part);
    if (state === "other_attachment") refusal = "holds another attachment's blob (swapped, or an older one put back)";
    else if (state === "not_a_blob") refusal ??= "is not an attachment blob";
  }
  if (refusal)
    throw new CliError("attachment_mismatch", `the sync folder's file for "${stripControls(a.name)}" ${refusal}: it was refused`);
  throw incomplete(a, false);
}

// ---- garbage collection: this device's own blobs, once every device has seen them go ----

/** Whether another device has a blob here: it may be waiting for this device's acknowledgement to remove it. */
export async function othersHaveBlobs(store: LargeFiles, deviceId: string): Promise<boolean> {
  return (await store.list("att/")).some((p) => {
    const n = parseAttachmentBlobPath(p);
    return n !== undefined && n.deviceId !== deviceId;
  });
}

const waitingPath = (dirs: AttachmentDirs) => join(dirs.root, "log-collect.json");

function readWaiting(dirs: AttachmentDirs): Map<string, Frontier> {
  const out = new Map<string, Frontier>();
  if (!existsSync(waitingPath(dirs))) return out;
  try {
    const raw = JSON.parse(readFileSync(waitingPath(dirs), "utf8")) as Record<string, [string, number][]>;
    for (const [id, f] of Object.entries(raw))
      if (Array.isArray(f)) out.set(id, new Map(f.filter((x) => typeof x?.[0] === "string" && Number.isSafeInteger(x?.[1]))));
  } catch {
    // a damaged file restarts the waiting: later, never earlier
  }
  return out;
}

function writeWaiting(dirs: AttachmentDirs, w: ReadonlyMap<string, Frontier>): void {
  const obj = Object.fromEntries([...w].map(([id, f]) => [id, [...f]]));
  writePrivateAtomic(waitingPath(dirs), new TextEncoder().encode(JSON.stringify(obj)));
}

/** Every attachment a current item or conflict copy records, in the merged view of the replica. */
export function recordedAttachments(replica: LogReplica): Attachment[] {
  return [...replica.items().values()].flatMap((i) => i.attachments ?? []);
}

/** After a sync: removes this device's blobs that no item records any more and that every device has seen go. */
export async function collectBlobs(dirs: AttachmentDirs, store: LargeFiles, replica: LogReplica, report: LogReport): Promise<number> {
  const me = replica.deviceId;
  const owned = (await store.list(`att/${me}/`))
    .flatMap((p) => parseAttachmentBlobPath(p) ?? [])
    .filter((n) => n.deviceId === me && n.path === attachmentBlobPath(me, n.attachmentId))
    .map((n) => n.attachmentId);
  const waiting = readWaiting(dirs);
  if (owned.length === 0 && waiting.size === 0) return 0;
  const plan = planCollection({
    owned,
    referenced: new Set(recordedAttachments(replica).map((a) => a.id)),
    waiting,
    frontier: replica.frontier(),
    devices: replica.devices(),
    acks: replica.acknowledgements(),
    clean: report.unavailable.length + report.missing.length + report.rollbacks.length + report.quarantined.length === 0,
  });
  for (const id of plan.remove) {
    await store.removeOwn(attachmentBlobPath(me, id));
    forgetBlob(dirs, id);
  }
  writeWaiting(dirs, plan.waiting);
  return plan.remove.length;
}

/** `sync --attachments`: fetches and verifies every recorded attachment this device has no copy of. */
export async function fetchMissing(
  dirs: AttachmentDirs,
  store: LargeFiles,
  list: readonly Attachment[],
  verify: (a: Attachment, path: string) => Promise<void>,
  out: LogAttachmentReport,
): Promise<void> {
  const seen = new Set<string>();
  for (const a of list) {
    if (seen.has(a.id) || localBlob(dirs, a)) continue;
    seen.add(a.id);
    try {
      await verify(a, await fetchBlob(dirs, store, a));
      out.downloaded++;
    } catch (e) {
      const code = (e as { code?: string }).code ?? "error";
      if (code === "attachment_incomplete") out.waiting.push(a.name);
      else if (code === "attachment_mismatch" || code === "tampered") out.refused.push({ name: a.name, code });
      else throw e;
    }
  }
}
