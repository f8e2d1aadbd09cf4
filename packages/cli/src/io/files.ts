// File edges: bounded reads and atomic, private writes (temp file, fsync, rename), so a crash never
// leaves a half-written export or kit.
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";
import { CliError } from "../errors/cli-error.ts";

export function readBounded(path: string, maxBytes: number, what: string): Uint8Array {
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new CliError("file", `${what} ${path} is not a file`);
    if (st.size > maxBytes) throw new CliError("file", `${what} ${path} is larger than ${Math.round(maxBytes / 1048576)} MiB`);
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError("file", `cannot read ${what} ${path}: ${(e as Error).message}`);
  }
}

export function writePrivateAtomic(path: string, bytes: Uint8Array): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    const fd = openSync(tmp, "w", 0o600);
    try {
      writeSync(fd, bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing to clean
    }
    throw new CliError("file", `cannot write ${path}: ${(e as Error).message}`);
  }
}

/** Fails with a `file` error when `path` cannot be created (checked by writing and removing a temp file). */
export function assertWritable(path: string): void {
  const tmp = `${path}.${process.pid}.check`;
  try {
    closeSync(openSync(tmp, "wx", 0o600));
    unlinkSync(tmp);
  } catch (e) {
    throw new CliError("file", `cannot write ${path}: ${(e as Error).message}`);
  }
}
