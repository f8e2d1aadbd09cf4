// `cryptex totp ID_OR_TITLE`: the current RFC 6238 code of the item's TOTP field.
import { parseTotp, totp } from "@cryptex/core/vault/totp.ts";
import { CliError } from "../errors/cli-error.ts";
import type { CommandRun } from "../program/spec.ts";
import { findEntry, readEntries, readItem } from "../vault/read-index.ts";
import { unlockVault } from "../vault/unlock.ts";

export const run: CommandRun = async (ctx, args) => {
  const v = await unlockVault(ctx, { serverToken: false });
  try {
    const entry = findEntry(await readEntries(v), args.positionals[0]!);
    const item = await readItem(v, entry.id);
    const field = item.fields.find((f) => f.kind === "totp" && f.value);
    if (!field) throw new CliError("not_found", `"${item.title}" has no one-time password (totp) field`);
    const { code, remaining } = totp(parseTotp(field.value));
    if (ctx.json) ctx.out(JSON.stringify({ id: item.id, code, remaining }));
    else if (ctx.stdoutIsTty) ctx.out(`${code}  (${remaining}s left)`);
    else ctx.write(code);
  } finally {
    await v.store.close();
  }
};
