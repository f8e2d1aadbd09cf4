// `cryptex search QUERY [--deep]`: search the decrypted index with operators (type: tag: folder: url:
// is:favorite is:weak "phrase"); --deep also searches notes and custom fields through the device's deep index.
import type { DeepIndex } from "@cryptex/core/vault/deep-search/deep-index.ts";
import { searchEntries } from "@cryptex/core/vault/deep-search/deep-search.ts";
import { searchPrefilter } from "@cryptex/core/vault/deep-search/search-prefilter.ts";
import { parseSearchQuery } from "@cryptex/core/vault/deep-search/search-query.ts";
import { deriveLocalKeys } from "@cryptex/core/vault/health/health-keys.ts";
import { CliError } from "../errors/cli-error.ts";
import { entriesText, entryJson, type Marks, mayBeConflictCopy } from "../io/render.ts";
import type { CommandRun } from "../program/spec.ts";
import { loadDeepIndex, removeDeepIndex, saveDeepIndex } from "../vault/local-caches.ts";
import { readEntries, readEntriesWhere, readItem } from "../vault/read-index.ts";
import { unlockVault } from "../vault/unlock.ts";

export const run: CommandRun = async (ctx, args) => {
  if (args.values["deep-off"] === true) {
    const removed = removeDeepIndex(ctx.home);
    if (args.positionals.length === 0)
      return ctx.out(ctx.json ? JSON.stringify({ removed }) : removed ? "Deep-search index deleted." : "There was no deep-search index.");
  }
  if (args.positionals.length === 0) throw new CliError("usage", "cryptex search needs a QUERY");
  const query = parseSearchQuery(args.positionals[0]!);
  const v = await unlockVault(ctx, { serverToken: false });
  try {
    // without --deep, only the entries that may match are built (all of them in the rare fallback)
    const candidates = await readEntriesWhere(v, searchPrefilter(query, { deep: args.values.deep === true }));
    const live = candidates.filter((e) => !e.trashed);
    let deep: DeepIndex | undefined;
    if (args.values.deep === true) {
      const keys = await deriveLocalKeys(v.accountKey, v.accountId);
      deep = await loadDeepIndex(ctx.home, keys);
      const changed = await deep.refresh(live, (id) => readItem(v, id));
      if (changed.updated + changed.removed > 0) await saveDeepIndex(ctx.home, keys, deep);
    }
    let weak: Set<(typeof live)[number]["id"]> | undefined;
    if (query.weak) {
      const { runHealth } = await import("../vault/health-run.ts");
      weak = new Set((await runHealth(ctx.home, v)).weak.map((x) => x.id));
    }
    const found = searchEntries(live, query, { deep, weak }, 100);
    const marks: Marks = found.some(mayBeConflictCopy)
      ? await (await import("../vault/conflict-marks.ts")).conflictMarks(v, found, await readEntries(v))
      : new Map();
    ctx.out(ctx.json ? JSON.stringify(found.map((e) => entryJson(e, marks))) : entriesText(found, marks));
  } finally {
    await v.store.close();
  }
};
