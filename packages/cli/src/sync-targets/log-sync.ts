// `cryptex sync` through a folder or WebDAV: opens the replica from its saved state, syncs the vault
// through it, records when it succeeded, and tells the user what happened — including files still in
// transit, files a device's manifest lists that are not here, and rollbacks.
import { existsSync, type FSWatcher, readFileSync, watch as watchFolder, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { AccountKeys } from "@cryptex/core/account-keys.ts";
import { CryptexError } from "@cryptex/core/errors.ts";
import { Vault } from "@cryptex/core/sync/engine.ts";
import { LogReplica, type LogReport } from "@cryptex/core/sync/log/log-replica.ts";
import { syncVaultThroughLog } from "@cryptex/core/sync/log/log-vault-sync.ts";
import type { VaultMeta } from "@cryptex/core/sync/ports.ts";
import { CliError } from "../errors/cli-error.ts";
import { stripControls } from "../io/terminal-text.ts";
import type { Context } from "../program/context.ts";
import type { SqliteVaultStore } from "../store/sqlite-store.ts";
import { attachmentDirs, verifyBlob } from "../vault/attachment-files.ts";
import type { LargeFiles } from "./large-files.ts";
import {
  collectBlobs,
  emptyAttachmentReport,
  fetchMissing,
  hasLocalCopies,
  type LogAttachmentReport,
  othersHaveBlobs,
  publishLocalCopies,
  publishOutbox,
  recordedAttachments,
} from "./log-attachments.ts";
import { logStatePath, openTarget, readMethod, type SyncMethod, sealMethod, writeMethod } from "./sync-method.ts";
import { WebDavError } from "./webdav-store.ts";

export type LogSyncReport = LogReport & { attachments: LogAttachmentReport };

export async function syncThroughLog(
  ctx: Context,
  store: SqliteVaultStore,
  keys: AccountKeys,
  meta: VaultMeta,
  method: SyncMethod & { kind: "folder" | "webdav" },
  opts: { downloadAttachments?: boolean } = {},
): Promise<LogSyncReport> {
  if (method.kind === "folder" && !existsSync(method.dir))
    throw new CliError("file", `the sync folder ${method.dir} is not there (is the drive or sync client available?)`);
  const statePath = logStatePath(ctx.home);
  const replica = existsSync(statePath)
    ? await LogReplica.restore(keys, new Uint8Array(readFileSync(statePath)))
    : new LogReplica(keys, meta.deviceId);
  const vault = await Vault.open(store, keys);
  const dirs = attachmentDirs(ctx.home);
  const att = emptyAttachmentReport();
  let report: LogReport;
  try {
    const target = (await openTarget(method, keys)) as LargeFiles;
    // new attachments' blobs first, so an item rarely reaches another device before its file
    att.uploaded = await publishOutbox(dirs, target, replica.deviceId);
    // another device's blob here may wait for this device to acknowledge its removal: only then is reading worth a manifest
    const acknowledge = await othersHaveBlobs(target, replica.deviceId);
    report = await syncVaultThroughLog(vault, replica, target, async (bytes) => writeFileSync(statePath, bytes, { mode: 0o600 }), {
      acknowledge,
    });
    att.removed = await collectBlobs(dirs, target, replica, report);
    // only when this device holds copies: the merged view is not built for nothing
    if (hasLocalCopies(dirs)) att.uploaded += await publishLocalCopies(dirs, target, replica.deviceId, recordedAttachments(replica));
    if (opts.downloadAttachments)
      await fetchMissing(dirs, target, recordedAttachments(replica), (a, path) => verifyBlob(keys.accountId, a, path), att);
  } catch (e) {
    if (e instanceof WebDavError)
      throw new CliError(
        "sync_target",
        e.status === 401 || e.status === 403
          ? "the WebDAV server refused the user or password (cryptex sync method webdav URL --user NAME)"
          : `WebDAV: ${e.message}`,
      );
    if (e instanceof TypeError && /fetch failed/.test(e.message))
      throw new CliError("sync_target", `cannot reach the WebDAV server: ${e.message}`);
    throw e;
  }
  // a password an older version kept in clear is sealed from now on
  const file = readMethod(ctx.home);
  writeMethod(ctx.home, { ...file, method: await sealMethod(file.method, keys), lastSync: Date.now() });
  return { ...report, attachments: att };
}

export function reportLogSync(ctx: Context, r: LogReport & { attachments?: LogAttachmentReport }): void {
  const att = r.attachments;
  if (ctx.json) {
    ctx.out(
      JSON.stringify({
        pulled: r.pulled,
        pushed: r.pushed,
        unavailable: r.unavailable,
        missing: r.missing,
        rollbacks: r.rollbacks,
        moved: r.moved,
        quarantined: r.quarantined,
        ...(att ? { attachments: att } : {}),
      }),
    );
    return;
  }
  const lines = [`Synced: ${r.pulled} received, ${r.pushed} sent.`];
  if (att) {
    const parts = [
      att.uploaded ? `${att.uploaded} published` : "",
      att.downloaded ? `${att.downloaded} downloaded` : "",
      att.removed ? `${att.removed} removed from the sync folder` : "",
    ].filter(Boolean);
    if (parts.length) lines.push(`Attachments: ${parts.join(", ")}.`);
    if (att.waiting.length)
      lines.push(`Waiting for ${att.waiting.length} attachment(s) not (completely) in the sync folder yet; fetched on a later sync.`);
  }
  if (r.unavailable.length)
    lines.push(`Waiting for ${r.unavailable.length} file(s) the sync client has not finished (or evicted); they are read on a later sync.`);
  for (const m of r.missing)
    lines.push(`Warning: device ${m.deviceId} published file ${m.seq}, which is not here (withheld, or still on its way).`);
  for (const b of r.rollbacks)
    lines.push(`Warning: the files of device ${b.deviceId} went back to an older copy (${b.reason}); nothing was removed here.`);
  for (const d of r.moved)
    lines.push(
      `Warning: device ${d} moved this account's sync to another method; see cryptex sync method on that device, and choose the same here.`,
    );
  for (const q of r.quarantined)
    lines.push(`Warning: a version of item ${q.id} from device ${q.deviceId} failed verification (${q.reason}) and was not accepted.`);
  ctx.out(lines.join("\n"));
}

/**
 * A device's files gone back to an older copy end the command with the rollback exit code, as a server
 * that rolls back does (the vault keeps everything it had). Missing files alone may still be on their
 * way: they are warnings.
 */
export function refuseRollback(r: LogReport & { attachments?: LogAttachmentReport }): void {
  const refused = r.attachments?.refused ?? [];
  if (r.rollbacks.length === 0 && refused.length > 0) {
    const what = `the sync folder's copy of ${refused.map((f) => `"${stripControls(f.name)}"`).join(", ")} was refused`;
    if (refused.some((f) => f.code === "attachment_mismatch"))
      throw new CliError("attachment_mismatch", `${what}: another attachment's blob, or longer than the attachment; nothing was kept`);
    throw new CryptexError("tampered", `${what}: it failed verification; nothing was kept`);
  }
  if (r.rollbacks.length === 0) return;
  throw new CryptexError(
    "rollback",
    `the sync place holds an older copy of ${r.rollbacks.length} device(s)' files than this device has seen; nothing was removed here`,
  );
}

/** How often a watching device lists the target anyway: fs.watch misses events on network and FUSE drives. */
const LIST_EVERY_MS = 60_000;
/** WebDAV has no change feed: it is polled. */
const POLL_WEBDAV_MS = 30_000;
/** Sync clients write in bursts: one sync after the burst, not one per file. */
const DEBOUNCE_MS = 2_000;

/**
 * `cryptex sync --watch` on a folder or WebDAV: syncs when the folder changes (recursive fs.watch, plus a
 * listing every minute) or, for WebDAV, every 30 seconds; local saves are published on the next round.
 * SIGINT/SIGTERM end it with exit 0 after the sync in progress; a fault ends it with its exit code.
 */
export async function watchLog(
  ctx: Context,
  store: SqliteVaultStore,
  keys: AccountKeys,
  meta: VaultMeta,
  method: SyncMethod & { kind: "folder" | "webdav" },
): Promise<void> {
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  let wake: (() => void) | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const soon = () => {
    clearTimeout(timer);
    timer = setTimeout(() => wake?.(), DEBOUNCE_MS);
  };
  let watcher: FSWatcher | undefined;
  if (method.kind === "folder") {
    const dir = join(method.dir, "Cryptex", meta.accountId);
    try {
      watcher = watchFolder(existsSync(dir) ? dir : method.dir, { recursive: true }, soon);
      watcher.on("error", () => undefined); // the periodic listing still runs
    } catch {
      // no recursive watch on this file system: the periodic listing alone
    }
  }
  const period = method.kind === "webdav" ? POLL_WEBDAV_MS : LIST_EVERY_MS;
  try {
    if (!ctx.json) ctx.err("Watching for changes (Ctrl-C to stop)…");
    while (!stop.signal.aborted) {
      const r = await syncThroughLog(ctx, store, keys, meta, method);
      const att = r.attachments;
      if (
        r.pulled ||
        r.pushed ||
        r.missing.length ||
        r.rollbacks.length ||
        r.moved.length ||
        r.quarantined.length ||
        att.uploaded ||
        att.removed ||
        att.refused.length
      )
        reportLogSync(ctx, r);
      refuseRollback(r);
      await new Promise<void>((resolve) => {
        const t = setTimeout(done, period);
        wake = done;
        stop.signal.addEventListener("abort", done, { once: true });
        function done() {
          clearTimeout(t);
          wake = undefined;
          stop.signal.removeEventListener("abort", done);
          resolve();
        }
      });
    }
    if (!ctx.json) ctx.err("Stopped watching.");
  } finally {
    clearTimeout(timer);
    watcher?.close();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

/**
 * After a switch away from a folder or WebDAV: leaves the signed "moved" marker there, so devices still
 * syncing through it are told. A target that cannot be reached now is tried again on the next sync.
 */
export async function leaveMovedMarker(ctx: Context, keys: AccountKeys, meta: VaultMeta): Promise<void> {
  const file = readMethod(ctx.home);
  const old = file.previous;
  if (!old || (old.kind !== "folder" && old.kind !== "webdav")) return;
  try {
    if (old.kind === "folder" && !existsSync(old.dir)) throw new Error(`${old.dir} is not there`);
    await new LogReplica(keys, meta.deviceId).leaveMovedMarker(await openTarget(old, keys));
  } catch (e) {
    ctx.err(`Could not leave the "moved" note in the previous sync place (${(e as Error).message}); trying again on the next sync.`);
    return;
  }
  const { previous: _, ...rest } = file;
  writeMethod(ctx.home, rest);
}
