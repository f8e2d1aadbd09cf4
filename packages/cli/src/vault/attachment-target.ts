// Attachments travel through a Cryptex server, or through the folder or WebDAV a device syncs with (as sealed
// blob files beside the log, docs/sync.md "Attachments"). A device that syncs nowhere is told so before anything
// is written.
import { CliError } from "../errors/cli-error.ts";
import type { Context } from "../program/context.ts";
import { readMethod, type SyncMethod } from "../sync-targets/sync-method.ts";

export type AttachmentMethod = SyncMethod & { kind: "server" | "folder" | "webdav" };

export function attachmentMethod(ctx: Context): AttachmentMethod {
  const { method } = readMethod(ctx.home);
  if (method.kind === "none")
    throw new CliError(
      "usage",
      "this device syncs nowhere (sync method none): attachments need a server, a folder or WebDAV to reach other devices",
    );
  return method;
}
