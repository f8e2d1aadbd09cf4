// Makes the local vault of a freshly signed-up or signed-in account: meta first, in one transaction.
import type { OpenedAccount } from "@cryptex/core/client/account.ts";
import { sealServerToken } from "@cryptex/core/formats/server-token.ts";
import { newUuid } from "@cryptex/core/ids.ts";
import { CliError } from "../errors/cli-error.ts";
import type { Context } from "../program/context.ts";
import type { SqliteVaultStore } from "../store/sqlite-store.ts";
import { createStore } from "./home.ts";

/** Fails early (before any network or Argon2id work) when this home already holds an account. */
export async function assertNoAccount(ctx: Context): Promise<void> {
  const { existsSync } = await import("node:fs");
  const { vaultPath } = await import("./home.ts");
  if (!existsSync(vaultPath(ctx.home))) return;
  const { openSqliteStore } = await import("../store/sqlite-store.ts");
  const s = openSqliteStore(vaultPath(ctx.home));
  try {
    const meta = await s.readMeta();
    if (meta) throw new CliError("vault_exists", `${ctx.home} already holds the account ${meta.email}; use another --home`);
  } finally {
    await s.close();
  }
}

export async function writeNewVault(ctx: Context, account: OpenedAccount, email: string, serverUrl: string): Promise<SqliteVaultStore> {
  const store = createStore(ctx);
  await store.write({
    meta: {
      accountId: account.accountId,
      email,
      serverUrl,
      eak: account.eak.bytes,
      eakGeneration: account.eakGeneration,
      resetEpoch: account.resetEpoch,
      cursor: 0,
      deviceId: newUuid(),
      sessionToken: await sealServerToken(account.keys, account.session.token),
    },
  });
  return store;
}
