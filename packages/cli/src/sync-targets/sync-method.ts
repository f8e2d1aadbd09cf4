// This device's sync method (server, a folder, WebDAV, or none), kept in the home beside the vault,
// and the log target it opens. The method file holds no vault secret; a WebDAV password (a storage
// credential) is kept sealed under the vault's at-rest key (core formats/device-secret.ts) in a 0600 file;
// the log state beside it holds only ciphertexts.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { AccountKeys } from "@cryptex/core/account-keys.ts";
import { isSealedDeviceSecret, openDeviceSecret, sealDeviceSecret } from "@cryptex/core/formats/device-secret.ts";
import type { BlobStore } from "@cryptex/core/sync/log/blob-store.ts";
import { CliError } from "../errors/cli-error.ts";
import { FolderStore } from "./folder-store.ts";
import { WebDavStore } from "./webdav-store.ts";

export type SyncMethod =
  | { readonly kind: "server" }
  | { readonly kind: "none" }
  | { readonly kind: "folder"; readonly dir: string }
  /** `password`: sealed (sealWebDavPassword); a file from an older version may hold it in clear until the next sync */
  | { readonly kind: "webdav"; readonly url: string; readonly user?: string; readonly password?: string };

export interface MethodFile {
  readonly method: SyncMethod;
  /** a folder or WebDAV this device left: the next sync leaves a signed "moved" marker there */
  readonly previous?: SyncMethod;
  /** when a sync through this method last succeeded (ms) */
  readonly lastSync?: number;
}

const methodPath = (home: string) => join(home, "sync-method.json");
export const logStatePath = (home: string): string => join(home, "log-state");

function parseMethod(x: unknown): SyncMethod | undefined {
  const m = x as Record<string, unknown> | undefined;
  switch (m?.kind) {
    case "server":
    case "none":
      return { kind: m.kind };
    case "folder":
      return typeof m.dir === "string" ? { kind: "folder", dir: m.dir } : undefined;
    case "webdav":
      if (typeof m.url !== "string") return undefined;
      return {
        kind: "webdav",
        url: m.url,
        ...(typeof m.user === "string" ? { user: m.user } : {}),
        ...(typeof m.password === "string" ? { password: m.password } : {}),
      };
    default:
      return undefined;
  }
}

/** The method of this home; the server when none was chosen. */
export function readMethod(home: string): MethodFile {
  const path = methodPath(home);
  if (!existsSync(path)) return { method: { kind: "server" } };
  let raw: { method?: unknown; lastSync?: unknown };
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch {
    throw new CliError("file", `${path} is damaged; set the method again with cryptex sync method`);
  }
  const method = parseMethod(raw?.method);
  if (!method) throw new CliError("file", `${path} is damaged; set the method again with cryptex sync method`);
  const previous = parseMethod((raw as { previous?: unknown }).previous);
  return { method, ...(previous ? { previous } : {}), ...(typeof raw.lastSync === "number" ? { lastSync: raw.lastSync } : {}) };
}

export function writeMethod(home: string, file: MethodFile): void {
  try {
    writeFileSync(methodPath(home), JSON.stringify(file), { mode: 0o600 });
  } catch (e) {
    throw new CliError("file", `cannot write ${methodPath(home)}: ${(e as Error).message}`);
  }
}

/** What a person reads: never the WebDAV password. */
export function describeMethod(m: SyncMethod): string {
  switch (m.kind) {
    case "server":
      return "server";
    case "none":
      return "none (this device only)";
    case "folder":
      return `folder ${m.dir}`;
    case "webdav":
      return `webdav ${m.url}${m.user ? ` (user ${m.user})` : ""}`;
  }
}

/** The sealed password is bound to the address and the user it logs in to: moved to another, it does not open. */
const webdavSecretName = (m: { url: string; user?: string }) => `webdav ${m.url} ${m.user ?? ""}`;

/** The method as it is written to disk: a WebDAV password sealed (an already sealed one is kept). */
export async function sealMethod(m: SyncMethod, keys: AccountKeys): Promise<SyncMethod> {
  if (m.kind !== "webdav" || m.password === undefined || isSealedDeviceSecret(m.password)) return m;
  return { ...m, password: await sealDeviceSecret(keys, webdavSecretName(m), m.password) };
}

/** The account's own corner of the folder or collection: several accounts can share one. */
export async function openTarget(m: SyncMethod & { kind: "folder" | "webdav" }, keys: AccountKeys): Promise<BlobStore> {
  if (m.kind === "folder") return new FolderStore(join(m.dir, "Cryptex", keys.accountId));
  const base = m.url.endsWith("/") ? m.url : `${m.url}/`;
  let password: string | undefined;
  try {
    password = m.password === undefined ? undefined : await openDeviceSecret(keys, webdavSecretName(m), m.password);
  } catch {
    throw new CliError("file", "the stored WebDAV password cannot be opened; set it again with cryptex sync method webdav URL --user NAME");
  }
  return new WebDavStore({
    url: `${base}Cryptex/${keys.accountId}/`,
    ...(m.user ? { user: m.user } : {}),
    ...(password ? { password } : {}),
  });
}

export const isLogMethod = (m: SyncMethod | undefined): m is SyncMethod & { kind: "folder" | "webdav" } =>
  m?.kind === "folder" || m?.kind === "webdav";

const sameMethod = (a: SyncMethod, b: SyncMethod) => describeMethod(a) === describeMethod(b);

export { sameMethod };
