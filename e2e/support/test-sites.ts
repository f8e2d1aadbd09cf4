// Test web sites for the extension tests: one loopback port answering both HTTPS (throw-away certificate for
// *.test names) and plain HTTP, serving e2e/extension-pages/*.html under any host name. Chromium maps the
// names to 127.0.0.1 with --host-resolver-rules, so several origins exist without any network.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer as createHttp, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createHttps } from "node:https";
import { createServer as createNet, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const PAGES = new URL("../extension-pages/", import.meta.url).pathname;

export interface TestSites {
  readonly port: number;
  readonly certPem: string;
  /** https://HOST:PORT or http://HOST:PORT */
  url(host: string, path?: string, scheme?: "https" | "http"): string;
  /** form submissions received (the page's own server side), newest last */
  readonly posts: { host: string; body: string }[];
  stop(): Promise<void>;
}

function throwAwayCert(hosts: readonly string[]): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), "cryptex-sites-"));
  try {
    const san = hosts.map((h) => `DNS:${h}`).join(",");
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=cryptex-test-sites",
      ].concat(["-addext", `subjectAltName=${san}`, "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem")]),
      { stdio: "ignore" },
    );
    return { key: readFileSync(join(dir, "key.pem"), "utf8"), cert: readFileSync(join(dir, "cert.pem"), "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function startTestSites(hosts: readonly string[]): Promise<TestSites> {
  const { key, cert } = throwAwayCert(hosts);
  const posts: { host: string; body: string }[] = [];
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://x");
    if (req.method === "POST") {
      let body = "";
      req.on("data", (c: Buffer) => {
        body += c.toString("utf8");
      });
      req.on("end", () => {
        posts.push({ host: req.headers.host ?? "", body });
        res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>Welcome</title><h1>Welcome</h1>");
      });
      return;
    }
    const name = url.pathname.replace(/^\//, "") || "login";
    if (!/^[a-z0-9-]+$/.test(name)) return void res.writeHead(404).end();
    try {
      const html = readFileSync(join(PAGES, `${name}.html`), "utf8").replaceAll("{{PORT}}", String(port));
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html);
    } catch {
      res.writeHead(404).end("not found");
    }
  };
  const https = createHttps({ key, cert }, handler);
  const http = createHttp(handler);
  // one port, two protocols: a TLS ClientHello starts with byte 0x16
  const front = createNet((socket: Socket) => {
    socket.once("readable", () => {
      const first = socket.read(1) as Buffer | null;
      if (!first) return socket.destroy();
      socket.unshift(first);
      (first[0] === 0x16 ? https : http).emit("connection", socket);
    });
  });
  await new Promise<void>((r) => front.listen(0, "127.0.0.1", r));
  const port = (front.address() as { port: number }).port;
  return {
    port,
    certPem: cert,
    posts,
    url: (host, path = "/login", scheme = "https") => `${scheme}://${host}:${port}${path}`,
    async stop() {
      https.closeAllConnections();
      http.closeAllConnections();
      await new Promise<void>((r) => front.close(() => r()));
    },
  };
}
