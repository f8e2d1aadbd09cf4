// The account's sync method on the server (core sync/log/sync-profile.ts): published, sealed, when a
// signed-in device chooses a method, and read after sign-in so a new device is told the one step left.
import { basename } from "node:path";
import type { AccountKeys } from "@cryptex/core/account-keys.ts";
import type { ApiClient } from "@cryptex/core/client/api-client.ts";
import { b64uDecode, b64uEncode } from "@cryptex/core/encoding/base64.ts";
import { openSyncProfile, type SyncProfile, sealSyncProfile } from "@cryptex/core/sync/log/sync-profile.ts";
import type { Context } from "../program/context.ts";
import type { SyncMethod } from "./sync-method.ts";

/** What the account's other devices may learn: never a local path or a password. */
export function profileOf(m: SyncMethod): SyncProfile {
  switch (m.kind) {
    case "server":
    case "none":
      return { kind: m.kind };
    case "folder":
      return { kind: "folder", hint: basename(m.dir).slice(0, 255) };
    case "webdav":
      return { kind: "webdav", url: m.url, ...(m.user ? { user: m.user } : {}) };
  }
}

export async function publishProfile(api: ApiClient, keys: AccountKeys, m: SyncMethod): Promise<void> {
  await api.putSyncProfile(b64uEncode(await sealSyncProfile(keys, profileOf(m))));
}

/** The account's method, or undefined when none was published (the server method) or it cannot be read. */
export async function learnProfile(ctx: Context, api: ApiClient, keys: AccountKeys): Promise<SyncProfile | undefined> {
  try {
    const { profile } = await api.syncProfile();
    const bytes = profile ? b64uDecode(profile.data) : undefined;
    return bytes ? await openSyncProfile(keys, bytes) : undefined;
  } catch (e) {
    ctx.err(`Note: the account's sync method could not be read from the server (${(e as Error).message}).`);
    return undefined;
  }
}

/** The step a new device has left, in words. */
export function nextStep(p: SyncProfile): string | undefined {
  switch (p.kind) {
    case "server":
      return undefined;
    case "none":
      return "This account's devices keep their items to themselves: run cryptex sync method none to do the same here.";
    case "folder":
      return `This account syncs through a shared folder${p.hint ? ` ("${p.hint}")` : ""}: run cryptex sync method folder DIR with that folder's path on this device, then cryptex sync.`;
    case "webdav":
      return `This account syncs through WebDAV: run cryptex sync method webdav ${p.url}${p.user ? ` --user ${p.user}` : ""}, then cryptex sync.`;
  }
}
