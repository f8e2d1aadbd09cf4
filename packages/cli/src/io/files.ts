// File edges: bounded reads and atomic, private writes (temp file, fsync, rename), so a crash never
// leaves a half-written export or kit. Temp files get random names and are created exclusively (O_EXCL),
// so another user cannot plant a symlink or a file at a name we would write through.
import { randomBytes } from "node:crypto";
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

const tempName = (path: string, suffix: string) => `${path}.${randomBytes(12).toString("hex")}.${suffix}`;

export function writePrivateAtomic(path: string, bytes: Uint8Array): void {
  const tmp = tempName(path, "tmp");
  let created = false;
  try {
    const fd = openSync(tmp, "wx", 0o600);
    created = true;
    try {
      writeSync(fd, bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    try {
      if (created) unlinkSync(tmp); // never a file we did not create
    } catch {
      // nothing to clean
    }
    throw new CliError("file", `cannot write ${path}: ${(e as Error).message}`);
  }
}

/** Fails with a `file` error when `path` cannot be created (checked by writing and removing a temp file). */
export function assertWritable(path: string): void {
  const tmp = tempName(path, "check");
  try {
    closeSync(openSync(tmp, "wx", 0o600));
    unlinkSync(tmp);
  } catch (e) {
    throw new CliError("file", `cannot write ${path}: ${(e as Error).message}`);
  }
}
