// `cryptex edit ID_OR_TITLE --field NAME=VALUE…`: old hidden values go to the item's password history.
import { editItem } from "@cryptex/core/vault/item.ts";
import { CliError } from "../errors/cli-error.ts";
import type { CommandRun } from "../program/spec.ts";
import { parseFieldFlags } from "../vault/item-input.ts";
import { findEntry, readItem } from "../vault/read-index.ts";
import { unlockVault } from "../vault/unlock.ts";

export const run: CommandRun = async (ctx, args) => {
  const f = args.values;
  const fields = parseFieldFlags(f.field as string[] | undefined);
  const changes = {
    ...(f.title !== undefined ? { title: f.title as string } : {}),
    ...(Object.keys(fields).length ? { fields } : {}),
    ...(f.notes !== undefined ? { notes: f.notes as string } : {}),
    ...(f.tag !== undefined ? { tags: f.tag as string[] } : {}),
    ...(f.favorite === true ? { favorite: true } : {}),
    ...(f.folder !== undefined ? { folder: f.folder as string } : {}),
  };
  if (Object.keys(changes).length === 0)
    throw new CliError("usage", "nothing to change: give --field, --title, --tag, --notes, --favorite or --folder");
  const v = await unlockVault(ctx);
  try {
    const { Vault } = await import("@cryptex/core/sync/engine.ts");
    const vault = await Vault.open(v.store, v.keys);
    const entry = findEntry(vault.list(), args.positionals[0]!);
    const item = editItem(await readItem(v, entry.id), changes);
    await vault.save(item);
    ctx.out(ctx.json ? JSON.stringify({ id: item.id, saved: true }) : `Saved "${item.title}" (${item.id}).`);
  } finally {
    await v.store.close();
  }
};
