// `cryptex sync [--watch]`: pull then push through the core engine. Handles an ended server session (signs
// in again with the password) and a password changed on another device (adopts the new EAK, asks for
// the new password). --watch stays on the live channel and syncs on every new revision.

import { signInAgain, unlockWithPassword } from "@cryptex/core/client/account.ts";
import { type ApiClient, ApiError } from "@cryptex/core/client/api-client.ts";
import { isCryptexError } from "@cryptex/core/errors.ts";
import type { SyncReport } from "@cryptex/core/sync/engine.ts";
import { CliError } from "../errors/cli-error.ts";
import { askPassword } from "../io/password.ts";
import { apiFor, defaultDeviceName } from "../net/api.ts";
import type { Context } from "../program/context.ts";
import type { CommandRun } from "../program/spec.ts";
import { leaveMovedMarker, refuseRollback, reportLogSync, syncThroughLog, watchLog } from "../sync-targets/log-sync.ts";
import { readMethod } from "../sync-targets/sync-method.ts";
import { attachmentDirs } from "../vault/attachment-files.ts";
import { type AttachmentSyncReport, afterItemSync, reportAttachments, uploadPending } from "../vault/attachment-sync.ts";
import { reportSync, syncVault } from "../vault/sync-vault.ts";
import { readMetaOrFail, type UnlockedVault, unlockVault } from "../vault/unlock.ts";

const STALE_DEVICE =
  "Items not yet synced stay in this vault: save them first with cryptex export --out FILE (it needs the password this device knows), " +
  "then sign in with the current QR code in a fresh --home (cryptex signin) and cryptex import FILE there.";

async function signInAgainWithPassword(ctx: Context, v: UnlockedVault, api: ApiClient): Promise<void> {
  const meta = await readMetaOrFail(v.store, ctx);
  if (!v.stretched && !ctx.passwordStdin && !ctx.stdinIsTty) {
    throw new CliError(
      "signed_out",
      "the server ended this device's session (signed out from another device, or expired). Run cryptex sync with the Account Password (on a terminal, or --password-stdin) to sign in again.",
    );
  }
  const password = v.stretched ? undefined : await askPassword(ctx, "The server session has ended. Account Password: ");
  const unlocked = v.stretched
    ? { accountKey: v.accountKey, keys: v.keys, stretched: v.stretched }
    : await unlockWithPassword(meta, password!);
  try {
    const session = await signInAgain(api, meta.email, unlocked, defaultDeviceName());
    api.token = session.token;
    const { sealServerToken } = await import("@cryptex/core/formats/server-token.ts");
    await v.store.write({ meta: { sessionToken: await sealServerToken(v.keys, session.token) } });
  } catch (e) {
    if (e instanceof ApiError && e.code === "account_reset") throw accountReset();
    if (e instanceof ApiError && e.code === "key_rotated") throw keyRotated();
    if (e instanceof ApiError && e.status === 401) {
      // Unauthenticated, the server answers every refusal alike: a password change and a reset look the same here.
      throw new CliError(
        "password_changed",
        `the server no longer accepts this device's key: the Account Password was changed (or the account was reset) on another device while this device was signed out. ${STALE_DEVICE}`,
      );
    }
    throw e;
  }
}

function accountReset(): CliError {
  return new CliError(
    "account_reset",
    `the account was reset on another device: this vault holds the old Account Key and can no longer sync. ${STALE_DEVICE}`,
  );
}

function keyRotated(): CliError {
  return new CliError(
    "key_rotated",
    `the Account Key was replaced on another device: this vault holds the old key and can no longer sync. ${STALE_DEVICE}`,
  );
}

async function syncOnce(ctx: Context, v: UnlockedVault, api: ApiClient): Promise<SyncReport> {
  const ended = (e: unknown) =>
    isCryptexError(e, "account_reset") || (e instanceof ApiError && e.code === "account_reset")
      ? accountReset()
      : e instanceof ApiError && e.code === "key_rotated"
        ? keyRotated()
        : undefined;
  try {
    return await syncVault(ctx, v.store, v.keys, api);
  } catch (e) {
    const end = ended(e);
    if (end) throw end;
    if (!(e instanceof ApiError && e.status === 401)) throw e;
  }
  await signInAgainWithPassword(ctx, v, api);
  try {
    return await syncVault(ctx, v.store, v.keys, api);
  } catch (e) {
    throw ended(e) ?? e;
  }
}

/** After adopting a new EAK: the old password no longer unlocks this device; check the new one now. */
async function confirmNewPassword(ctx: Context, v: UnlockedVault): Promise<boolean> {
  ctx.err("The Account Password was changed on another device. From now on, unlock with the new password.");
  if (!ctx.passwordStdin && !ctx.stdinIsTty) return false;
  const meta = await readMetaOrFail(v.store, ctx);
  const password = await askPassword(ctx, "New Account Password: ");
  await unlockWithPassword(meta, password); // wrong_password if it is not the new one
  ctx.err("New password confirmed.");
  return true;
}

export const run: CommandRun = async (ctx, args) => {
  const v = await unlockVault(ctx).catch((e: unknown) => {
    // The local key opens only with the password this device last learned (docs/security.md §3.2).
    if (isCryptexError(e, "wrong_password"))
      throw new CliError(
        "wrong_password",
        "Wrong Account Password. If the password was changed on another device, give the previous password once: sync then learns the new one (with --password-stdin: previous, then new).",
      );
    throw e;
  });
  try {
    const meta = await readMetaOrFail(v.store, ctx);
    if (meta.pendingEakText !== undefined)
      throw new CliError(
        "rotation_pending",
        "an Account Key rotation started on this device was interrupted: finish it with cryptex account rotate-key (nothing is lost meanwhile)",
      );
    await leaveMovedMarker(ctx, v.keys, meta);
    const { method } = readMethod(ctx.home);
    if (method.kind === "none") {
      ctx.err("This device's sync method is none: items stay on this device (cryptex sync method shows how to change it).");
      return;
    }
    if (method.kind === "folder" || method.kind === "webdav") {
      if (args.values.watch === true) return await watchLog(ctx, v.store, v.keys, meta, method);
      const report = await syncThroughLog(ctx, v.store, v.keys, meta, method, { downloadAttachments: args.values.attachments === true });
      reportLogSync(ctx, report);
      refuseRollback(report);
      return;
    }
    const api = apiFor(ctx, meta.serverUrl, v.serverToken);
    const dirs = attachmentDirs(ctx.home);
    const att: AttachmentSyncReport = { uploaded: 0, removed: 0, downloaded: 0, failed: [] };
    // files first, so an item rarely reaches other devices before its attachment; retried after a new sign-in
    att.uploaded += await uploadPending(ctx, dirs, api).catch((e: unknown) => {
      if (e instanceof ApiError && e.status === 401) return 0;
      throw e;
    });
    const report = await syncOnce(ctx, v, api);
    await afterItemSync(ctx, v, dirs, api, args.values.attachments === true, att);
    const moved = att.uploaded + att.removed + att.downloaded + att.failed.length > 0;
    reportSync(ctx, report, moved ? { attachments: att } : {});
    reportAttachments(ctx, att);
    if (report.passwordChanged) await confirmNewPassword(ctx, v);
    if (args.values.watch !== true) return;
    await watch(ctx, v, api, meta.serverUrl);
  } finally {
    await v.store.close();
  }
};

/** Sleeps `ms`, or less when `signal` aborts. */
const pause = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });

/**
 * Stays on the live channel; every new revision runs one sync, and so does every (re)connection, which catches
 * up on changes made before the channel was open. Syncs run one at a time. SIGINT/SIGTERM end it cleanly
 * (exit 0) after the sync in progress. A reset announced on the channel ends it with exit 16 (before the server
 * revokes this session); a revoked session ends it with exit 13 unless the password can be asked.
 */
async function watch(ctx: Context, v: UnlockedVault, api: ApiClient, serverUrl: string): Promise<void> {
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  let fatal: unknown;
  let tail: Promise<void> = Promise.resolve();
  const serial = (fn: () => Promise<void>): Promise<void> => {
    tail = tail.then(fn).catch((e: unknown) => {
      fatal ??= e;
      stop.abort();
    });
    return tail;
  };
  const syncAndReport = async () => {
    if (stop.signal.aborted) return;
    const r = await syncOnce(ctx, v, api);
    if (r.pulled || r.pushed || r.conflicts.length || r.quarantined.length || r.refused.length || r.passwordChanged) reportSync(ctx, r);
    if (r.passwordChanged && !ctx.json)
      ctx.err("The Account Password was changed on another device; unlock with the new password from now on.");
  };
  let announced = false;
  const live = apiFor(ctx, serverUrl, undefined, {
    onEventsOpen: () => {
      if (!announced && !ctx.json) ctx.err("Watching for changes (Ctrl-C to stop)…");
      announced = true;
      void serial(syncAndReport);
    },
  });
  try {
    let delay = 1000;
    while (!stop.signal.aborted) {
      live.token = api.token; // renewed when sync signed in again
      try {
        for await (const ev of live.events(stop.signal)) {
          delay = 1000;
          await serial(async () => {
            const meta = await readMetaOrFail(v.store, ctx);
            if (ev.type === "account" && ev.resetEpoch !== meta.resetEpoch) throw accountReset();
            if (ev.type === "revision" && ev.revision <= meta.cursor) return;
            await syncAndReport();
          });
          if (stop.signal.aborted) break;
        }
      } catch (e) {
        if (stop.signal.aborted) break;
        if (!(e instanceof ApiError) || e.status === 403) throw e;
        // an ended session: sync signs in again (or says why it cannot); anything else is retried
        if (e.status === 401) await serial(syncAndReport);
        else if (!ctx.json) ctx.err(`Live channel lost (${e.message}); retrying in ${delay / 1000}s.`);
      }
      if (stop.signal.aborted) break;
      await pause(delay, stop.signal);
      delay = Math.min(delay * 2, 60_000);
    }
    await tail;
    if (fatal !== undefined) throw fatal;
    if (!ctx.json) ctx.err("Stopped watching.");
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
