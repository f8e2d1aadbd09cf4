// The store contract over the PostgreSQL implementation, on a throw-away cluster.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, test } from "node:test";
import pg from "pg";
import { type RunningPostgres, startPostgres } from "../testing/postgres.ts";
import { openPostgresStore } from "./postgres.ts";
import { sampleAccount, sampleSession, storeContract } from "./store-contract.ts";

let cluster: RunningPostgres | undefined;
after(() => cluster?.stop());
storeContract("postgres", async () => {
  cluster = await startPostgres();
  return openPostgresStore(cluster.url);
});

test("a database made before the kit column gains it on open, and keeps its accounts", async () => {
  const a = sampleAccount();
  const first = await openPostgresStore(cluster!.url);
  await first.createAccount(a, sampleSession(a.id), randomBytes(32));
  await first.close();
  const admin = new pg.Pool({ connectionString: cluster!.url });
  await admin.query("ALTER TABLE accounts DROP COLUMN kit");
  await admin.end();
  const store = await openPostgresStore(cluster!.url);
  assert.deepEqual(await store.getAccount(a.id), a);
  const u = { authPublicKey: a.authPublicKey, wrappedEak: "bmV3", eakGeneration: 1, emailEnabled: true, kit: "k".repeat(22) };
  assert.equal((await store.changePassword(a.id, u)) && (await store.getAccount(a.id))?.kit, "k".repeat(22));
  await store.close();
});
