// The folder target through a real sync client: two Syncthing instances on loopback replicate one
// folder between two devices' folders — two log replicas, then two real CLI homes. Concurrent offline edits of one item converge on both devices,
// with the other value kept as a conflict copy, and nothing is lost or quarantined.
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { openSqliteStore } from "@cryptex/cli/src/store/sqlite-store.ts";
import { FolderStore } from "@cryptex/cli/src/sync-targets/folder-store.ts";
import { makeOfflineVault } from "@cryptex/cli/src/testing/offline-vault.ts";
import { runCli } from "@cryptex/cli/src/testing/run-cli.ts";
import { freshAccountKeys } from "@cryptex/core/formats/test-keys.ts";
import { newUuid } from "@cryptex/core/ids.ts";
import { LogReplica } from "@cryptex/core/sync/log/log-replica.ts";
import { createItem, editItem } from "@cryptex/core/vault/item.ts";
import { options, rescan, type SyncthingNode, startSyncthingPair, waitFor } from "./support/syncthing.ts";

let root: string;
let pair: { a: SyncthingNode; b: SyncthingNode; stop(): Promise<void> };

before(async () => {
  root = await mkdtemp(join(tmpdir(), "cryptex-syncthing-"));
  pair = await startSyncthingPair(root);
});
after(async () => {
  await pair?.stop();
  await rm(root, { recursive: true, force: true });
});

test("syncthing runs with discovery, relays, NAT traversal, reporting and upgrades off", async () => {
  for (const n of [pair.a, pair.b]) {
    const o = await options(n);
    assert.equal((o.listenAddresses as string[]).length, 1);
    assert.match((o.listenAddresses as string[])[0]!, /^tcp:\/\/127\.0\.0\.1:\d+$/);
    assert.deepEqual(
      [
        o.globalAnnounceEnabled,
        o.localAnnounceEnabled,
        o.relaysEnabled,
        o.natEnabled,
        o.urAccepted,
        o.crashReportingEnabled,
        o.autoUpgradeIntervalH,
        o.stunKeepaliveStartS,
      ],
      [false, false, false, false, -1, false, 0, 0],
    );
  }
});

test("two devices behind real Syncthing replicas: concurrent edits converge with a conflict copy, nothing lost", async () => {
  const keys = await freshAccountKeys();
  const a = new LogReplica(keys, newUuid());
  const b = new LogReplica(keys, newUuid());
  const storeA = new FolderStore(pair.a.folder);
  const storeB = new FolderStore(pair.b.folder);
  const notes = (r: LogReplica) => [...r.items().values()].map((i) => i.notes).sort();

  const item = createItem({ type: "secure-note", title: "shared", notes: "v1" });
  await a.save(item);
  await a.sync(storeA);
  await rescan(pair.a);
  const received = async () => {
    await b.sync(storeB);
    return b.items().has(item.id);
  };
  await waitFor(received, 60_000, "device b to receive the item");

  // both edit before either's file reaches the other: a concurrent offline edit
  await a.save(editItem(item, { notes: "edited on a" }));
  await b.save(editItem(item, { notes: "edited on b" }));
  await a.sync(storeA);
  await b.sync(storeB);
  await Promise.all([rescan(pair.a), rescan(pair.b)]);
  const reports: Awaited<ReturnType<LogReplica["sync"]>>[] = [];
  await waitFor(
    async () => {
      reports.push(await a.sync(storeA), await b.sync(storeB));
      return notes(a).length === 2 && notes(b).length === 2;
    },
    60_000,
    "both devices to see both edits",
  );
  assert.deepEqual(notes(a), ["edited on a", "edited on b"]);
  assert.deepEqual([...a.items()].sort(), [...b.items()].sort(), "both devices show the same vault");
  const copy = [...a.items().values()].find((i) => i.conflictOf === item.id);
  assert.ok(copy, "the other value is a conflict copy");
  assert.deepEqual(
    reports.flatMap((r) => r.quarantined),
    [],
  );
  assert.deepEqual(
    reports.flatMap((r) => r.rollbacks),
    [],
  );
});

test("two CLI homes, each on its own Syncthing replica: concurrent offline edits converge with a conflict copy", async () => {
  const PW = "syncthing cli password 42 tangerine";
  const A = join(root, "home-a");
  const B = join(root, "home-b");
  await makeOfflineVault(A, PW, 0);
  mkdirSync(B, { mode: 0o700 });
  copyFileSync(join(A, "vault.sqlite"), join(B, "vault.sqlite"));
  const s = openSqliteStore(join(B, "vault.sqlite"));
  await s.write({ meta: { deviceId: newUuid() } });
  await s.close();
  const cli = async (home: string, args: string[]) => {
    const r = await runCli([...args, "--password-stdin"], { home, stdin: `${PW}\n` });
    assert.equal(r.code, 0, r.stderr);
    return r;
  };
  const items = async (home: string) =>
    (JSON.parse((await cli(home, ["list", "--json"])).stdout) as { id: string; title: string }[]).map((i) => i.title).sort();
  const notes = async (home: string, title: string) =>
    JSON.parse((await cli(home, ["get", title, "--json", "--reveal"])).stdout).notes as string;
  await cli(A, ["sync", "method", "folder", pair.a.folder]);
  await cli(B, ["sync", "method", "folder", pair.b.folder]);
  await cli(A, ["add", "login", "--title", "Router", "--notes", "v1"]);
  await cli(A, ["sync"]);
  await rescan(pair.a);
  const arrived = async () => {
    await cli(B, ["sync"]);
    return (await items(B)).includes("Router");
  };
  await waitFor(arrived, 60_000, "home b to receive the item");
  // both offline from each other: each edits the same item and publishes into its own replica
  await cli(A, ["edit", "Router", "--notes", "changed on laptop"]);
  await cli(B, ["edit", "Router", "--notes", "changed on desktop"]);
  await cli(A, ["sync"]);
  await cli(B, ["sync"]);
  await Promise.all([rescan(pair.a), rescan(pair.b)]);
  const both = async () => {
    await cli(A, ["sync"]);
    await cli(B, ["sync"]);
    return (await items(A)).length === 2 && (await items(B)).length === 2;
  };
  await waitFor(both, 60_000, "both homes to hold both edits");
  assert.deepEqual(await items(A), await items(B));
  assert.deepEqual(await items(A), ["Router", "Router (conflict copy)"]);
  const values = [await notes(A, "Router"), await notes(A, "Router (conflict copy)")].sort();
  assert.deepEqual(values, ["changed on desktop", "changed on laptop"], "no edit is lost");
  assert.equal(await notes(B, "Router"), await notes(A, "Router"), "both homes chose the same winner");
});
