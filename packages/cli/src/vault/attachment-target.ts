// Attachments travel through a Cryptex server only: a device that syncs through a folder, WebDAV or nothing
// is told so before anything is written.
import { CliError } from "../errors/cli-error.ts";
import type { Context } from "../program/context.ts";
import { readMethod } from "../sync-targets/sync-method.ts";

export function requireServerSync(ctx: Context): void {
  const { method } = readMethod(ctx.home);
  if (method.kind !== "server")
    throw new CliError(
      "usage",
      `attachments are kept on a Cryptex server, and this device syncs ${method.kind === "none" ? "nowhere" : `through ${method.kind === "folder" ? "a folder" : "WebDAV"}`}: attachments are not available here`,
    );
}
