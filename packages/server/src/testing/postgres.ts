// Test harness: a throw-away PostgreSQL cluster for tests and benchmarks (no mocks: the real server binary).
//
//   const pg = await startPostgres();   // initdb + pg_ctl in a temp dir, on a free port, as the `postgres` user
//   pg.url                             // postgres://postgres@127.0.0.1:PORT/postgres
//   await pg.dump()                    // pg_dump text of the whole database, for leak scanning
//   await pg.stop()                    // stops the cluster and removes the temp dir
//
// Uses PostgreSQL 15 from /usr/lib/postgresql/15/bin (or initdb on PATH). PostgreSQL refuses to run as root,
// so when running as root every command goes through `runuser -u postgres`. fsync is off: throw-away data.
import { execFile } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort } from "./free-port.ts";

const run = promisify(execFile);
const maxBuffer = 1024 * 1024 * 1024;

export interface RunningPostgres {
  readonly url: string;
  stop(): Promise<void>;
  dump(): Promise<string>;
}

function binDir(): string {
  for (const v of ["17", "16", "15", "14"]) {
    const d = `/usr/lib/postgresql/${v}/bin`;
    if (existsSync(join(d, "initdb"))) return d;
  }
  return ""; // rely on PATH
}

export async function startPostgres(): Promise<RunningPostgres> {
  const bin = binDir();
  const tool = (name: string) => (bin ? join(bin, name) : name);
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), "cryptex-pg-"));
  let uid = -1;
  if (asRoot) {
    const { stdout } = await run("id", ["-u", "postgres"]);
    uid = Number(stdout.trim());
    const { stdout: gid } = await run("id", ["-g", "postgres"]);
    chownSync(dir, uid, Number(gid.trim()));
  }
  const exec = (cmd: string, args: string[]) =>
    asRoot ? run("runuser", ["-u", "postgres", "--", cmd, ...args], { cwd: dir, maxBuffer }) : run(cmd, args, { cwd: dir, maxBuffer });
  const data = join(dir, "data");
  await exec(tool("initdb"), ["-D", data, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8", "--locale=C"]);
  const port = await freePort();
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  await exec(tool("pg_ctl"), ["-D", data, "-o", opts, "-l", join(dir, "log"), "-w", "-t", "60", "start"]);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let stopped = false;
  return {
    url,
    async stop() {
      if (stopped) return;
      stopped = true;
      await exec(tool("pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"]).catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
    async dump() {
      const { stdout } = await exec(tool("pg_dump"), ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "postgres"]);
      return stdout;
    },
  };
}
