// DATA_DIR permissions on the real server: a pre-made world-readable directory, and loose files left in an
// existing one, end up private (folders 0700, files 0600, the SQLite -wal and -shm included).
import assert from "node:assert/strict";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { signUp } from "./testing/accounts.ts";
import { type RunningServer, startServer } from "./testing/start-server.ts";

const made: string[] = [];
after(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

function looseDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "cryptex-loose-"));
  made.push(dir);
  chmodSync(dir, 0o755);
  return dir;
}

const mode = (p: string) => statSync(p).mode & 0o777;

function assertPrivate(dir: string): void {
  const walk = (p: string) => {
    const st = statSync(p);
    assert.equal(st.mode & 0o077, 0, `${p} has mode ${(st.mode & 0o777).toString(8)}`);
    if (st.isDirectory()) for (const n of readdirSync(p)) walk(join(p, n));
  };
  walk(dir);
}

test("a pre-made world-readable DATA_DIR is made private, and so are the database, its WAL and the TLS key", async () => {
  const dir = looseDir();
  let srv: RunningServer | undefined;
  try {
    srv = await startServer({ dataDir: dir });
    await signUp(srv); // a write, so the WAL and shared-memory files exist while the server runs
    assert.ok(existsSync(join(dir, "cryptex.db-wal")) && existsSync(join(dir, "cryptex.db-shm")));
    assert.equal(mode(dir), 0o700);
    for (const f of ["cryptex.db", "cryptex.db-wal", "cryptex.db-shm", "tls/key.pem"]) assert.equal(mode(join(dir, f)), 0o600, f);
    assertPrivate(dir);
  } finally {
    await srv?.stop();
  }
});

test("loose modes in an existing DATA_DIR are repaired at start-up and the repair is logged", async () => {
  const dir = looseDir();
  let srv: RunningServer | undefined;
  try {
    srv = await startServer({ dataDir: dir });
    await signUp(srv);
    await srv.stop();
    srv = undefined;
    // another admin's tools left everything world-readable, and an old mail in the outbox
    mkdirSync(join(dir, "outbox"), { recursive: true });
    writeFileSync(join(dir, "outbox", "old.eml"), "x");
    const loosen = (p: string) => {
      const st = statSync(p);
      chmodSync(p, st.isDirectory() ? 0o755 : 0o644);
      if (st.isDirectory()) for (const n of readdirSync(p)) loosen(join(p, n));
    };
    loosen(dir);
    assert.equal(mode(join(dir, "cryptex.db")), 0o644);
    srv = await startServer({ dataDir: dir });
    await signUp(srv);
    assertPrivate(dir);
    assert.equal(mode(join(dir, "cryptex.db-wal")), 0o600);
    assert.match(srv.logs(), /repaired loose permissions in DATA_DIR/);
    assert.match(srv.logs(), /cryptex\.db/);
  } finally {
    await srv?.stop();
  }
});
