// Full item history through real vaults (SQLite store, core engine) synced through a log target in a real
// folder: versions travel, concurrent edits keep every saved version, a restore obeys the merge rules.
import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import type { AccountKeys } from "@cryptex/core/account-keys.ts";
import { freshAccountKeys } from "@cryptex/core/formats/test-keys.ts";
import { newUuid } from "@cryptex/core/ids.ts";
import { Vault } from "@cryptex/core/sync/engine.ts";
import { LogReplica } from "@cryptex/core/sync/log/log-replica.ts";
import { syncVaultThroughLog } from "@cryptex/core/sync/log/log-vault-sync.ts";
import { createItem, editItem, fieldValue, type Item } from "@cryptex/core/vault/item.ts";
import { itemHistory } from "@cryptex/core/vault/item-versions.ts";
import { restoreVersion } from "@cryptex/core/vault/version-diff.ts";
import { openSqliteStore } from "../store/sqlite-store.ts";
import { FolderStore } from "./folder-store.ts";

const dirs: string[] = [];
after(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));
const tempDir = async (prefix: string) => {
  const d = await mkdtemp(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
};

async function device(keys: AccountKeys, folder: string, name: string) {
  const vault = await Vault.open(openSqliteStore(join(await tempDir("cryptex-histvault-"), "vault.sqlite")), keys);
  vault.setHistory({ deviceName: name });
  const replica = new LogReplica(keys, newUuid());
  return {
    vault,
    sync: () => syncVaultThroughLog(vault, replica, new FolderStore(folder), async () => {}),
    edit: async (id: Item["id"], change: Parameters<typeof editItem>[1]) => {
      const base = await vault.get(id);
      return vault.save(editItem(base, change), base);
    },
  };
}

const passwords = (it: Item) => itemHistory(it).map((e) => fieldValue({ ...it, fields: e.version.fields }, "password"));

test("versions travel through the folder with their device names; none reach the folder in plaintext", async () => {
  const keys = await freshAccountKeys();
  const folder = await tempDir("cryptex-histfolder-");
  const a = await device(keys, folder, "laptop");
  const b = await device(keys, folder, "phone");
  const item = createItem({ type: "login", title: "Bank", fields: { username: "me", password: "first-secret-pw" } });
  await a.vault.save(item, null);
  await a.edit(item.id, { fields: { password: "second-secret-pw" } });
  await a.sync();
  await b.sync();
  await b.edit(item.id, { notes: "changed on the phone" });
  await b.sync();
  await a.sync();
  const onA = await a.vault.get(item.id);
  assert.deepEqual(passwords(onA), ["first-secret-pw", "second-secret-pw", "second-secret-pw"]);
  assert.deepEqual(
    itemHistory(onA).map((e) => e.version.savedBy),
    ["laptop", "laptop", "phone"],
  );
  for (const sub of await readdir(folder, { recursive: true }))
    if (sub.endsWith(".cxs") || sub.endsWith(".cxp"))
      assert.ok(!(await readFile(join(folder, sub))).includes("first-secret-pw"), `${sub} holds a secret in plaintext`);
});

test("concurrent edits on two devices: no saved version is lost (winner's history or its conflict copy)", async () => {
  const keys = await freshAccountKeys();
  const folder = await tempDir("cryptex-histfolder-");
  const a = await device(keys, folder, "laptop");
  const b = await device(keys, folder, "phone");
  const item = createItem({ type: "login", title: "Mail", fields: { password: "p0" } });
  await a.vault.save(item, null);
  await a.sync();
  await b.sync();
  await a.edit(item.id, { fields: { password: "from-laptop" } });
  await b.edit(item.id, { fields: { password: "from-phone" } });
  await a.sync();
  await b.sync();
  await a.sync();
  for (const d of [a, b]) {
    const all = await Promise.all(d.vault.list().map((e) => d.vault.get(e.id)));
    const seen = new Set(all.flatMap(passwords));
    for (const pw of ["p0", "from-laptop", "from-phone"]) assert.ok(seen.has(pw), `${pw} is kept`);
  }
});

test("a restore based on an older version merges with a change made meanwhile on another device", async () => {
  const keys = await freshAccountKeys();
  const folder = await tempDir("cryptex-histfolder-");
  const a = await device(keys, folder, "laptop");
  const b = await device(keys, folder, "phone");
  const item = createItem({ type: "login", title: "Shop", fields: { username: "me", password: "old-pw" } });
  await a.vault.save(item, null);
  await a.edit(item.id, { fields: { password: "new-pw" } });
  await a.sync();
  await b.sync();
  const shown = await a.vault.get(item.id); // the history panel opens on this version
  await b.edit(item.id, { fields: { username: "renamed" } });
  await b.sync();
  await a.sync(); // the phone's change arrives while the panel is open
  const result = await a.vault.save(restoreVersion(shown, itemHistory(shown)[0]!.version), shown);
  assert.equal(result.kind, "merged");
  const now = await a.vault.get(item.id);
  assert.equal(fieldValue(now, "password"), "old-pw", "the restored value");
  assert.equal(fieldValue(now, "username"), "renamed", "the other device's change survives");
  assert.ok(passwords(now).includes("new-pw"), "the replaced version stays in history");
  await a.sync();
  await b.sync();
  const onB = await b.vault.get(item.id);
  assert.equal(fieldValue(onB, "password"), "old-pw");
  assert.equal(fieldValue(onB, "username"), "renamed");
});

test("the count kept is this device's setting", async () => {
  const keys = await freshAccountKeys();
  const a = await device(keys, await tempDir("cryptex-histfolder-"), "laptop");
  a.vault.setHistory({ versionsKept: 3 });
  const item = createItem({ type: "login", title: "N", notes: "0" });
  await a.vault.save(item, null);
  for (let i = 1; i <= 6; i++) await a.edit(item.id, { notes: String(i) });
  assert.deepEqual(
    itemHistory(await a.vault.get(item.id)).map((e) => e.version.notes),
    ["3", "4", "5", "6"],
  );
});
