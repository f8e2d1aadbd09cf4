// `cryptex generate [--length N] [--no-symbols] [--words N --separator S]`: needs no vault.
import { generatePassphrase, generatePassword } from "@cryptex/core/vault/generator.ts";
import { CliError } from "../errors/cli-error.ts";
import type { CommandRun } from "../program/spec.ts";

const int = (v: unknown, name: string): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new CliError("usage", `${name} must be a whole number`);
  return n;
};

export const run: CommandRun = async (ctx, args) => {
  const words = int(args.values.words, "--words");
  const value =
    words !== undefined
      ? generatePassphrase({ words, separator: (args.values.separator as string | undefined) ?? "-" })
      : generatePassword({ length: int(args.values.length, "--length") ?? 20, symbols: args.values["no-symbols"] !== true });
  if (ctx.json) ctx.out(JSON.stringify({ value }));
  else ctx.write(ctx.stdoutIsTty ? `${value}\n` : value);
};
