// A local stand-in for api.pwnedpasswords.com on 127.0.0.1 (HTTPS, self-signed), implementing the documented
// range protocol: GET /range/{5 hex} → "SUFFIX:COUNT" lines (CRLF), and with `Add-Padding: true` random
// suffixes of count 0 up to 800–1,000 lines; CORS open as the real API. Records every request it received.
import { createHash, randomBytes, randomInt } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadOrCreateCertificate } from "../../packages/server/src/tls/certificate.ts";

export interface RangeServer {
  readonly url: string;
  readonly caPem: string;
  /** request path and Add-Padding header of every request */
  readonly requests: { path: string; padding: string | undefined; method: string }[];
  close(): Promise<void>;
}

const hash = (pw: string) => createHash("sha1").update(pw, "utf8").digest("hex").toUpperCase();

export async function startRangeServer(breached: Record<string, number>): Promise<RangeServer> {
  const dir = mkdtempSync(join(tmpdir(), "cx-range-"));
  const cert = loadOrCreateCertificate(join(dir, "cert.pem"), join(dir, "key.pem"), true);
  const byPrefix = new Map<string, string[]>();
  for (const [pw, count] of Object.entries(breached)) {
    const h = hash(pw);
    byPrefix.set(h.slice(0, 5), [...(byPrefix.get(h.slice(0, 5)) ?? []), `${h.slice(5)}:${count}`]);
  }
  const requests: RangeServer["requests"] = [];
  const server = createServer({ cert: cert.cert, key: cert.key }, (req, res) => {
    const padding = req.headers["add-padding"] as string | undefined;
    requests.push({ path: req.url ?? "", padding, method: req.method ?? "" });
    res.setHeader("access-control-allow-origin", "*");
    if (req.method === "OPTIONS") {
      res.writeHead(204, { "access-control-allow-headers": "add-padding, accept", "access-control-allow-methods": "GET" });
      return res.end();
    }
    const m = /^\/range\/([0-9a-fA-F]{5})$/.exec(req.url ?? "");
    if (req.method !== "GET" || !m) {
      res.writeHead(400, { "content-type": "text/plain" });
      return res.end("The hash prefix was not in a valid format");
    }
    const lines = [...(byPrefix.get(m[1]!.toUpperCase()) ?? [])];
    if (padding === "true") {
      const target = randomInt(800, 1001);
      while (lines.length < target) lines.push(`${randomBytes(18).toString("hex").toUpperCase().slice(0, 35)}:0`);
      for (let i = lines.length - 1; i > 0; i--) {
        const j = randomInt(i + 1);
        [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      }
    }
    res.writeHead(200, { "content-type": "text/plain" });
    res.end(lines.join("\r\n"));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `https://127.0.0.1:${port}`,
    caPem: cert.cert,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => {
          rmSync(dir, { recursive: true, force: true });
          r();
        });
      }),
  };
}
