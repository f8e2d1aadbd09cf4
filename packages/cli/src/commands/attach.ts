// `cryptex attach ID_OR_TITLE FILE`: seals the file under a new attachment key while uploading it, saves the item
// with the record, finishes the upload (resumable: an interrupted upload goes on with `cryptex sync`), syncs the item.
import { statSync } from "node:fs";
import { addAttachment, guessMediaType, LIMITS, newAttachment, removeAttachment } from "@cryptex/core";
import { ApiError } from "@cryptex/core/client/api-client.ts";
import type { SaveResult } from "@cryptex/core/sync/engine.ts";
import { CliError } from "../errors/cli-error.ts";
import { printSaveOutcome } from "../io/save-outcome.ts";
import { apiFor } from "../net/api.ts";
import type { CommandRun } from "../program/spec.ts";
import { reportLogSync, syncThroughLog } from "../sync-targets/log-sync.ts";
import { attachmentDirs, forgetBlob, markUploaded, sealToOutbox } from "../vault/attachment-files.ts";
import { attachmentMethod } from "../vault/attachment-target.ts";
import { sealAndUpload, uploadBlob } from "../vault/attachment-transfer.ts";
import { findEntry, readItem } from "../vault/read-index.ts";
import { syncVault } from "../vault/sync-vault.ts";
import { readMetaOrFail, unlockVault } from "../vault/unlock.ts";

export const run: CommandRun = async (ctx, args) => {
  const [query, file] = args.positionals as [string, string];
  const method = attachmentMethod(ctx);
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
    if (method.kind !== "server") {
      // through a folder or WebDAV: sealed into the outbox, then the sync publishes the blob before the item
      await sealToOutbox(dirs, v.accountId, a, file);
      const saved = await vault.save(item, base);
      printSaveOutcome(ctx, "Attached to", base.title, base.id, saved, { attachment: a.id, name: a.name, size: a.size });
      try {
        const report = await syncThroughLog(ctx, v.store, v.keys, await readMetaOrFail(v.store, ctx), method);
        if (!ctx.json) reportLogSync(ctx, report);
      } catch (e) {
        if (!ctx.json) ctx.err(`The item and its file are saved here; cryptex sync publishes them (${(e as Error).message}).`);
      }
      return;
    }
    const api = apiFor(ctx, v.meta.serverUrl, v.serverToken);
    // the upload runs while the file is sealed; the item is saved once the sealed copy is complete, so from
    // then on an interrupted upload goes on with cryptex sync (the key is in the vault, the copy in the outbox)
    let saved: SaveResult | undefined;
    const sent = await sealAndUpload(ctx, dirs, api, v.accountId, a, file, async () => {
      saved = await vault.save(item, base);
    });
    try {
      if (sent.failed !== undefined) throw sent.failed;
      if (sent.complete) markUploaded(dirs, a.id);
      else await uploadBlob(ctx, dirs, api, a.id, `Uploading ${a.name}`);
    } catch (e) {
      if (e instanceof ApiError && (e.code === "quota_exceeded" || e.code === "too_large")) {
        // the server will never take it: take the record back out so no device looks for it
        const now = await vault.get(item.id);
        await vault.save(removeAttachment(now, a.id), now);
        forgetBlob(dirs, a.id);
        await api.deleteBlob(a.id).catch(() => false);
      } else if (!ctx.json) ctx.err("The upload did not finish; cryptex sync goes on from where it stopped.");
      throw e;
    }
    printSaveOutcome(ctx, "Attached to", base.title, base.id, saved!, { attachment: a.id, name: a.name, size: a.size });
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
