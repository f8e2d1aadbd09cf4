// `cryptex edit ID_OR_TITLE --field NAME=VALUE…` (or `--stdin` JSON): old hidden values go to the item's
// password history. The save names the version it was made from, so a newer version saved meanwhile (by
// a sync or another process) is merged or kept as a conflict copy, never overwritten.
import { editItem, type ItemChanges } from "@cryptex/core/vault/item.ts";
import { CliError } from "../errors/cli-error.ts";
import { printSaveOutcome } from "../io/save-outcome.ts";
import { readStdinRest } from "../io/stdin.ts";
import type { CommandRun } from "../program/spec.ts";
import { parseChangesJson, parseFieldFlags } from "../vault/item-input.ts";
import { openVault } from "../vault/open-vault.ts";
import { findEntry, readItem } from "../vault/read-index.ts";
import { unlockVault } from "../vault/unlock.ts";

export const run: CommandRun = async (ctx, args) => {
  const f = args.values;
  const fields = parseFieldFlags(f.field as string[] | undefined);
  const flagChanges: ItemChanges = {
    ...(f.title !== undefined ? { title: f.title as string } : {}),
    ...(Object.keys(fields).length ? { fields } : {}),
    ...(f.notes !== undefined ? { notes: f.notes as string } : {}),
    ...(f.tag !== undefined ? { tags: f.tag as string[] } : {}),
    ...(f.favorite === true ? { favorite: true } : {}),
    ...(f.folder !== undefined ? { folder: f.folder as string } : {}),
  };
  const fromStdin = f.stdin === true;
  if (fromStdin && Object.keys(flagChanges).length > 0)
    throw new CliError("usage", "give the changes either as flags or with --stdin, not both");
  if (!fromStdin && Object.keys(flagChanges).length === 0)
    throw new CliError("usage", "nothing to change: give --field, --title, --tag, --notes, --favorite, --folder or --stdin");
  const v = await unlockVault(ctx);
  try {
    const vault = await openVault(ctx, v);
    const entry = findEntry(vault.list(), args.positionals[0]!);
    const base = await readItem(v, entry.id);
    let changes = flagChanges;
    if (fromStdin) {
      // the base is read first: whatever lands while the changes are typed is merged, not overwritten
      ctx.err(`Editing "${base.title}" (version ${base.rev}): reading the changes as JSON from stdin…`);
      changes = parseChangesJson(await readStdinRest());
    }
    const item = editItem(base, changes);
    printSaveOutcome(ctx, "Saved", item.title, item.id, await vault.save(item, base));
  } finally {
    await v.store.close();
  }
};
