// `cryptex import FILE`: items of a cryptex export file; each becomes a new item unless already present.
import { newItemId } from "@cryptex/core/keys/ids.ts";
import { itemSize, LIMITS } from "@cryptex/core/vault/item.ts";
import { readBounded } from "../io/files.ts";
import { askPassword } from "../io/password.ts";
import type { CommandRun } from "../program/spec.ts";
import { MAX_EXPORT_BYTES, readExport } from "../vault/export-file.ts";
import { unlockVault } from "../vault/unlock.ts";

export const run: CommandRun = async (ctx, args) => {
  const bytes = readBounded(args.positionals[0]!, MAX_EXPORT_BYTES, "export file");
  const v = await unlockVault(ctx);
  try {
    const items = await readExport(bytes, await askPassword(ctx, "Password of the export file: "));
    const { Vault } = await import("@cryptex/core/sync/engine.ts");
    const vault = await Vault.open(v.store, v.keys);
    const present = await v.store.readItems(items.map((i) => i.id));
    let added = 0;
    const tooLarge: string[] = [];
    for (const item of items) {
      if (present.has(item.id)) continue; // this vault already has it (same account's own export)
      // an item over the sync limit (from before the limit) is named, not half-imported: the file still holds it
      if (itemSize(item) > LIMITS.itemBytes) {
        tooLarge.push(item.title);
        continue;
      }
      // a fresh id: the original may still exist on the server (as a tombstone), which would conflict
      await vault.save({ ...item, id: newItemId(), rev: 1 }, null);
      added++;
    }
    const skipped = items.length - added - tooLarge.length;
    for (const t of tooLarge) ctx.err(`Not imported: "${t.slice(0, 80)}" is too large to save and sync (it stays in the export file).`);
    ctx.out(
      ctx.json ? JSON.stringify({ imported: added, skipped }) : `Imported ${added} items${skipped ? ` (${skipped} already present)` : ""}.`,
    );
  } finally {
    await v.store.close();
  }
};
