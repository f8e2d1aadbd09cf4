// `cryptex rm | restore | purge ID_OR_TITLE`: trash and restore are edits that sync; purge is a tombstone.
import { restoreItem, trashItem } from "@cryptex/core/vault/item.ts";
import type { CommandRun } from "../program/spec.ts";
import { findEntry, readItem } from "../vault/read-index.ts";
import { unlockVault } from "../vault/unlock.ts";

export const run: CommandRun = async (ctx, args) => {
  const action = args.command as "rm" | "restore" | "purge";
  const v = await unlockVault(ctx);
  try {
    const { Vault } = await import("@cryptex/core/sync/engine.ts");
    const vault = await Vault.open(v.store, v.keys);
    const entry = findEntry(vault.list(), args.positionals[0]!, { trashed: action !== "rm" });
    if (action === "purge") await vault.purge(entry.id);
    else {
      const item = await readItem(v, entry.id);
      await vault.save(action === "rm" ? trashItem(item) : restoreItem(item));
    }
    const done = { rm: "Moved to the trash", restore: "Restored", purge: "Deleted for good" }[action];
    ctx.out(ctx.json ? JSON.stringify({ id: entry.id, action }) : `${done}: "${entry.title}" (${entry.id}).`);
  } finally {
    await v.store.close();
  }
};
