// `cryptex attachment list|get|rm ID_OR_TITLE [NAME]`: the files on an item. `get` uses this device's sealed copy
// or downloads it (resuming an interrupted download) and writes --out only once every chunk has verified; `rm`
// is an edit, and the blob leaves the server at the sync that sends it.

import { existsSync } from "node:fs";
import { findAttachment, removeAttachment } from "@cryptex/core";
import { CliError } from "../errors/cli-error.ts";
import { printSaveOutcome } from "../io/save-outcome.ts";
import { stripControls } from "../io/terminal-text.ts";
import { apiFor } from "../net/api.ts";
import type { CommandRun } from "../program/spec.ts";
import type { LargeFiles } from "../sync-targets/large-files.ts";
import { fetchBlob } from "../sync-targets/log-attachments.ts";
import { openTarget, readMethod, type SyncMethod } from "../sync-targets/sync-method.ts";
import { WebDavError } from "../sync-targets/webdav-store.ts";
import { attachmentDirs, forgetBlob, localBlob, openToFile } from "../vault/attachment-files.ts";
import { attachmentMethod } from "../vault/attachment-target.ts";
import { downloadToFile, queueRemovals } from "../vault/attachment-transfer.ts";
import { findEntry, readEntries, readItem } from "../vault/read-index.ts";
import { unlockVault } from "../vault/unlock.ts";

const human = (n: number) => (n >= 1048576 ? `${(n / 1048576).toFixed(1)} MiB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} B`);

export const run: CommandRun = async (ctx, args) => {
  const action = args.command.split(" ")[1] as "list" | "get" | "rm";
  const [query, name] = args.positionals as [string, string | undefined];
  if (action !== "list" && name === undefined) throw new CliError("usage", `cryptex attachment ${action} ID_OR_TITLE NAME`);
  if (action === "get" && typeof args.values.out !== "string") throw new CliError("usage", "give the file to write with --out FILE");
  const v = await unlockVault(ctx);
  try {
    const entry = findEntry(await readEntries(v), query);
    const item = await readItem(v, entry.id);
    const list = item.attachments ?? [];
    const dirs = attachmentDirs(ctx.home);
    const current = readMethod(ctx.home).method;
    if (action === "list") {
      const where = current.kind === "server" ? "on the server" : current.kind === "none" ? "not on this device" : "in the sync folder";
      const rows = list.map((a) => ({
        id: a.id,
        name: a.name,
        size: a.size,
        type: a.type,
        addedAt: a.addedAt,
        local: !!localBlob(dirs, a),
      }));
      if (ctx.json) return ctx.out(JSON.stringify({ id: item.id, attachments: rows }));
      if (rows.length === 0) return ctx.out(`"${stripControls(item.title)}" has no attachments.`);
      return ctx.out(
        rows
          .map(
            (r) =>
              `${stripControls(r.name).padEnd(32)} ${human(r.size).padStart(10)}  ${(r.type || "-").padEnd(18)} ${r.local ? "on this device" : where}`,
          )
          .join("\n"),
      );
    }
    const a = findAttachment(list, name!);
    if (!a) throw new CliError("not_found", `"${stripControls(item.title)}" has no attachment named "${stripControls(name!)}"`);
    if (action === "get") {
      const out = args.values.out as string;
      const blob = localBlob(dirs, a);
      // fetched only when this device has no copy: a device that syncs nowhere still opens its own copies
      if (blob) await openToFile(v.accountId, a, blob, out);
      else if (attachmentMethod(ctx).kind === "server")
        await downloadToFile(ctx, dirs, apiFor(ctx, v.meta.serverUrl, v.serverToken), v.accountId, a, out);
      else {
        const method = current as SyncMethod & { kind: "folder" | "webdav" };
        if (method.kind === "folder" && !existsSync(method.dir))
          throw new CliError("file", `the sync folder ${method.dir} is not there (is the drive or sync client available?)`);
        let sealed: string;
        try {
          sealed = await fetchBlob(dirs, (await openTarget(method, v.keys)) as LargeFiles, a);
        } catch (e) {
          if (e instanceof WebDavError) throw new CliError("sync_target", `WebDAV: ${e.message}`);
          if (e instanceof TypeError && /fetch failed/.test(e.message))
            throw new CliError("sync_target", `cannot reach the WebDAV server: ${e.message}`);
          throw e;
        }
        await openToFile(v.accountId, a, sealed, out);
      }
      if (ctx.json) return ctx.out(JSON.stringify({ id: item.id, attachment: a.id, name: a.name, size: a.size, out }));
      return ctx.err(`Wrote ${out} (${human(a.size)}).`);
    }
    const { Vault } = await import("@cryptex/core/sync/engine.ts");
    const vault = await Vault.open(v.store, v.keys);
    const saved = await vault.save(removeAttachment(item, a.id), item);
    if (current.kind === "server") queueRemovals(dirs, item.id, [a.id]);
    else forgetBlob(dirs, a.id);
    printSaveOutcome(ctx, `Removed ${a.name} from`, item.title, item.id, saved, { attachment: a.id, removed: true });
    if (!ctx.json)
      ctx.err(
        current.kind === "server"
          ? "The server's copy is deleted by the next cryptex sync."
          : current.kind === "none"
            ? "This device syncs nowhere: the change stays here."
            : "The sync folder's copy is removed once every device has synced the change (cryptex sync on each).",
      );
  } finally {
    await v.store.close();
  }
};
