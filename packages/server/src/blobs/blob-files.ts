// Attachment blob bytes as files under DATA_DIR/blobs/<account>/<blob id>: written from the request stream at an
// offset and read back as a stream, so no blob is ever held whole in memory. Ids are UUIDs checked by the caller.
import { createReadStream } from "node:fs";
import { mkdir, open, rm } from "node:fs/promises";
import type { IncomingMessage } from "node:http";
import { join } from "node:path";
import type { Readable } from "node:stream";

export interface BlobFiles {
  /**
   * Writes the request body into the blob from `offset` (cutting off anything past it first) and returns the
   * file's length afterwards, also when the client went away mid-way: what arrived is kept, to resume from.
   * Refuses (`over`) a body longer than `maxBytes`.
   */
  write(accountId: string, id: string, offset: number, body: IncomingMessage, maxBytes: number): Promise<{ length: number; over: boolean }>;
  read(accountId: string, id: string, offset: number): Readable;
  remove(accountId: string, id: string): Promise<void>;
  removeAccount(accountId: string): Promise<void>;
}

const WRITE_BATCH = 1024 * 1024;

export function createBlobFiles(dataDir: string): BlobFiles {
  const root = join(dataDir, "blobs");
  const dirOf = (accountId: string) => join(root, accountId);
  const fileOf = (accountId: string, id: string) => join(dirOf(accountId), id);
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
    async remove(accountId, id) {
      await rm(fileOf(accountId, id), { force: true });
    },
    async removeAccount(accountId) {
      await rm(dirOf(accountId), { recursive: true, force: true });
    },
  };
}
