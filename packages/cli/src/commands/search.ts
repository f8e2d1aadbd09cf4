// `cryptex search QUERY`: fuzzy search over the decrypted index (titles, URLs, usernames, tags).
import { searchIndex } from "@cryptex/core/vault/search.ts";
import { entriesText, entryJson, type Marks, mayBeConflictCopy } from "../io/render.ts";
import type { CommandRun } from "../program/spec.ts";
import { readEntries } from "../vault/read-index.ts";
import { unlockVault } from "../vault/unlock.ts";

export const run: CommandRun = async (ctx, args) => {
  const v = await unlockVault(ctx);
  try {
    const all = await readEntries(v);
    const found = searchIndex(
      all.filter((e) => !e.trashed),
      args.positionals[0]!,
      100,
    );
    const marks: Marks = found.some(mayBeConflictCopy)
      ? await (await import("../vault/conflict-marks.ts")).conflictMarks(v, found, all)
      : new Map();
    ctx.out(ctx.json ? JSON.stringify(found.map((e) => entryJson(e, marks))) : entriesText(found, marks));
  } finally {
    await v.store.close();
  }
};
