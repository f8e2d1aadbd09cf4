// A device's real vault (SQLite store, core engine) synced through a log target in a real folder.
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import type { AccountKeys } from "@cryptex/core/account-keys.ts";
import { freshAccountKeys } from "@cryptex/core/formats/test-keys.ts";
import { newUuid } from "@cryptex/core/ids.ts";
import { Vault } from "@cryptex/core/sync/engine.ts";
import { LogReplica } from "@cryptex/core/sync/log/log-replica.ts";
import { syncVaultThroughLog } from "@cryptex/core/sync/log/log-vault-sync.ts";
import { createItem, editItem } from "@cryptex/core/vault/item.ts";
import { openSqliteStore } from "../store/sqlite-store.ts";
import { FolderStore } from "./folder-store.ts";

const dirs: string[] = [];
after(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

/** One device: a vault in SQLite and the log replica's state in a file beside it. */
async function device(keys: AccountKeys, folder: string) {
  const home = await mkdtemp(join(tmpdir(), "cryptex-logvault-"));
  dirs.push(home);
  const vault = await Vault.open(openSqliteStore(join(home, "vault.sqlite")), keys);
  const statePath = join(home, "log-state");
  let replica = new LogReplica(keys, newUuid());
  const save = (b: Uint8Array) => writeFile(statePath, b);
  return {
    vault,
    sync: () => syncVaultThroughLog(vault, replica, new FolderStore(folder), save),
    /** the process ends and starts again: the replica comes back from its saved state */
    restart: async () => {
      replica = await LogReplica.restore(keys, new Uint8Array(await readFile(statePath)));
    },
    notes: async () => (await Promise.all(vault.list().map((e) => vault.get(e.id)))).map((i) => i.notes).sort(),
  };
}

test("two vaults through one folder: saves, concurrent edits and purges land in each vault and its index", async () => {
  const keys = await freshAccountKeys();
  const folder = await mkdtemp(join(tmpdir(), "cryptex-logfolder-"));
  dirs.push(folder);
  const a = await device(keys, folder);
  const b = await device(keys, folder);
  const item = createItem({ type: "login", title: "Bank", fields: { username: "me" }, notes: "v1" });
  await a.vault.save(item, null);
  assert.equal((await a.sync()).pushed, 1);
  await b.sync();
  assert.deepEqual(await b.notes(), ["v1"]);
  assert.equal(b.vault.list()[0]?.title, "Bank");

  const baseA = await a.vault.get(item.id);
  await a.vault.save(editItem(baseA, { notes: "from a" }), baseA);
  const baseB = await b.vault.get(item.id);
  await b.vault.save(editItem(baseB, { notes: "from b" }), baseB);
  await a.sync();
  await b.restart();
  await b.sync();
  await a.sync();
  assert.deepEqual(await a.notes(), ["from a", "from b"]);
  assert.deepEqual(await b.notes(), ["from a", "from b"]);
  assert.ok(a.vault.list().some((e) => e.title === "Bank (conflict copy)"));
  assert.deepEqual((await a.vault.store.readPending(10)).length, 0, "nothing left pending");

  await b.vault.purge(item.id, await b.vault.get(item.id));
  await b.sync();
  await a.sync();
  assert.deepEqual(await a.notes(), await b.notes());
  assert.equal(
    a.vault.list().some((e) => e.id === item.id),
    false,
    "the purge reached the other vault",
  );
  assert.equal((await a.vault.store.readItem(item.id))?.deleted, true);
});
