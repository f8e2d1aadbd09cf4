// Runs the core sync engine over the local store and tells the user what happened: counts, conflict
// copies, quarantined items, a progress bar on stderr when more than a few hundred items move.

import type { AccountKeys } from "@cryptex/core/account-keys.ts";
import type { ApiClient } from "@cryptex/core/client/api-client.ts";
import { type SyncProgress, type SyncReport, Vault } from "@cryptex/core/sync/engine.ts";
import type { VaultStore } from "@cryptex/core/sync/ports.ts";
import type { Context } from "../program/context.ts";

const BAR_THRESHOLD = 300;

function progressBar(ctx: Context): (p: SyncProgress) => void {
  let shown = false;
  return (p) => {
    if (p.total <= BAR_THRESHOLD || ctx.json || !process.stderr.isTTY) return; // more than 300 items, on a terminal
    shown = true;
    const width = 30;
    const filled = Math.round((Math.min(p.done, p.total) / p.total) * width);
    process.stderr.write(`\r${p.phase} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${p.done}/${p.total}`);
    if (p.done >= p.total && shown) process.stderr.write("\n");
  };
}

export async function syncVault(ctx: Context, store: VaultStore, keys: AccountKeys, api: ApiClient): Promise<SyncReport> {
  const vault = await Vault.open(store, keys);
  return vault.sync(api, progressBar(ctx));
}

export function reportSync(ctx: Context, r: SyncReport, extra: Record<string, unknown> = {}): void {
  if (ctx.json) {
    ctx.out(
      JSON.stringify({
        ...extra,
        pulled: r.pulled,
        pushed: r.pushed,
        revision: r.revision,
        conflicts: r.conflicts,
        merged: r.merged,
        quarantined: r.quarantined,
        refused: r.refused,
        passwordChanged: r.passwordChanged,
      }),
    );
    return;
  }
  const lines = [`Synced: ${r.pulled} received, ${r.pushed} sent (revision ${r.revision}).`];
  for (const c of r.conflicts) {
    lines.push(
      c.kind === "both-edited"
        ? `Conflict: item ${c.id} was changed here and on another device; both versions are kept (the other one as ${c.copyId}, "… (conflict copy)").`
        : `Conflict: item ${c.id} was deleted on one device and edited on the other; the edit is kept.`,
    );
  }
  for (const id of r.merged)
    lines.push(`Merged: item ${id} was changed here and on another device in different fields; one item keeps both changes.`);
  for (const q of r.quarantined)
    lines.push(
      `Warning: the server's copy of item ${q.id} (revision ${q.revision}) failed verification (${q.reason}) and was not accepted.`,
    );
  ctx.out(lines.join("\n"));
  for (const x of r.refused)
    ctx.err(
      x.reason === "too_large"
        ? `Not sent: item ${x.id} is too large to sync; it stays on this device (shorten its notes or fields, or export it).`
        : `Not sent: the server refused item ${x.id} (${x.reason}); it stays on this device and is tried again on the next sync.`,
    );
}
