// Runs the VaultStore contract suite over the SQLite store, plus the CLI-only session table and durability.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { newItemId } from "@cryptex/core/ids.ts";
import { storeContract } from "@cryptex/core/sync/store-contract.ts";
import { openSqliteStore } from "./sqlite-store.ts";

function fixture() {
  const dir = mkdtempSync(join(tmpdir(), "cryptex-store-"));
  const path = join(dir, "vault.sqlite");
  return { dir, path };
}

storeContract(
  "sqlite",
  async () => {
    const { dir, path } = fixture();
    return {
      store: openSqliteStore(path),
      reopen: async () => openSqliteStore(path),
      dispose: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
  { test, assert },
);

test("sqlite: sessions are stored, read back and all deleted by lock", async () => {
  const { dir, path } = fixture();
  const s = openSqliteStore(path);
  try {
    s.putSession({ id: "s1", sealed: new Uint8Array([1, 2]), createdAt: 1, expiresAt: Date.now() + 60_000 });
    s.putSession({ id: "s2", sealed: new Uint8Array([3]), createdAt: 1, expiresAt: Date.now() + 60_000 });
    assert.deepEqual(Array.from(s.readSession("s1")!.sealed), [1, 2]);
    assert.equal(s.readSession("nope"), undefined);
    assert.equal(s.deleteSessions(), 2);
    assert.equal(s.readSession("s2"), undefined);
  } finally {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("sqlite: lock leaves no sealed key in the file's free pages or in the WAL", async () => {
  const { dir, path } = fixture();
  const sealed = new Uint8Array(randomBytes(75));
  const onDisk = () =>
    [path, `${path}-wal`].filter((f) => existsSync(f)).some((f) => Buffer.from(readFileSync(f)).includes(Buffer.from(sealed)));
  const first = openSqliteStore(path);
  first.putSession({ id: "s1", sealed, createdAt: 1, expiresAt: Date.now() + 60_000 });
  await first.close();
  const s = openSqliteStore(path);
  try {
    assert.ok(onDisk(), "the sealed key is in the file while the session lives");
    assert.equal(s.deleteSessions(), 1);
    assert.equal(onDisk(), false, "a copy of the files taken now holds no trace of it");
  } finally {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("sqlite: the file is in WAL mode with a schema version", async () => {
  const { dir, path } = fixture();
  const s = openSqliteStore(path);
  await s.write({ putItems: [{ id: newItemId(), data: new Uint8Array([1]), deleted: false, revision: 0, pending: true, seenRev: 1 }] });
  await s.close();
  const { DatabaseSync } = await import("node:sqlite");
  const db = new DatabaseSync(path);
  assert.equal((db.prepare("PRAGMA journal_mode").get() as { journal_mode: string }).journal_mode, "wal");
  assert.equal((db.prepare("PRAGMA user_version").get() as { user_version: number }).user_version, 2);
  db.close();
  rmSync(dir, { recursive: true, force: true });
});
