// `cryptex rm | restore | purge ID_OR_TITLE`: trash and restore are edits that sync; purge is a tombstone.
import { restoreItem, trashItem } from "@cryptex/core/vault/item.ts";
import { printSaveOutcome } from "../io/save-outcome.ts";
import type { CommandRun } from "../program/spec.ts";
import { attachmentDirs } from "../vault/attachment-files.ts";
import { queueRemovals } from "../vault/attachment-transfer.ts";
import { openVault } from "../vault/open-vault.ts";
import { findEntry, readItem } from "../vault/read-index.ts";
import { unlockVault } from "../vault/unlock.ts";

export const run: CommandRun = async (ctx, args) => {
  const action = args.command as "rm" | "restore" | "purge";
  const v = await unlockVault(ctx);
  try {
    const vault = await openVault(ctx, v);
    const entry = findEntry(vault.list(), args.positionals[0]!, { trashed: action !== "rm" });
    // each write names the version it acts on: a newer one saved meanwhile is merged or kept, never lost
    const base = await readItem(v, entry.id);
    const result =
      action === "purge"
        ? await vault.purge(entry.id, base)
        : await vault.save(action === "rm" ? trashItem(base) : restoreItem(base), base);
    // a purged item's blobs leave the server at the sync that sends its tombstone
    if (action === "purge" && base.attachments?.length)
      queueRemovals(
        attachmentDirs(ctx.home),
        entry.id,
        base.attachments.map((a) => a.id),
      );
    const done = { rm: "Moved to the trash:", restore: "Restored:", purge: "Deleted for good:" }[action];
    printSaveOutcome(ctx, done, entry.title, entry.id, result, { action });
  } finally {
    await v.store.close();
  }
};
