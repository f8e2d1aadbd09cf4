// `cryptex search QUERY`: fuzzy search over the decrypted index (titles, URLs, usernames, tags).
import { searchIndex } from "@cryptex/core/vault/search.ts";
import { entriesText, entryJson } from "../io/render.ts";
import type { CommandRun } from "../program/spec.ts";
import { readEntries } from "../vault/read-index.ts";
import { unlockVault } from "../vault/unlock.ts";

export const run: CommandRun = async (ctx, args) => {
  const v = await unlockVault(ctx);
  try {
    const live = (await readEntries(v)).filter((e) => !e.trashed);
    const found = searchIndex(live, args.positionals[0]!, 100);
    ctx.out(ctx.json ? JSON.stringify(found.map(entryJson)) : entriesText(found));
  } finally {
    await v.store.close();
  }
};
