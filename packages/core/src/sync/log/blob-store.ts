// The blob-store port every log target implements (a synced folder, WebDAV, a test double), and the
// reading of the names found there. Names are only hints: what a file is comes from its authenticated
// header (segment.ts). Sync clients add their own names — Dropbox "NAME (conflicted copy …)", Syncthing
// "NAME.sync-conflict-…", iCloud ".NAME.icloud" stubs — and foreign files (desktop.ini, .DS_Store).

/** What reading one file gave: its bytes, nothing, or "not readable now" (evicted, locked, in transit). */
export type BlobRead =
  | { readonly kind: "ok"; readonly bytes: Uint8Array }
  | { readonly kind: "absent" }
  | { readonly kind: "unavailable"; readonly reason: string };

/**
 * Dumb storage. Paths are "/"-separated and relative to the account's root. A writer only ever creates
 * new files under its own device id and removes only its own: no file is ever rewritten, so the sync
 * client between devices never has to choose between two versions of one file.
 */
export interface BlobStore {
  /** every file path under `prefix` (recursive); directories that do not exist give an empty list */
  list(prefix: string): Promise<string[]>;
  get(path: string): Promise<BlobRead>;
  /** atomically visible and create-only: "exists" when a file of that name is already there */
  putNew(path: string, bytes: Uint8Array): Promise<"created" | "exists">;
  /** removes one of this device's own files (compaction); a missing file is not an error */
  removeOwn(path: string): Promise<void>;
}

export type LogArea = "log" | "snap" | "mf" | "moved";

/** What a listed name claims to be. `stub`: an evicted placeholder whose content is elsewhere (iCloud). */
export interface LogName {
  readonly area: LogArea;
  readonly deviceId: string;
  readonly seq: number;
  readonly salt: string;
  readonly stub: boolean;
  readonly path: string;
  /** the path the content lives at: for a stub, the name without its "." and ".icloud" */
  readonly target: string;
}

const EXT: Record<LogArea, string> = { log: "cxs", snap: "cxp", mf: "cxm", moved: "cxv" };
const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const PATH_RE = new RegExp(`^(log|snap|mf|moved)/(${UUID})/(?:\\.)?([0-9a-f]{16})-([0-9a-f]{8})(.*)$`, "i");
// " (conflicted copy 2026-11-30)", " (Case Conflict)", "(1)"… before the extension; ".sync-conflict-…" after it
const DROPBOX_RE = /^ ?\([^)]*\)$/;
const SYNCTHING_RE = /^\.sync-conflict-\d{8}-\d{6}(?:-[0-9A-Z]{7})?$/;

export const logPath = (area: LogArea, deviceId: string, seq: number, salt: string): string =>
  `${area}/${deviceId}/${seq.toString(16).padStart(16, "0")}-${salt}.${EXT[area]}`;

/** Reads a listed path; undefined for anything that is not ours (foreign files, temp files, other layouts). */
export function parseLogPath(path: string): LogName | undefined {
  const m = PATH_RE.exec(path);
  if (!m) return undefined;
  const [, area, deviceId, seqHex, salt, rest] = m as unknown as [string, LogArea, string, string, string, string];
  const file = path.slice(path.lastIndexOf("/") + 1);
  const stub = file.startsWith(".") && rest.toLowerCase().endsWith(".icloud");
  const tail = stub ? rest.slice(0, -".icloud".length) : rest;
  if (file.startsWith(".") && !stub) return undefined;
  const ext = `.${EXT[area.toLowerCase() as LogArea]}`;
  // the suffix a sync client adds may sit before the extension (Dropbox) or after it (Syncthing)
  const at = tail.toLowerCase().indexOf(ext);
  if (at < 0) return undefined;
  const before = tail.slice(0, at);
  const after = tail.slice(at + ext.length);
  if (before !== "" && !DROPBOX_RE.test(before)) return undefined;
  if (after !== "" && !SYNCTHING_RE.test(after)) return undefined;
  const seq = Number.parseInt(seqHex, 16);
  if (!Number.isSafeInteger(seq) || seq < 1) return undefined;
  const dir = path.slice(0, path.lastIndexOf("/") + 1);
  const target = stub ? `${dir}${file.slice(1, -".icloud".length)}` : path;
  return { area: area.toLowerCase() as LogArea, deviceId: deviceId.toLowerCase(), seq, salt: salt.toLowerCase(), stub, path, target };
}
