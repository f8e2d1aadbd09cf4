// `cryptex history ID_OR_TITLE`: the item's saved versions (date, device); `--diff V1 [V2]` the changes
// between two of them (V2 defaults to the current one), secrets masked unless --reveal; `--restore V` saves
// that version's content as a new edit, so it syncs and is merged like any edit. The password history too.
import type { Item } from "@cryptex/core/vault/item.ts";
import { type ItemHistoryEntry, itemHistory } from "@cryptex/core/vault/item-versions.ts";
import { diffVersions, restoreVersion } from "@cryptex/core/vault/version-diff.ts";
import { CliError } from "../errors/cli-error.ts";
import { diffText, shownChange, versionsText } from "../io/history-text.ts";
import { printSaveOutcome } from "../io/save-outcome.ts";
import type { Context } from "../program/context.ts";
import type { CommandRun } from "../program/spec.ts";
import { openVault } from "../vault/open-vault.ts";
import { findEntry, readEntries, readItem } from "../vault/read-index.ts";
import { type UnlockedVault, unlockVault } from "../vault/unlock.ts";

/** A version by its number in the list (1 is the oldest); "current" names the newest. */
function pick(entries: readonly ItemHistoryEntry[], ref: string): ItemHistoryEntry {
  if (ref === "current") return entries.at(-1)!;
  if (!/^\d{1,6}$/.test(ref))
    throw new CliError("usage", `"${ref.slice(0, 20)}" is not a version number (see cryptex history ID_OR_TITLE)`);
  const e = entries[Number(ref) - 1];
  if (!e) throw new CliError("not_found", `no version ${ref}: this item has versions 1 to ${entries.length}`);
  return e;
}

function list(ctx: Context, item: Item, reveal: boolean): void {
  const entries = itemHistory(item);
  const passwords = item.history.map((h) => ({ field: h.field, value: h.value, changedAt: new Date(h.changedAt).toISOString() }));
  if (ctx.json) {
    const versions = entries.map((e) => ({
      number: e.number,
      current: e.current,
      rev: e.version.rev,
      savedAt: new Date(e.version.savedAt).toISOString(),
      savedBy: e.version.savedBy ?? null,
    }));
    ctx.out(JSON.stringify({ id: item.id, versions, history: passwords }));
    return;
  }
  ctx.out(versionsText(item.title, entries));
  if (passwords.length > 0)
    ctx.out(
      [
        "Previous passwords (newest first):",
        ...passwords.map((r) => `  ${r.changedAt}  ${r.field.padEnd(12)} ${reveal ? r.value : "•••••••• (--reveal)"}`),
      ].join("\n"),
    );
}

async function restore(ctx: Context, v: UnlockedVault, item: Item, ref: string): Promise<void> {
  const entries = itemHistory(item);
  const chosen = pick(entries, ref);
  if (chosen.current) throw new CliError("usage", `version ${chosen.number} is the current version: nothing to restore`);
  const vault = await openVault(ctx, v);
  const restored = restoreVersion(item, chosen.version);
  printSaveOutcome(ctx, `Restored version ${chosen.number} of`, restored.title, item.id, await vault.save(restored, item), {
    restored: chosen.number,
  });
}

export const run: CommandRun = async (ctx, args) => {
  const f = args.values;
  const diffFrom = f.diff as string | undefined;
  const restoreRef = f.restore as string | undefined;
  const reveal = f.reveal === true;
  if (diffFrom !== undefined && restoreRef !== undefined) throw new CliError("usage", "give either --diff or --restore, not both");
  if (args.positionals.length > 1 && diffFrom === undefined) throw new CliError("usage", "a second version number goes with --diff V1 V2");
  const v = await unlockVault(ctx);
  try {
    const entry = findEntry(await readEntries(v), args.positionals[0]!);
    const item = await readItem(v, entry.id);
    if (restoreRef !== undefined) return await restore(ctx, v, item, restoreRef);
    if (diffFrom === undefined) return list(ctx, item, reveal);
    const entries = itemHistory(item);
    const from = pick(entries, diffFrom);
    const to = pick(entries, args.positionals[1] ?? "current");
    const changes = diffVersions(from.version, to.version);
    if (ctx.json)
      return ctx.out(
        JSON.stringify({ id: item.id, from: from.number, to: to.number, changes: changes.map((c) => shownChange(c, reveal)) }),
      );
    ctx.out(diffText(from, to, changes, reveal));
  } finally {
    await v.store.close();
  }
};
