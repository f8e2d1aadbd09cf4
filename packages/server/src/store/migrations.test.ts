// Schema migrations on both stores: a database made before versions were recorded is adopted with nothing lost,
// migrating twice changes nothing, and a database from a newer server is refused with a clear message.
import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { test } from "node:test";
import pg from "pg";
import { startPostgres } from "../testing/postgres.ts";
import { MIGRATIONS, pendingMigrations, SCHEMA_VERSION } from "./migrations.ts";
import { openPostgresStore } from "./postgres.ts";
import { openSqliteStore } from "./sqlite.ts";
import type { Store } from "./store.ts";
import { sampleAccount, sampleSession } from "./store-contract.ts";

const bytes = (s: string) => new TextEncoder().encode(s);

/** Writes an account with three items and a manifest; returns what must survive. */
async function fill(store: Store) {
  const a = sampleAccount();
  await store.createAccount(a, sampleSession(a.id), randomBytes(32));
  const ids = [randomUUID(), randomUUID(), randomUUID()];
  const r = await store.push(
    a.id,
    ids.map((id) => ({ id, baseRevision: 0, deleted: false, data: bytes(`item ${id}`) })),
    "s",
  );
  assert.equal(r.kind, "applied");
  await store.putManifest(a.id, { deviceId: randomUUID(), data: bytes("manifest"), updatedAt: 1 });
  return { account: a, ids };
}

async function assertKept(store: Store, kept: Awaited<ReturnType<typeof fill>>) {
  assert.equal((await store.findAccountByEmail(kept.account.email))?.id, kept.account.id);
  const page = await store.pull(kept.account.id, 0, 100);
  assert.deepEqual(
    page?.items.map((i) => [i.id, new TextDecoder().decode(i.data)]),
    kept.ids.map((id) => [id, `item ${id}`]),
  );
  assert.equal((await store.listManifests(kept.account.id)).length, 1);
}

test("pendingMigrations: all from 0, none at the current version, refusal above it", () => {
  assert.deepEqual(
    pendingMigrations(0).map((m) => m.version),
    MIGRATIONS.map((m) => m.version),
  );
  assert.deepEqual(pendingMigrations(SCHEMA_VERSION), []);
  assert.throws(() => pendingMigrations(SCHEMA_VERSION + 1), /newer than this server's/);
  assert.deepEqual(
    MIGRATIONS.map((m) => m.version),
    MIGRATIONS.map((_, i) => i + 1),
    "versions are 1, 2, 3 … in order",
  );
});

test("SQLite: a database from before schema versions is adopted with nothing lost; a newer one is refused", async () => {
  const dir = mkdtempSync(join(tmpdir(), "cryptex-migrate-"));
  const file = join(dir, "cryptex.db");
  try {
    const first = openSqliteStore(file);
    const kept = await fill(first);
    await first.close();
    // What the server wrote before migrations existed: the same tables, no record of versions.
    const raw = new DatabaseSync(file);
    raw.exec("DROP TABLE schema_migrations");
    raw.close();

    const upgraded = openSqliteStore(file);
    await assertKept(upgraded, kept);
    await upgraded.close();
    const check = new DatabaseSync(file);
    assert.equal(Number(check.prepare("SELECT max(version) AS v FROM schema_migrations").get()?.v), SCHEMA_VERSION);
    check.exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (${SCHEMA_VERSION + 1}, 'future', 0)`);
    check.close();
    assert.throws(() => openSqliteStore(file), /newer than this server's/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("PostgreSQL: a database from before schema versions is adopted with nothing lost; a newer one is refused", async (t) => {
  const cluster = await startPostgres();
  t.after(() => cluster.stop());
  const first = await openPostgresStore(cluster.url);
  const kept = await fill(first);
  await first.close();
  const raw = new pg.Client({ connectionString: cluster.url });
  await raw.connect();
  try {
    await raw.query("DROP TABLE schema_migrations");
    const upgraded = await openPostgresStore(cluster.url);
    await assertKept(upgraded, kept);
    await upgraded.close();
    assert.equal(Number((await raw.query("SELECT max(version) AS v FROM schema_migrations")).rows[0].v), SCHEMA_VERSION);
    await raw.query(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (${SCHEMA_VERSION + 1}, 'future', 0)`);
    await assert.rejects(openPostgresStore(cluster.url), /newer than this server's/);
  } finally {
    await raw.end();
  }
});
