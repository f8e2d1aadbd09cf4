// The store contract over the SQLite implementation, on a real file.
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

test("a database made before the kit column gains it on open, and keeps its accounts", async () => {
  const file = join(dir, "old.db");
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
