// `cryptex attach ID_OR_TITLE FILE`: seals the file under a new attachment key, saves the item with the record,
// uploads the blob (resumable: an interrupted upload goes on with `cryptex sync`) and syncs the item.
import { statSync } from "node:fs";
import { addAttachment, guessMediaType, LIMITS, newAttachment, removeAttachment } from "@cryptex/core";
import { ApiError } from "@cryptex/core/client/api-client.ts";
import { CliError } from "../errors/cli-error.ts";
import { printSaveOutcome } from "../io/save-outcome.ts";
import { apiFor } from "../net/api.ts";
import type { CommandRun } from "../program/spec.ts";
import { attachmentDirs, forgetBlob, sealToOutbox } from "../vault/attachment-files.ts";
import { requireServerSync } from "../vault/attachment-target.ts";
import { uploadBlob } from "../vault/attachment-transfer.ts";
import { findEntry, readItem } from "../vault/read-index.ts";
import { syncVault } from "../vault/sync-vault.ts";
import { unlockVault } from "../vault/unlock.ts";

export const run: CommandRun = async (ctx, args) => {
  const [query, file] = args.positionals as [string, string];
  requireServerSync(ctx);
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new CliError("file", `${file} is not a file`);
    size = st.size;
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError("file", `cannot read ${file}: ${(e as Error).message}`);
  }
  if (size > LIMITS.attachmentBytes)
    throw new CliError("file", `${file} has ${size} bytes; an attachment holds at most ${LIMITS.attachmentBytes / 1048576} MiB`);
  const name = (args.values.name as string | undefined) ?? file;
  const v = await unlockVault(ctx);
  try {
    const { Vault } = await import("@cryptex/core/sync/engine.ts");
    const vault = await Vault.open(v.store, v.keys);
    const entry = findEntry(vault.list(), query);
    const base = await readItem(v, entry.id);
    const a = newAttachment(name, size, guessMediaType(name));
    const item = addAttachment(base, a);
    const dirs = attachmentDirs(ctx.home);
    await sealToOutbox(dirs, v.accountId, a, file);
    // saved before the upload: an interrupted upload keeps its key in the vault and resumes with cryptex sync
    const saved = await vault.save(item, base);
    const api = apiFor(ctx, v.meta.serverUrl, v.serverToken);
    try {
      await uploadBlob(ctx, dirs, api, a.id, `Uploading ${a.name}`);
    } catch (e) {
      if (e instanceof ApiError && (e.code === "quota_exceeded" || e.code === "too_large")) {
        // the server will never take it: take the record back out so no device looks for it
        await vault.save(removeAttachment(await vault.get(item.id), a.id), await vault.get(item.id));
        forgetBlob(dirs, a.id);
      } else if (!ctx.json) ctx.err("The upload did not finish; cryptex sync goes on from where it stopped.");
      throw e;
    }
    printSaveOutcome(ctx, "Attached to", base.title, base.id, saved, { attachment: a.id, name: a.name, size: a.size });
    try {
      await syncVault(ctx, v.store, v.keys, api);
    } catch (e) {
      if (!ctx.json)
        ctx.err(`The item is saved here and the file is on the server; cryptex sync sends the item (${(e as Error).message}).`);
    }
  } finally {
    await v.store.close();
  }
};
