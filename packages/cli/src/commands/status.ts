// `cryptex status`: account, server, lock state, pending changes and quarantined items; no password needed.
import type { CommandRun } from "../program/spec.ts";
import { describeMethod, readMethod } from "../sync-targets/sync-method.ts";
import { openExistingStore, vaultPath } from "../vault/home.ts";
import { readMetaOrFail } from "../vault/unlock.ts";

export const run: CommandRun = async (ctx) => {
  const store = openExistingStore(ctx);
  try {
    const meta = await readMetaOrFail(store, ctx);
    let session: "none" | "valid" | "expired" | "ended" | "invalid" = "none";
    const m = ctx.sessionToken ? /^cxs1_([0-9a-f-]{36})_/.exec(ctx.sessionToken) : null;
    if (ctx.sessionToken) {
      const row = m ? store.readSession(m[1]!) : undefined;
      session = !m ? "invalid" : !row ? "ended" : row.expiresAt < Date.now() ? "expired" : "valid";
    }
    const pending = (await store.readPending(1_000_000)).length;
    const quarantined = (await store.readQuarantine()).length;
    const { method, lastSync } = readMethod(ctx.home);
    const s = {
      email: meta.email,
      accountId: meta.accountId,
      server: meta.serverUrl,
      home: ctx.home,
      vault: vaultPath(ctx.home),
      locked: session !== "valid",
      session,
      signedIn: meta.sessionToken !== undefined,
      pendingChanges: pending,
      revision: meta.cursor,
      quarantined,
      syncMethod: describeMethod(method),
      lastSync: lastSync === undefined ? null : new Date(lastSync).toISOString(),
    };
    if (ctx.json) return ctx.out(JSON.stringify(s));
    ctx.out(
      [
        `account:   ${s.email} (${s.accountId})`,
        s.server === ""
          ? "server:    none (the account lives in its sync folder)"
          : `server:    ${s.server}${s.signedIn ? "" : " (signed out: run cryptex signin)"}`,
        `vault:     ${s.vault}`,
        `state:     ${s.locked ? `locked (session ${session})` : "unlocked"}`,
        `pending:   ${pending} local change${pending === 1 ? "" : "s"} not yet synced`,
        `revision:  ${s.revision}`,
        `sync:      ${s.syncMethod}${method.kind === "folder" || method.kind === "webdav" ? `, last synced ${s.lastSync ?? "never"}` : ""}`,
        ...(quarantined ? [`warning:   ${quarantined} server item(s) failed verification and were quarantined`] : []),
      ].join("\n"),
    );
  } finally {
    await store.close();
  }
};
