// `cryptex import FILE [--format NAME] [--dry-run] [--skip-duplicates]`: any supported export (docs/import.md)
// into the vault in ONE transaction; the report names everything that could not be mapped.
import { CliError } from "../errors/cli-error.ts";
import { readBounded } from "../io/files.ts";
import { askPassword } from "../io/password.ts";
import type { CommandRun } from "../program/spec.ts";
import { unlockVault } from "../vault/unlock.ts";

export const run: CommandRun = async (ctx, args) => {
  const { MAX_IMPORT_BYTES } = await import("@cryptex/core/import/import-input.ts");
  const { importFile, inspectImport, TOO_LARGE } = await import("@cryptex/core/import/import-file.ts");
  const { reportText } = await import("@cryptex/core/import/import-report.ts");
  const bytes = readBounded(args.positionals[0]!, MAX_IMPORT_BYTES, "import file");
  const dryRun = args.values["dry-run"] === true;
  let found: ReturnType<typeof inspectImport>;
  try {
    found = inspectImport(bytes, args.values.format as string | undefined);
  } catch (e) {
    if ((e as { code?: string }).code === "invalid_input" && args.values.format) throw new CliError("usage", (e as Error).message);
    throw e;
  }
  // the account password comes first (on stdin: the first line), then the file's own password if it has one
  const v = await unlockVault(ctx);
  try {
    const password = found.needsPassword ? await askPassword(ctx, `Password of the ${found.format.label} file: `) : undefined;
    const { Vault } = await import("@cryptex/core/sync/engine.ts");
    const vault = await Vault.open(v.store, v.keys);
    const { items, report } = await importFile(bytes, {
      format: found.format.name,
      ...(password === undefined ? {} : { password }),
      existing: vault.list(),
      skipDuplicates: args.values["skip-duplicates"] === true,
    });
    if (!dryRun) await vault.saveNew(items);
    for (const r of report.skipped)
      if (r.reason === TOO_LARGE) ctx.err(`Not imported: "${r.item}" is too large to save and sync (it stays in the export file).`);
    ctx.out(ctx.json ? JSON.stringify({ dryRun, ...report }) : reportText(report, dryRun));
  } finally {
    await v.store.close();
  }
};
