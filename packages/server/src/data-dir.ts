// The data directory holds the database, its WAL, the TLS key and the mail outbox, so nobody but the server's
// user may read it: new files are made 0600 and folders 0700 (umask), and loose modes found at start-up are
// repaired, or start-up is refused when they cannot be.
import { chmodSync, lstatSync, mkdirSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";

export class DataDirError extends Error {}

/** Makes `dir` private (0700, files 0600), repairing what is looser; returns the paths it repaired. */
export function secureDataDir(dir: string): string[] {
  process.umask(0o077); // everything the server makes from now on: the database, -wal/-shm, keys, mail files
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const uid = process.getuid?.();
  const top = lstatSync(dir);
  if (!top.isDirectory()) throw new DataDirError(`DATA_DIR ${dir} is not a directory`);
  if (uid !== undefined && uid !== 0 && top.uid !== uid)
    throw new DataDirError(`DATA_DIR ${dir} belongs to another user (uid ${top.uid}): give it to the server's user or choose another`);
  const repaired: string[] = [];
  const visit = (path: string, depth: number) => {
    const st = lstatSync(path);
    if (st.isSymbolicLink()) return; // never follow a link out of the data directory
    const want = st.isDirectory() ? 0o700 : 0o600;
    if ((st.mode & 0o077) !== 0) {
      try {
        chmodSync(path, st.mode & want & 0o777);
      } catch (e) {
        throw new DataDirError(
          `${path} can be read by other users and its mode cannot be repaired (${(e as { code?: string }).code ?? "error"}): run chmod -R go-rwx ${dir}`,
        );
      }
      repaired.push(relative(dir, path) || ".");
    }
    if (st.isDirectory() && depth < 4) for (const name of readdirSync(path)) visit(join(path, name), depth + 1);
  };
  visit(dir, 0);
  return repaired;
}
