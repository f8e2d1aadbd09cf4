// `cryptex export --out FILE [--format cryptex|json|bitwarden-json|csv] [--plaintext]`: every item (trash
// included). The default is the encrypted Cryptex export with its own password; the open formats are
// plaintext, so they need --plaintext and the Account Password again, and are written 0600.
import { CliError } from "../errors/cli-error.ts";
import { writePrivateAtomic } from "../io/files.ts";
import { askNewPassword } from "../io/password.ts";
import type { CommandRun } from "../program/spec.ts";
import { readEntries, readItem } from "../vault/read-index.ts";
import { unlockVault } from "../vault/unlock.ts";

const FORMATS = ["cryptex", "json", "bitwarden-json", "csv"] as const;

export const run: CommandRun = async (ctx, args) => {
  const out = args.values.out as string | undefined;
  if (!out) throw new CliError("usage", "export needs --out FILE");
  const format = (args.values.format as string | undefined) ?? "cryptex";
  if (!(FORMATS as readonly string[]).includes(format)) throw new CliError("usage", `--format must be one of ${FORMATS.join(", ")}`);
  const plaintext = format !== "cryptex";
  if (plaintext && args.values.plaintext !== true)
    throw new CliError("usage", `--format ${format} writes every password in clear text: add --plaintext to confirm`);
  const v = await unlockVault(ctx, { needPassword: plaintext });
  try {
    const entries = await readEntries(v);
    const items = [];
    for (const e of entries) items.push(await readItem(v, e.id));
    let bytes: Uint8Array;
    if (format === "cryptex") {
      const { assertStrongPassword } = await import("@cryptex/core/password-strength.ts");
      const password = await askNewPassword(ctx, "Password for the export file: ", (p) => void assertStrongPassword(p));
      const { writeExport } = await import("@cryptex/core/export/cryptex-export.ts");
      bytes = await writeExport(items, password);
    } else if (format === "json") {
      bytes = new TextEncoder().encode((await import("@cryptex/core/export/cryptex-json.ts")).writeCryptexJson(items));
    } else if (format === "bitwarden-json") {
      bytes = new TextEncoder().encode((await import("@cryptex/core/export/bitwarden-json-export.ts")).writeBitwardenJson(items));
    } else {
      bytes = new TextEncoder().encode((await import("@cryptex/core/export/csv-export.ts")).writeCryptexCsv(items));
    }
    writePrivateAtomic(out, bytes);
    const how = plaintext ? "UNENCRYPTED, keep it safe and delete it after use" : "encrypted";
    ctx.out(
      ctx.json ? JSON.stringify({ out, format, items: items.length }) : `Exported ${items.length} items to ${out} (${format}, ${how}).`,
    );
  } finally {
    await v.store.close();
  }
};
