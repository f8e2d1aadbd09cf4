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
import { reportSync, syncVault } from "../vault/sync-vault.ts";
import { readMetaOrFail, type UnlockedVault, unlockVault } from "../vault/unlock.ts";

async function signInAgainWithPassword(ctx: Context, v: UnlockedVault, api: ApiClient): Promise<void> {
  const meta = await readMetaOrFail(v.store, ctx);
  const password = v.stretched ? undefined : await askPassword(ctx, "The server session has ended. Account Password: ");
  const unlocked = v.stretched
    ? { accountKey: v.accountKey, keys: v.keys, stretched: v.stretched }
    : await unlockWithPassword(meta, password!);
  try {
    const session = await signInAgain(api, meta.email, unlocked, defaultDeviceName());
    api.token = session.token;
    await v.store.write({ meta: { sessionToken: session.token } });
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      throw new CliError(
        "password_changed",
        "the server refused this device's key: the Account Password was probably changed on another device while this device was signed out. Sign in again with the current QR code (cryptex signin, in a fresh --home).",
      );
    }
    throw e;
  }
}

async function syncOnce(ctx: Context, v: UnlockedVault, api: ApiClient): Promise<SyncReport> {
  try {
    return await syncVault(ctx, v.store, v.keys, api);
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      await signInAgainWithPassword(ctx, v, api);
      return syncVault(ctx, v.store, v.keys, api);
    }
    if (isCryptexError(e, "account_reset")) {
      throw new CliError(
        "account_reset",
        "the account was reset on another device; this vault is stale. Sign in again with the new QR code in a fresh --home.",
      );
    }
    throw e;
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
  const v = await unlockVault(ctx);
  try {
    const meta = await readMetaOrFail(v.store, ctx);
    const api = apiFor(ctx, meta.serverUrl, meta.sessionToken);
    const report = await syncOnce(ctx, v, api);
    reportSync(ctx, report);
    if (report.passwordChanged) await confirmNewPassword(ctx, v);
    if (args.values.watch !== true) return;
    await watch(ctx, v, api);
  } finally {
    await v.store.close();
  }
};

async function watch(ctx: Context, v: UnlockedVault, api: ApiClient): Promise<void> {
  const stop = new AbortController();
  process.once("SIGINT", () => stop.abort());
  process.once("SIGTERM", () => stop.abort());
  if (!ctx.json) ctx.err("Watching for changes (Ctrl-C to stop)…");
  let delay = 1000;
  while (!stop.signal.aborted) {
    try {
      for await (const ev of api.events(stop.signal)) {
        delay = 1000;
        if (ev.type === "revision" && ev.revision <= (await readMetaOrFail(v.store, ctx)).cursor) continue;
        const r = await syncOnce(ctx, v, api);
        if (r.pulled || r.pushed || r.conflicts.length || r.quarantined.length) reportSync(ctx, r);
        if (r.passwordChanged) ctx.err("The Account Password was changed on another device; unlock with the new password from now on.");
      }
    } catch (e) {
      if (stop.signal.aborted) break;
      if (!(e instanceof ApiError) || e.status === 401 || e.status === 403) throw e;
      ctx.err(`Live channel lost (${e.message}); retrying in ${delay / 1000}s.`);
    }
    if (stop.signal.aborted) break;
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 60_000);
    // catch up on whatever happened while disconnected
    await syncOnce(ctx, v, api).then(
      (r) => (r.pulled || r.pushed ? reportSync(ctx, r) : undefined),
      () => undefined,
    );
  }
}
