// Schema migrations on both stores: a database written by a version-1 server (before versions were recorded) is
// upgraded with nothing lost, migrating twice changes nothing, and a database from a newer server is refused.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
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

const bytes = (s: string) => new TextEncoder().encode(s);

const V1 = MIGRATIONS[0]!;
const account = randomUUID();
const email = `Old${randomUUID().slice(0, 6)}@Example.org`;
const itemIds = [randomUUID(), randomUUID(), randomUUID()];
const itemData = itemIds.map((id) => bytes(`item ${id}`));
const manifestData = bytes("manifest bytes");

/** What a version-1 server wrote: its schema (migration 1, exactly) and rows inserted as its store did. */
const V1_ROWS = (p: (n: number) => string) =>
  [
    [
      `INSERT INTO accounts (seq, id, email, email_lc, auth_public_key, verifier, wrapped_eak, eak_generation, reset_epoch, revision,
       email_enabled, created_at) VALUES (1, ${p(1)}, ${p(2)}, ${p(3)}, 'A', 'dg', 'dw', 0, 0, 3, ${p(4)}, 1)`,
      [account, email, email.toLowerCase(), true],
    ],
    ...itemIds.map((id, i) => [
      `INSERT INTO items (account_seq, id, revision, deleted, data) VALUES (1, ${p(1)}, ${i + 1}, ${p(2)}, ${p(3)})`,
      [id, false, itemData[i]],
    ]),
    [`INSERT INTO manifests (account_seq, device_id, data, updated_at) VALUES (1, ${p(1)}, ${p(2)}, 1)`, [randomUUID(), manifestData]],
  ] as [string, unknown[]][];

async function assertKept(store: Store) {
  assert.equal((await store.findAccountByEmail(email))?.id, account);
  const page = await store.pull(account, 0, 100);
  assert.deepEqual(
    page?.items.map((i) => [i.id, new TextDecoder().decode(i.data)]),
    itemIds.map((id) => [id, `item ${id}`]),
  );
  assert.equal((await store.listManifests(account)).length, 1);
}
const usedBytes = itemData.reduce((n, d) => n + d.length, 0) + manifestData.length;

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

test("SQLite: a version-1 database is upgraded with nothing lost (quota bytes filled in); a newer one is refused", async () => {
  const dir = mkdtempSync(join(tmpdir(), "cryptex-migrate-"));
  const file = join(dir, "cryptex.db");
  try {
    const old = new DatabaseSync(file);
    old.exec(V1.sqlite);
    for (const [sql, args] of V1_ROWS(() => "?"))
      old.prepare(sql).run(...(args.map((a) => (typeof a === "boolean" ? Number(a) : a)) as never[]));
    old.close();

    const upgraded = openSqliteStore(file);
    await assertKept(upgraded);
    await upgraded.close();
    const check = new DatabaseSync(file);
    assert.equal(Number(check.prepare("SELECT max(version) AS v FROM schema_migrations").get()?.v), SCHEMA_VERSION);
    assert.equal(Number(check.prepare("SELECT used_bytes AS u FROM accounts").get()?.u), usedBytes);
    check.exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (${SCHEMA_VERSION + 1}, 'future', 0)`);
    check.close();
    assert.throws(() => openSqliteStore(file), /newer than this server's/);
    const again = new DatabaseSync(file);
    again.exec(`DELETE FROM schema_migrations WHERE version > ${SCHEMA_VERSION}`);
    again.close();
    const reopened = openSqliteStore(file); // migrating twice changes nothing
    await assertKept(reopened);
    await reopened.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("PostgreSQL: a version-1 database is upgraded with nothing lost (quota bytes filled in); a newer one is refused", async (t) => {
  const cluster = await startPostgres();
  t.after(() => cluster.stop());
  const raw = new pg.Client({ connectionString: cluster.url });
  await raw.connect();
  try {
    await raw.query(V1.postgres);
    for (const [sql, args] of V1_ROWS((n) => `$${n}`))
      await raw.query(
        sql,
        args.map((a) => (a instanceof Uint8Array ? Buffer.from(a) : a)),
      );
    const upgraded = await openPostgresStore(cluster.url);
    await assertKept(upgraded);
    await upgraded.close();
    assert.equal(Number((await raw.query("SELECT max(version) AS v FROM schema_migrations")).rows[0].v), SCHEMA_VERSION);
    assert.equal(Number((await raw.query("SELECT used_bytes AS u FROM accounts")).rows[0].u), usedBytes);
    await raw.query(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (${SCHEMA_VERSION + 1}, 'future', 0)`);
    await assert.rejects(openPostgresStore(cluster.url), /newer than this server's/);
  } finally {
    await raw.end();
  }
});
