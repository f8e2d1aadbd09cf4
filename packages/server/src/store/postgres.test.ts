// The store contract over the PostgreSQL implementation, on a throw-away cluster; and the upgrade of an
// older database.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import pg from "pg";
import { type RunningPostgres, startPostgres } from "../testing/postgres.ts";
import { openPostgresStore } from "./postgres.ts";
import { storeContract } from "./store-contract.ts";

let cluster: RunningPostgres | undefined;
after(() => cluster?.stop());
storeContract("postgres", async () => {
  cluster = await startPostgres();
  return openPostgresStore(cluster.url);
});

test("postgres: a database from before the storage quota gets each account's byte count at open", async () => {
  assert.ok(cluster, "the contract's cluster is running");
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  await admin.query("CREATE DATABASE before_quota");
  await admin.end();
  const url = cluster.url.replace(/\/postgres$/, "/before_quota");
  const old = new pg.Client({ connectionString: url });
  await old.connect();
  await old.query(`
    CREATE TABLE accounts (
      seq bigserial PRIMARY KEY, id uuid NOT NULL UNIQUE, email text NOT NULL, email_lc text NOT NULL UNIQUE,
      auth_public_key text NOT NULL, verifier text NOT NULL, wrapped_eak text NOT NULL, eak_generation integer NOT NULL,
      reset_epoch integer NOT NULL, revision bigint NOT NULL, email_enabled boolean NOT NULL, created_at bigint NOT NULL);
    CREATE TABLE items (seq bigserial PRIMARY KEY, account_seq bigint NOT NULL, id uuid NOT NULL, revision bigint NOT NULL,
      deleted boolean NOT NULL, data bytea);
    CREATE TABLE manifests (seq bigserial PRIMARY KEY, account_seq bigint NOT NULL, device_id uuid NOT NULL, data bytea NOT NULL,
      updated_at bigint NOT NULL);
    INSERT INTO accounts VALUES (1, '00000000-0000-4000-8000-000000000001', 'a@x.org', 'a@x.org', 'k', 'v', 'w', 0, 0, 2, true, 0);
    INSERT INTO items (account_seq, id, revision, deleted, data) VALUES
      (1, '00000000-0000-4000-8000-00000000000a', 1, false, decode(repeat('00', 1000), 'hex')),
      (1, '00000000-0000-4000-8000-00000000000b', 2, true, NULL);
    INSERT INTO manifests (account_seq, device_id, data, updated_at) VALUES
      (1, '00000000-0000-4000-8000-0000000000d1', decode(repeat('00', 100), 'hex'), 0);`);
  await old.end();
  const store = await openPostgresStore(url);
  try {
    assert.equal(await store.storageUsed("00000000-0000-4000-8000-000000000001"), 1100);
  } finally {
    await store.close();
  }
});
