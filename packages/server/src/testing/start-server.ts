// Test harness: runs the real server (`node packages/server/src/main.ts`) as a child process, with the Node flags
// every shipped launcher uses (node-flags.ts) unless `nodeFlags` says otherwise (a bench's baseline).
//
//   const srv = await startServer();                 // fresh temp DATA_DIR, free port, SQLite, outbox mail
//   const srv = await startServer({ databaseUrl, env: { SMTP_URL: smtp.url } });
//   srv.url        https://localhost:PORT           srv.caPem   the self-signed certificate (trust it as CA)
//   srv.dataDir    srv.outboxDir (.eml files)        srv.logs()  captured stdout + stderr so far
//   await srv.stop()     SIGTERM and wait            await srv.kill()     SIGKILL and wait
//   await srv.restart()  same port, same data, same env
//
// Behind a proxy: env { TLS: "off", HOST: "127.0.0.1" } or { LISTEN: "unix:/path" } start plain HTTP; then
// url is http://HOST:PORT or unix:/path, caPem is empty, and the health check goes over plain HTTP.
// Defaults: LOG_LEVEL=info, RATE_LIMIT_SCALE=1000 (tests sign in many times from one IP; pass
// env: { RATE_LIMIT_SCALE: "1" } to test the limits). A temp DATA_DIR made here is removed by stop();
// kill() keeps it, so restart() after kill() finds the same data (crash tests); call stop() at the end.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { get as httpGet } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SERVER_NODE_FLAGS } from "../node-flags.ts";
import { freePort } from "./free-port.ts";
import { request } from "./https-client.ts";

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  readonly outboxDir: string;
  readonly caPem: string;
  /** the child's process id (changes on restart) */
  readonly pid: number;
  logs(): string;
  stop(): Promise<void>;
  kill(): Promise<void>;
  restart(): Promise<void>;
}

export interface StartOptions {
  dataDir?: string;
  env?: Record<string, string>;
  databaseUrl?: string;
  /** how long to wait for /healthz, ms (default 30 s) */
  timeoutMs?: number;
  /** Node flags before main.ts (default: the shipped ones, SERVER_NODE_FLAGS) */
  nodeFlags?: readonly string[];
}

const MAIN = new URL("../main.ts", import.meta.url).pathname;

export async function startServer(opts: StartOptions = {}): Promise<RunningServer> {
  const ownDir = opts.dataDir === undefined;
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), "cryptex-server-"));
  let port = await freePort();
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: process.env.HOME ?? tmpdir(),
    PORT: String(port),
    DATA_DIR: dataDir,
    LOG_LEVEL: "info",
    RATE_LIMIT_SCALE: "1000",
    ...(opts.databaseUrl ? { DATABASE_URL: opts.databaseUrl } : {}),
    ...opts.env,
  };
  const plain: PlainTarget | undefined = env.LISTEN?.startsWith("unix:")
    ? { socketPath: env.LISTEN.slice(5) }
    : env.TLS === "off"
      ? { host: env.HOST ?? "127.0.0.1", port }
      : undefined;
  let log = "";
  let child: ChildProcess;
  let exited: Promise<number | null>;

  async function launch(): Promise<void> {
    child = spawn(process.execPath, [...(opts.nodeFlags ?? SERVER_NODE_FLAGS), MAIN], { env, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout!.on("data", (c: Buffer) => {
      log += c.toString("utf8");
    });
    child.stderr!.on("data", (c: Buffer) => {
      log += c.toString("utf8");
    });
    exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
    const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
    let gone = false;
    void exited.then(() => {
      gone = true;
    });
    for (;;) {
      if (gone) throw new Error(`the server exited during start-up:\n${log}`);
      try {
        if (plain) {
          if ((await plainHealth(plain)) === 200) return;
        } else {
          const ca = readFileSync(join(dataDir, "tls", "cert.pem"), "utf8");
          const r = await request("GET", `https://localhost:${port}/healthz`, { ca, timeoutMs: 2000 });
          if (r.status === 200) return;
        }
      } catch {
        // not up yet
      }
      if (Date.now() > deadline) {
        child.kill("SIGKILL");
        throw new Error(`the server did not answer /healthz within the time limit:\n${log}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  // A port taken between the pick and the server's listen() (another test's pick) is picked again.
  for (let attempt = 1; ; attempt++) {
    try {
      await launch();
      break;
    } catch (e) {
      const taken = /port \d+ is in use/.test(String(e)) && opts.env?.PORT === undefined;
      if (!taken || attempt >= 5) throw e;
      port = await freePort();
      env.PORT = String(port);
      if (plain?.port !== undefined) plain.port = port;
      log = "";
    }
  }
  const caPem = plain ? "" : readFileSync(env.TLS_CERT ?? join(dataDir, "tls", "cert.pem"), "utf8");
  const end = async (signal: NodeJS.Signals, cleanup: boolean) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
    if (cleanup && ownDir) rmSync(dataDir, { recursive: true, force: true });
  };
  return {
    url: plain ? (plain.socketPath ? `unix:${plain.socketPath}` : `http://${plain.host}:${port}`) : `https://localhost:${port}`,
    port,
    dataDir,
    outboxDir: join(dataDir, "outbox"),
    caPem,
    get pid() {
      return child.pid ?? -1;
    },
    logs: () => log,
    stop: () => end("SIGTERM", true),
    kill: () => end("SIGKILL", false),
    async restart() {
      await end("SIGTERM", false);
      await launch();
    },
  };
}

type PlainTarget = { socketPath: string; host?: undefined; port?: undefined } | { socketPath?: undefined; host: string; port: number };

function plainHealth(target: PlainTarget): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpGet({ ...target, path: "/healthz", timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
  });
}
