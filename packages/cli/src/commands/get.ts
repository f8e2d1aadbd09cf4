// `cryptex get ID_OR_TITLE [--field NAME]`: one item, or one field's bare value for pipes.
import { fieldValue } from "@cryptex/core/vault/item.ts";
import { CliError } from "../errors/cli-error.ts";
import { itemJson, itemText } from "../io/render.ts";
import type { CommandRun } from "../program/spec.ts";
import { findEntry, findItemFast, readEntries, readItem } from "../vault/read-index.ts";
import { unlockVault } from "../vault/unlock.ts";

export const run: CommandRun = async (ctx, args) => {
  const v = await unlockVault(ctx, { serverToken: false });
  try {
    const query = args.positionals[0]!;
    const item = (await findItemFast(v, query)) ?? (await readItem(v, findEntry(await readEntries(v), query).id));
    const field = args.values.field as string | undefined;
    if (field !== undefined) {
      const value = field.toLowerCase() === "title" ? item.title : field.toLowerCase() === "notes" ? item.notes : fieldValue(item, field);
      if (value === undefined) throw new CliError("not_found", `"${item.title}" has no field "${field}"`);
      if (ctx.json) ctx.out(JSON.stringify({ id: item.id, field, value }));
      else ctx.write(ctx.stdoutIsTty ? `${value}\n` : value);
      return;
    }
    if (ctx.json) {
      ctx.out(JSON.stringify(itemJson(item)));
      return;
    }
    // a conflict copy names its original: one more decrypt, only for copies
    const original = item.conflictOf ? await readItem(v, item.conflictOf).catch(() => undefined) : undefined;
    ctx.out(itemText(item, args.values.reveal === true, original?.title));
  } finally {
    await v.store.close();
  }
};
