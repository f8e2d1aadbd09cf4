// `cryptex folders`: the folder tree with item counts, from the index only.
import { folderTree } from "@cryptex/core/vault/folders.ts";
import type { CommandRun } from "../program/spec.ts";
import { readEntries } from "../vault/read-index.ts";
import { unlockVault } from "../vault/unlock.ts";

export const run: CommandRun = async (ctx) => {
  const v = await unlockVault(ctx);
  try {
    const tree = folderTree(await readEntries(v));
    if (ctx.json) ctx.out(JSON.stringify(tree.map((f) => ({ path: f.path, items: f.items, total: f.total }))));
    else ctx.out(tree.length ? tree.map((f) => `${"  ".repeat(f.depth)}${f.name}  (${f.total})`).join("\n") : "(no folders)");
  } finally {
    await v.store.close();
  }
};
