// Test harness: Debian's nginx running deploy/nginx/cryptex.conf in front of server processes, on 127.0.0.1.
//
//   const front = await startNginx(["127.0.0.1:8081", "unix:/tmp/x/cryptex.sock"]);
//   front.url   https://localhost:PORT      front.caPem   its self-signed certificate
//   await front.stop()
//
// Only ports, paths and the server name of the shipped file are changed, each by an exact line swap, so a
// config that drifted from what the tests expect fails loudly instead of testing something else.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadOrCreateCertificate } from "../tls/certificate.ts";
import { freePort } from "./free-port.ts";
import { request } from "./https-client.ts";

export const NGINX = "/usr/sbin/nginx";
const SITE = new URL("../../../../deploy/nginx/cryptex.conf", import.meta.url);

export interface RunningNginx {
  readonly url: string;
  readonly port: number;
  readonly caPem: string;
  readonly pid: number;
  stop(): Promise<void>;
}

function swap(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`deploy/nginx/cryptex.conf no longer contains: ${from}`);
  return text.replace(from, to);
}

/** `upstreams` are nginx `server` targets: "127.0.0.1:PORT" or "unix:/path". `port` defaults to a free one. */
/** `connections`: client streams to plan for (each also holds an upstream connection); spread over `workers`. */
export async function startNginx(
  upstreams: readonly string[],
  opts: { port?: number; connections?: number; workers?: number } = {},
): Promise<RunningNginx> {
  const dir = mkdtempSync(join(tmpdir(), "cryptex-nginx-"));
  const port = opts.port ?? (await freePort());
  const cert = loadOrCreateCertificate(join(dir, "tls", "cert.pem"), join(dir, "tls", "key.pem"), true);
  let site = readFileSync(SITE, "utf8");
  site = swap(site, "server unix:/run/cryptex/cryptex.sock;", upstreams.map((u) => `server ${u};`).join("\n    "));
  const workers = opts.workers ?? 1;
  // reuseport: the kernel spreads connections over the workers, so each stays under the per-process file limit
  site = swap(site, "listen 443 ssl;", `listen 127.0.0.1:${port} ssl${workers > 1 ? " reuseport" : ""};`);
  site = swap(site, "listen [::]:443 ssl;", "");
  site = swap(site, "server_name vault.example.org;", "server_name localhost;");
  site = swap(site, "/etc/letsencrypt/live/vault.example.org/fullchain.pem", join(dir, "tls", "cert.pem"));
  site = swap(site, "/etc/letsencrypt/live/vault.example.org/privkey.pem", join(dir, "tls", "key.pem"));
  writeFileSync(join(dir, "cryptex.conf"), site);
  mkdirSync(join(dir, "tmp"));
  // each stream holds a client and an upstream connection; reuseport spreads clients unevenly, so each worker
  // may take them all, within the per-process file limit of this machine (20,000 here)
  const perWorker = Math.min((opts.connections ?? 1024) * 2 + 100, 19_000);
  writeFileSync(
    join(dir, "nginx.conf"),
    `${process.getuid?.() === 0 ? "user root;\n" : ""}daemon off;
worker_processes ${workers};
worker_rlimit_nofile ${perWorker + 500};
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections ${perWorker}; }
http {
  access_log off;
  client_body_temp_path ${dir}/tmp/body; proxy_temp_path ${dir}/tmp/proxy; fastcgi_temp_path ${dir}/tmp/fastcgi;
  uwsgi_temp_path ${dir}/tmp/uwsgi; scgi_temp_path ${dir}/tmp/scgi;
  include ${dir}/cryptex.conf;
}
`,
  );
  const child: ChildProcess = spawn(NGINX, ["-p", dir, "-c", join(dir, "nginx.conf"), "-e", join(dir, "error.log")], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let out = "";
  child.stderr?.on("data", (c: Buffer) => {
    out += c.toString();
  });
  const url = `https://localhost:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await gone;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; ; i++) {
    try {
      if ((await request("GET", `${url}/healthz`, { ca: cert.cert, timeoutMs: 2000 })).status === 200) break;
    } catch {
      // not up yet
    }
    if (i > 200 || child.exitCode !== null) {
      const log = (() => {
        try {
          return readFileSync(join(dir, "error.log"), "utf8");
        } catch {
          return "";
        }
      })();
      await stop();
      throw new Error(`nginx did not start: ${out}${log}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url, port, caPem: cert.cert, pid: child.pid!, stop };
}
