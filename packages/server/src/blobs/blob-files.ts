// Attachment blob bytes as files under DATA_DIR/blobs/<account>/<blob id>: written from the request stream at an
// offset and read back as a stream, so no blob is ever held whole in memory. Ids are UUIDs checked by the caller.
import { createReadStream } from "node:fs";
import { mkdir, open, rm } from "node:fs/promises";
import type { IncomingMessage } from "node:http";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

export interface BlobFiles {
  /**
   * Writes the request body into the blob from `offset` (cutting off anything past it first) and returns the
   * file's length afterwards, also when the client went away mid-way: what arrived is kept, to resume from.
   * Refuses (`over`) a body longer than `maxBytes`.
   */
  write(accountId: string, id: string, offset: number, body: IncomingMessage, maxBytes: number): Promise<{ length: number; over: boolean }>;
  /** A paused stream of the blob from `offset`; report what it sends with `sent`. */
  read(accountId: string, id: string, offset: number): Readable;
  /** Bytes a download sent (so memory is collected as for uploads). */
  sent(bytes: number): void;
  remove(accountId: string, id: string): Promise<void>;
  removeAccount(accountId: string): Promise<void>;
}

const WRITE_BATCH = 1024 * 1024;
/** After this many bytes of an upload, a minor collection (see youngCollector). */
const COLLECT_EVERY = 4 * 1024 * 1024;

/**
 * Socket buffers of a large upload are freed only when their small wrappers are collected, and a server with a
 * grown young generation collects them late: 100 MiB through it raised its memory by 50–65 MB. A minor collection
 * every few MiB of upload (about a millisecond each) keeps the growth to a few MB. Undefined when the runtime
 * does not allow it; uploads then work the same, with more memory.
 */
function youngCollector(): (() => void) | undefined {
  try {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as (o?: { type: "minor" | "major"; execution: "sync" }) => void;
    return () => gc({ type: "minor", execution: "sync" });
  } catch {
    return undefined;
  }
}

export function createBlobFiles(dataDir: string): BlobFiles {
  const root = join(dataDir, "blobs");
  const dirOf = (accountId: string) => join(root, accountId);
  const fileOf = (accountId: string, id: string) => join(dirOf(accountId), id);
  const collect = youngCollector();
  let sinceCollect = 0;
  /** counts bytes moved by uploads and downloads alike, collecting every COLLECT_EVERY */
  const moved = (n: number) => {
    sinceCollect += n;
    if (collect && sinceCollect >= COLLECT_EVERY) {
      sinceCollect = 0;
      collect();
    }
  };
  return {
    async write(accountId, id, offset, body, maxBytes) {
      await mkdir(dirOf(accountId), { recursive: true, mode: 0o700 });
      const path = fileOf(accountId, id);
      const fh = await open(path, offset === 0 ? "w" : "r+", 0o600);
      let over = false;
      try {
        await fh.truncate(offset);
        let at = offset;
        // chunks are gathered into writes of up to 1 MiB (one write per TLS record costs more than the bytes)
        let batch: Buffer[] = [];
        let held = 0;
        const flush = async () => {
          if (held === 0) return;
          const buf = batch.length === 1 ? batch[0]! : Buffer.concat(batch, held);
          batch = [];
          held = 0;
          await fh.write(buf, 0, buf.length, at);
          at += buf.length;
          moved(buf.length);
        };
        try {
          for await (const chunk of body as AsyncIterable<Buffer>) {
            const room = maxBytes - (at + held - offset);
            if (chunk.length > room) {
              over = true;
              if (room > 0) batch.push(chunk.subarray(0, room));
              held += Math.max(0, room);
              break;
            }
            batch.push(chunk);
            held += chunk.length;
            if (held >= WRITE_BATCH) await flush();
          }
        } catch {
          // the client went away: keep what arrived, the upload resumes from there
        }
        await flush();
        await fh.sync();
        return { length: (await fh.stat()).size, over };
      } finally {
        await fh.close();
      }
    },
    read(accountId, id, offset) {
      return createReadStream(fileOf(accountId, id), { start: offset, highWaterMark: 256 * 1024 });
    },
    sent: moved,
    async remove(accountId, id) {
      await rm(fileOf(accountId, id), { force: true });
    },
    async removeAccount(accountId) {
      await rm(dirOf(accountId), { recursive: true, force: true });
    },
  };
}
