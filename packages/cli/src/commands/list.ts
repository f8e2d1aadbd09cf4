// `cryptex list [--type T] [--tag T] [--folder PATH] [--favorite] [--trash]`: from the index only, no item decrypts.
import { compareTitles } from "@cryptex/core/vault/compare-titles.ts";
import { isInFolder } from "@cryptex/core/vault/folders.ts";
import { resolveItemType } from "@cryptex/core/vault/templates.ts";
import { CliError } from "../errors/cli-error.ts";
import { entriesText, entryJson, type Marks, mayBeConflictCopy } from "../io/render.ts";
import type { CommandRun } from "../program/spec.ts";
import { readEntries } from "../vault/read-index.ts";
import { unlockVault } from "../vault/unlock.ts";

export const run: CommandRun = async (ctx, args) => {
  const typeName = args.values.type as string | undefined;
  const type = typeName === undefined ? undefined : resolveItemType(typeName);
  if (typeName !== undefined && !type) throw new CliError("usage", `unknown item type "${typeName}"`);
  const tags = ((args.values.tag as string[] | undefined) ?? []).map((t) => t.toLowerCase());
  const trash = args.values.trash === true;
  const folder = args.values.folder as string | undefined;
  const v = await unlockVault(ctx, { serverToken: false });
  try {
    const all = await readEntries(v);
    const entries = all
      .filter(
        (e) =>
          e.trashed === trash &&
          (!type || e.type === type) &&
          (args.values.favorite !== true || e.favorite) &&
          (folder === undefined || isInFolder(e.folder, folder)) &&
          tags.every((t) => e.tags.some((x) => x.toLowerCase() === t)),
      )
      .sort((a, b) => compareTitles(a.title, b.title));
    const marks: Marks = entries.some(mayBeConflictCopy)
      ? await (await import("../vault/conflict-marks.ts")).conflictMarks(v, entries, all)
      : new Map();
    ctx.out(ctx.json ? JSON.stringify(entries.map((e) => entryJson(e, marks))) : entriesText(entries, marks));
  } finally {
    await v.store.close();
  }
};
