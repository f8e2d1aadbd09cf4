// Attachment blobs are up to 256 MiB: the log targets stream them instead of reading whole files (the log's
// own files are bounded to 64 MiB and read at once). Implemented by FolderStore and WebDavStore.
import type { BlobStore } from "@cryptex/core/sync/log/blob-store.ts";

/** A read that cannot go on now (a locked, evicted or still-arriving file, a dropped connection): retried later. */
export class NotReadableNow extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "NotReadableNow";
  }
}

export interface LargeFiles extends BlobStore {
  /** the file's size; undefined when it is not there; "unavailable" when it cannot be looked at now */
  size(path: string): Promise<number | undefined | "unavailable">;
  /** the file's bytes, refusing more than `max` (NotReadableNow for any transient fault on the way) */
  stream(path: string, max: number): AsyncIterable<Uint8Array>;
  /** creates the file whole from `source` (never visible half-written); "exists" when it is there already */
  putStreamNew(path: string, source: () => AsyncIterable<Uint8Array>): Promise<"created" | "exists">;
}
