// kill -9 at random moments of `cryptex add` and `cryptex sync`: nothing a command acknowledged is lost,
// the SQLite file stays consistent, and an interrupted sync resumes and converges.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { after, before, test } from "node:test";
import { unlockWithPassword } from "@cryptex/core/client/account.ts";
import { Vault } from "@cryptex/core/sync/engine.ts";
import { createItem } from "@cryptex/core/vault/item.ts";
import { outboxMailbox } from "@cryptex/server/src/testing/mailbox.ts";
import { startServer } from "@cryptex/server/src/testing/start-server.ts";
import { openSqliteStore } from "../packages/cli/src/store/sqlite-store.ts";
import { makeOfflineVault } from "../packages/cli/src/testing/offline-vault.ts";
import { collect, runCli, runCliWithCode, spawnCli } from "../packages/cli/src/testing/run-cli.ts";

const PW = "tangerine orbit 42 velvet";
let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), "cryptex-e2e-crash-"));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function integrity(home: string): void {
  const db = new DatabaseSync(join(home, "vault.sqlite"));
  assert.equal((db.prepare("PRAGMA integrity_check").get() as { integrity_check: string }).integrity_check, "ok");
  db.close();
}

async function unlock(home: string, env: Record<string, string> = {}): Promise<string> {
  const r = await runCli(["unlock", "--raw", "--password-stdin"], { home, stdin: `${PW}\n`, env });
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

test("kill -9 during add: every acknowledged item survives, the vault stays consistent", async () => {
  const home = join(dir, "add");
  await makeOfflineVault(home, PW, 50);
  const session = await unlock(home);
  const acked: string[] = [];
  let killed = 0;
  for (let i = 0; i < 14; i++) {
    const child = spawnCli(["add", "login", "--title", `crash-${i}`, "--field", `password=pw-${i}`], {
      home,
      env: { CRYPTEX_SESSION: session },
    });
    const done = collect(child);
    // spread the kills over start-up, unlock, encrypt and the commit itself
    await sleep(5 + ((i * 41) % 200));
    if (child.exitCode === null) {
      child.kill("SIGKILL");
      killed++;
    }
    const r = await done;
    if (r.stdout.includes("Saved")) acked.push(`crash-${i}`);
  }
  assert.ok(killed > 0, "some runs were killed mid-way");
  integrity(home);
  const list = await runCli(["list", "--json"], { home, env: { CRYPTEX_SESSION: session } });
  assert.equal(list.code, 0, list.stderr);
  const titles = new Set((JSON.parse(list.stdout) as { title: string }[]).map((e) => e.title));
  for (const t of acked) assert.ok(titles.has(t), `acknowledged "${t}" was lost`);
  assert.equal([...titles].filter((t) => t.startsWith("site-")).length, 50, "earlier items intact");
  // every listed item opens (index and items agree)
  for (const t of [...titles].filter((x) => x.startsWith("crash-"))) {
    const r = await runCli(["get", t, "--field", "password"], { home, env: { CRYPTEX_SESSION: session } });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `pw-${t.slice(6)}`);
  }
});

test("kill -9 during sync: the next sync resumes and converges; nothing is lost or doubled", async () => {
  const srv = await startServer();
  try {
    writeFileSync(join(dir, "ca.pem"), srv.caPem);
    const env = { NODE_EXTRA_CA_CERTS: join(dir, "ca.pem") };
    const A = join(dir, "sync-a");
    const B = join(dir, "sync-b");
    const up = await runCliWithCode(
      [
        "signup",
        "--server",
        srv.url,
        "--email",
        "crash@example.org",
        "--password-stdin",
        "--no-email",
        "--emergency-kit",
        join(dir, "kit.png"),
      ],
      {
        home: A,
        stdin: `${PW}\n`,
        env,
      },
      () => outboxMailbox(srv.outboxDir).code("crash@example.org", "signup"),
    );
    assert.equal(up.code, 0, up.stderr);
    // 1,200 local items written through the engine, as `add` does (more than one push batch)
    const store = openSqliteStore(join(A, "vault.sqlite"));
    const meta = (await store.readMeta())!;
    const { keys } = await unlockWithPassword(meta, PW);
    const vault = await Vault.open(store, keys);
    for (let i = 0; i < 1200; i++)
      await vault.save(createItem({ type: "password", title: `bulk-${i}`, fields: { password: `v-${i}` } }), null);
    await store.close();
    const session = await unlock(A, env);
    const aEnv = { ...env, CRYPTEX_SESSION: session };
    let interrupted = 0;
    for (const delay of [250, 600, 900]) {
      const child = spawnCli(["sync"], { home: A, env: aEnv });
      const done = collect(child);
      await sleep(delay);
      if (child.exitCode === null) {
        child.kill("SIGKILL");
        interrupted++;
      }
      await done;
      integrity(A);
    }
    assert.ok(interrupted > 0, "at least one sync was killed mid-way");
    const fin = await runCli(["sync"], { home: A, env: aEnv });
    assert.equal(fin.code, 0, fin.stderr);
    const status = JSON.parse((await runCli(["status", "--json"], { home: A, env: aEnv })).stdout) as { pendingChanges: number };
    assert.equal(status.pendingChanges, 0);
    const inB = await runCli(
      ["signin", "--server", srv.url, "--email", "crash@example.org", "--qr", join(dir, "kit.png"), "--password-stdin"],
      {
        home: B,
        stdin: `${PW}\n`,
        env,
      },
    );
    assert.equal(inB.code, 0, inB.stderr);
    const list = await runCli(["list", "--json", "--password-stdin"], { home: B, stdin: `${PW}\n`, env });
    const titles = (JSON.parse(list.stdout) as { title: string }[]).map((e) => e.title);
    assert.equal(titles.length, 1200, "every item reached device B exactly once");
    assert.equal(new Set(titles).size, 1200);
  } finally {
    await srv.stop();
  }
});
