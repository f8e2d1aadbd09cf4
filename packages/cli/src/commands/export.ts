// `cryptex export --out FILE`: every item (trash included) in an encrypted file with its own password.
import { CliError } from "../errors/cli-error.ts";
import { writePrivateAtomic } from "../io/files.ts";
import { askNewPassword } from "../io/password.ts";
import type { CommandRun } from "../program/spec.ts";
import { writeExport } from "../vault/export-file.ts";
import { readEntries, readItem } from "../vault/read-index.ts";
import { unlockVault } from "../vault/unlock.ts";

export const run: CommandRun = async (ctx, args) => {
  const out = args.values.out as string | undefined;
  if (!out) throw new CliError("usage", "export needs --out FILE");
  const v = await unlockVault(ctx);
  try {
    const entries = await readEntries(v);
    const items = [];
    for (const e of entries) items.push(await readItem(v, e.id));
    const { assertStrongPassword } = await import("@cryptex/core/keys/password-strength.ts");
    const password = await askNewPassword(ctx, "Password for the export file: ", (p) => void assertStrongPassword(p));
    writePrivateAtomic(out, await writeExport(items, password));
    ctx.out(ctx.json ? JSON.stringify({ out, items: items.length }) : `Exported ${items.length} items to ${out} (encrypted).`);
  } finally {
    await v.store.close();
  }
};
