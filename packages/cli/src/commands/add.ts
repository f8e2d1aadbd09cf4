// `cryptex add TYPE --title T [--field NAME=VALUE]… [--tag T]… [--favorite]`, or the item as JSON on stdin.
// "Saved" is printed only after the SQLite transaction has committed (synchronous=FULL).
import { createItem } from "@cryptex/core/vault/item.ts";
import { CliError } from "../errors/cli-error.ts";
import { readStdinRest } from "../io/stdin.ts";
import type { CommandRun } from "../program/spec.ts";
import { parseFieldFlags, parseItemJson, parseType } from "../vault/item-input.ts";
import { openVault } from "../vault/open-vault.ts";
import { unlockVault } from "../vault/unlock.ts";

export const run: CommandRun = async (ctx, args) => {
  const type = parseType(args.positionals[0]!);
  const flags = args.values;
  let input: Parameters<typeof createItem>[0];
  const fromStdin = flags.title === undefined && !ctx.stdinIsTty;
  const v = await unlockVault(ctx);
  try {
    if (fromStdin) {
      const j = parseItemJson(await readStdinRest());
      input = {
        type: j.type ? parseType(j.type) : type,
        title: j.title,
        fields: j.fields ?? {},
        notes: j.notes ?? "",
        tags: j.tags ?? [],
        favorite: j.favorite ?? false,
        folder: (flags.folder as string | undefined) ?? j.folder ?? "",
      };
    } else {
      if (flags.title === undefined) throw new CliError("usage", "add needs --title (or the item as JSON on stdin)");
      input = {
        type,
        title: flags.title as string,
        fields: parseFieldFlags(flags.field as string[] | undefined),
        notes: (flags.notes as string | undefined) ?? "",
        tags: (flags.tag as string[] | undefined) ?? [],
        favorite: flags.favorite === true,
        folder: (flags.folder as string | undefined) ?? "",
      };
    }
    const item = createItem(input);
    const vault = await openVault(ctx, v);
    await vault.save(item, null);
    ctx.out(ctx.json ? JSON.stringify({ id: item.id, saved: true }) : `Saved "${item.title}" (${item.id}).`);
  } finally {
    await v.store.close();
  }
};
