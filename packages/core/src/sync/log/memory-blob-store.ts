// A blob store in memory: the reference behaviour of the port, for tests and benches.
import type { BlobRead, BlobStore } from "./blob-store.ts";

export class MemoryBlobStore implements BlobStore {
  readonly files = new Map<string, Uint8Array>();
  /** bytes handed out by get(), so benches can show a sync reads only what is new */
  bytesRead = 0;

  async list(prefix: string): Promise<string[]> {
    return [...this.files.keys()].filter((p) => p.startsWith(prefix));
  }

  async get(path: string): Promise<BlobRead> {
    const bytes = this.files.get(path);
    if (!bytes) return { kind: "absent" };
    this.bytesRead += bytes.length;
    return { kind: "ok", bytes };
  }

  async putNew(path: string, bytes: Uint8Array): Promise<"created" | "exists"> {
    if (this.files.has(path)) return "exists";
    this.files.set(path, bytes.slice());
    return "created";
  }

  async removeOwn(path: string): Promise<void> {
    this.files.delete(path);
  }
}
