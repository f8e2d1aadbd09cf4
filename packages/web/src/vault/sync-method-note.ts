// What the web app says about the account's sync method (docs/sync.md). A browser syncs through the server
// only: it cannot watch a folder, so an account that syncs through a folder or WebDAV is told plainly how
// to reach it from here.
import type { SyncProfile } from "@cryptex/core/sync/log/sync-profile.ts";

export function syncMethodNote(p: SyncProfile | undefined): { method: string; note: string } {
  switch (p?.kind) {
    case undefined:
    case "server":
      return { method: "Server", note: "This browser and the account's devices sync through this server." };
    case "none":
      return {
        method: "None",
        note: "The account's devices keep their items to themselves. This browser syncs through the server only: choose the server method on a device (cryptex sync method server) to share items with it.",
      };
    case "folder":
      return {
        method: `Shared folder${p.hint ? ` ("${p.hint}")` : ""}`,
        note: "A browser cannot use a folder. To see this account's items here, choose the server method on a device that has the folder (cryptex sync method server), or use a device with the folder.",
      };
    case "webdav":
      return {
        method: `WebDAV (${p.url})`,
        note: "This browser syncs through the server only. To see this account's items here, choose the server method on a device that syncs through WebDAV (cryptex sync method server).",
      };
  }
}
