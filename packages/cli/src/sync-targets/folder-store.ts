// The folder log target: a blob store on a local folder that a sync client (Dropbox, iCloud Drive,
// OneDrive, Syncthing) replicates. Files appear whole or not at all (written under tmp/, flushed, then
// renamed into place); a file the client holds locked or has evicted reads as "unavailable", never as
// gone; reads time out, because an evicted file's read can block while the provider downloads it.
import { randomBytes } from "node:crypto";
import { createReadStream, type Dirent } from "node:fs";
import { access, mkdir, open, readdir, readFile, rename, stat, unlink, writeFile } from "node:fs/promises";
import { dirname, join, sep } from "node:path";
import type { BlobRead, BlobStore } from "@cryptex/core/sync/log/blob-store.ts";
import { MAX_SEGMENT_BYTES } from "@cryptex/core/sync/log/segment.ts";
import { type LargeFiles, NotReadableNow } from "./large-files.ts";

const READ_TIMEOUT_MS = 30_000;
/** errors that mean "not now" on the file systems sync clients live on */
const TRANSIENT = new Set(["EBUSY", "EAGAIN", "EACCES", "EPERM", "ETIMEDOUT", "EDEADLK", "EIO", "ABORT_ERR"]);

const code = (e: unknown) => (e as { code?: string }).code ?? (e as Error).name;

export class FolderStore implements BlobStore, LargeFiles {
  readonly root: string;
  constructor(root: string) {
    this.root = root;
  }

  private abs(path: string): string {
    // names come from our own code or from a listing of this folder; anything climbing out is refused
    if (path.split("/").some((p) => p === ".." || p === "")) throw new TypeError(`bad store path ${path}`);
    return join(this.root, ...path.split("/"));
  }

  async list(prefix: string): Promise<string[]> {
    const base = prefix === "" ? this.root : this.abs(prefix.replace(/\/$/, ""));
    let entries: Dirent<string>[];
    try {
      entries = await readdir(base, { recursive: true, withFileTypes: true });
    } catch (e) {
      if (code(e) === "ENOENT" || code(e) === "ENOTDIR") return [];
      throw e;
    }
    const out: string[] = [];
    for (const d of entries) {
      if (!d.isFile()) continue;
      const rel = join(d.parentPath, d.name).slice(this.root.length + 1);
      out.push(rel.split(sep).join("/"));
    }
    return out;
  }

  async get(path: string): Promise<BlobRead> {
    const file = this.abs(path);
    try {
      const s = await stat(file);
      if (s.size > MAX_SEGMENT_BYTES) return { kind: "unavailable", reason: "too large" };
      return { kind: "ok", bytes: new Uint8Array(await readFile(file, { signal: AbortSignal.timeout(READ_TIMEOUT_MS) })) };
    } catch (e) {
      if (code(e) === "ENOENT") return { kind: "absent" };
      if (TRANSIENT.has(code(e)) || code(e) === "TimeoutError") return { kind: "unavailable", reason: code(e) };
      throw e;
    }
  }

  /** Where a new file goes: its place and a temporary name beside the others, or undefined when it exists. */
  private async newFile(path: string): Promise<{ file: string; tmp: string } | undefined> {
    const file = this.abs(path);
    try {
      await access(file);
      return undefined;
    } catch {
      // not there: ours to create (only this device writes under its own device id)
    }
    await mkdir(dirname(file), { recursive: true });
    await mkdir(join(this.root, "tmp"), { recursive: true });
    return { file, tmp: join(this.root, "tmp", `${randomBytes(8).toString("hex")}.part`) };
  }

  async putNew(path: string, bytes: Uint8Array): Promise<"created" | "exists"> {
    const target = await this.newFile(path);
    if (!target) return "exists";
    const { file, tmp } = target;
    await writeFile(tmp, bytes, { flush: true, mode: 0o600 });
    await rename(tmp, file);
    return "created";
  }

  async size(path: string): Promise<number | undefined | "unavailable"> {
    try {
      const s = await stat(this.abs(path));
      return s.isFile() ? s.size : undefined;
    } catch (e) {
      if (code(e) === "ENOENT") return undefined;
      if (TRANSIENT.has(code(e))) return "unavailable";
      throw e;
    }
  }

  async *stream(path: string, max: number): AsyncGenerator<Uint8Array> {
    let total = 0;
    try {
      for await (const c of createReadStream(this.abs(path), {
        highWaterMark: 1024 * 1024,
        signal: AbortSignal.timeout(READ_TIMEOUT_MS * 10),
      })) {
        total += (c as Buffer).length;
        if (total > max) throw new NotReadableNow("longer than expected");
        yield c as Buffer;
      }
    } catch (e) {
      if (e instanceof NotReadableNow) throw e;
      if (code(e) === "ENOENT" || TRANSIENT.has(code(e)) || code(e) === "TimeoutError" || code(e) === "AbortError")
        throw new NotReadableNow(code(e));
      throw e;
    }
  }

  async putStreamNew(path: string, source: () => AsyncIterable<Uint8Array>): Promise<"created" | "exists"> {
    const target = await this.newFile(path);
    if (!target) return "exists";
    const { file, tmp } = target;
    const fh = await open(tmp, "wx", 0o600);
    try {
      for await (const c of source()) await fh.write(c);
      await fh.sync();
      await fh.close();
    } catch (e) {
      await fh.close().catch(() => {});
      await unlink(tmp).catch(() => {});
      throw e;
    }
    await rename(tmp, file);
    return "created";
  }

  async removeOwn(path: string): Promise<void> {
    try {
      await unlink(this.abs(path));
    } catch (e) {
      if (code(e) !== "ENOENT") throw e;
    }
  }
}
