// The store contract over the SQLite implementation, on a real file; and the upgrade of an older database.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { after, test } from "node:test";
import { openSqliteStore } from "./sqlite.ts";
import { sampleAccount, storeContract } from "./store-contract.ts";

const dir = mkdtempSync(join(tmpdir(), "cryptex-sqlite-"));
after(() => rmSync(dir, { recursive: true, force: true }));
storeContract("sqlite", async () => openSqliteStore(join(dir, "cryptex.db")));

test("sqlite: a database from before the storage quota gets each account's byte count at open", async () => {
  const file = join(dir, "old.db");
  const db = new DatabaseSync(file);
  db.exec(`
    CREATE TABLE accounts (
      seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, email TEXT NOT NULL, email_lc TEXT NOT NULL UNIQUE,
      auth_public_key TEXT NOT NULL, verifier TEXT NOT NULL, wrapped_eak TEXT NOT NULL, eak_generation INTEGER NOT NULL,
      reset_epoch INTEGER NOT NULL, revision INTEGER NOT NULL, email_enabled INTEGER NOT NULL, created_at INTEGER NOT NULL);
    CREATE TABLE items (seq INTEGER PRIMARY KEY, account_seq INTEGER NOT NULL, id TEXT NOT NULL, revision INTEGER NOT NULL,
      deleted INTEGER NOT NULL, data BLOB);
    CREATE TABLE manifests (seq INTEGER PRIMARY KEY, account_seq INTEGER NOT NULL, device_id TEXT NOT NULL, data BLOB NOT NULL,
      updated_at INTEGER NOT NULL);
    INSERT INTO accounts VALUES (1, 'a1', 'a@x.org', 'a@x.org', 'k', 'v', 'w', 0, 0, 3, 1, 0);
    INSERT INTO accounts VALUES (2, 'a2', 'b@x.org', 'b@x.org', 'k', 'v', 'w', 0, 0, 0, 1, 0);
    INSERT INTO items (account_seq, id, revision, deleted, data) VALUES (1, 'i1', 1, 0, zeroblob(1000)), (1, 'i2', 2, 0, zeroblob(24)),
      (1, 'i3', 3, 1, NULL);
    INSERT INTO manifests (account_seq, device_id, data, updated_at) VALUES (1, 'd1', zeroblob(76), 0);`);
  db.close();
  const store = openSqliteStore(file);
  try {
    assert.equal(await store.storageUsed("a1"), 1100);
    assert.equal(await store.storageUsed("a2"), 0);
    const again = await store.push("a1", [{ id: "i4", baseRevision: 0, data: new Uint8Array(1) }], "s", 1100);
    assert.equal(again.kind, "quota");
  } finally {
    await store.close();
  }
});

test("a database made before the kit column gains it on open, and keeps its accounts", async () => {
  const file = join(dir, "old-kit.db");
  const old = new DatabaseSync(file);
  old.exec(`CREATE TABLE accounts (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, email TEXT NOT NULL, email_lc TEXT NOT NULL UNIQUE,
    auth_public_key TEXT NOT NULL, verifier TEXT NOT NULL, wrapped_eak TEXT NOT NULL, eak_generation INTEGER NOT NULL,
    reset_epoch INTEGER NOT NULL, revision INTEGER NOT NULL, email_enabled INTEGER NOT NULL, created_at INTEGER NOT NULL)`);
  const a = sampleAccount();
  old
    .prepare("INSERT INTO accounts VALUES (1, ?, ?, ?, ?, ?, ?, 0, 0, 0, 1, ?)")
    .run(a.id, a.email, a.email.toLowerCase(), a.authPublicKey, a.verifier, a.wrappedEak, a.createdAt);
  old.close();
  const store = openSqliteStore(file);
  assert.deepEqual(await store.getAccount(a.id), a);
  const u = { authPublicKey: a.authPublicKey, wrappedEak: "bmV3", eakGeneration: 1, emailEnabled: true, kit: "k".repeat(22) };
  assert.equal((await store.changePassword(a.id, u)) && (await store.getAccount(a.id))?.kit, "k".repeat(22));
  await store.close();
});
