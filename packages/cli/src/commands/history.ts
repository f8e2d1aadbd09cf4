// `cryptex history ID_OR_TITLE [--reveal]`: the item's previous hidden values, newest first.
import type { CommandRun } from "../program/spec.ts";
import { findEntry, readEntries, readItem } from "../vault/read-index.ts";
import { unlockVault } from "../vault/unlock.ts";

export const run: CommandRun = async (ctx, args) => {
  const v = await unlockVault(ctx);
  try {
    const entry = findEntry(await readEntries(v), args.positionals[0]!);
    const item = await readItem(v, entry.id);
    const rows = item.history.map((h) => ({ field: h.field, value: h.value, changedAt: new Date(h.changedAt).toISOString() }));
    if (ctx.json) return ctx.out(JSON.stringify({ id: item.id, history: rows }));
    if (rows.length === 0) return ctx.out(`"${item.title}" has no previous values.`);
    const reveal = args.values.reveal === true;
    ctx.out(rows.map((r) => `${r.changedAt}  ${r.field.padEnd(12)} ${reveal ? r.value : "•••••••• (--reveal)"}`).join("\n"));
  } finally {
    await v.store.close();
  }
};
