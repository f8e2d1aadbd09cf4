// A malicious server for tests: an HTTPS reverse proxy in front of the real server that records every
// request and answer body, and lets a test rewrite, drop, replay or invent any answer per route.
//
//   const proxy = await startHostileProxy(srv, port);   // serves https://localhost:PORT with the server's certificate
//   proxy.onAnswer((x) => x.path.startsWith("/api/v1/items") ? { json: {...} } : undefined);
//   proxy.captured                                       // every exchange, for the leak scanner
//
// The server must be started with PUBLIC_URL = proxy origin, so the origin the client signs matches.
import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer, request, type Server } from "node:https";
import { join } from "node:path";

export interface Exchange {
  readonly method: string;
  /** path and query, e.g. /api/v1/items?since=0&limit=1000 */
  readonly path: string;
  readonly requestBody: Buffer;
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  /** the answer body parsed as JSON, when it is JSON */
  readonly json: unknown;
}

export interface Rewrite {
  status?: number;
  /** replaces the answer body with this JSON */
  json?: unknown;
  /** replaces the answer body with these raw bytes / text */
  raw?: string | Buffer;
  contentType?: string;
  /** destroys the connection instead of answering */
  drop?: boolean;
  delayMs?: number;
}

/** Sees the real server's answer (already recorded) and may return a replacement. */
export type AnswerHook = (x: Exchange) => Rewrite | undefined | Promise<Rewrite | undefined>;
/** Sees a request before it is forwarded; may answer it without asking the server. */
export type RequestHook = (x: { method: string; path: string; body: Buffer }) => Rewrite | undefined | Promise<Rewrite | undefined>;

export interface HostileProxy {
  readonly url: string;
  readonly captured: Exchange[];
  onAnswer(hook: AnswerHook | undefined): void;
  onRequest(hook: RequestHook | undefined): void;
  /** the last recorded exchange matching method and path prefix */
  last(method: string, pathPrefix: string): Exchange | undefined;
  stop(): Promise<void>;
}

const MAX_BODY = 64 * 1024 * 1024;

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    stream.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) stream.destroy(new Error("body too large for the test proxy"));
      else parts.push(c);
    });
    stream.on("end", () => resolve(Buffer.concat(parts)));
    stream.on("error", reject);
  });
}

const tryJson = (b: Buffer): unknown => {
  try {
    return JSON.parse(b.toString("utf8"));
  } catch {
    return undefined;
  }
};

export async function startHostileProxy(target: { url: string; caPem: string; dataDir: string }, port: number): Promise<HostileProxy> {
  const cert = readFileSync(join(target.dataDir, "tls", "cert.pem"));
  const key = readFileSync(join(target.dataDir, "tls", "key.pem"));
  const captured: Exchange[] = [];
  let answerHook: AnswerHook | undefined;
  let requestHook: RequestHook | undefined;

  function send(res: ServerResponse, r: Rewrite, fallback?: { status: number; headers: Record<string, string>; body: Buffer }) {
    if (r.drop) {
      res.socket?.destroy();
      return;
    }
    const body =
      r.json !== undefined
        ? Buffer.from(JSON.stringify(r.json))
        : r.raw !== undefined
          ? Buffer.isBuffer(r.raw)
            ? r.raw
            : Buffer.from(r.raw)
          : (fallback?.body ?? Buffer.alloc(0));
    const headers: Record<string, string> = { ...(fallback?.headers ?? {}) };
    delete headers["content-length"];
    delete headers["transfer-encoding"];
    if (r.json !== undefined || r.raw !== undefined) headers["content-type"] = r.contentType ?? "application/json";
    res.writeHead(r.status ?? fallback?.status ?? 200, { ...headers, "content-length": String(body.length) });
    res.end(body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? "GET";
    const path = req.url ?? "/";
    const requestBody = await readAll(req);
    const early = await requestHook?.({ method, path, body: requestBody });
    if (early) {
      if (early.delayMs) await new Promise((r) => setTimeout(r, early.delayMs));
      captured.push({ method, path, requestBody, status: early.status ?? 200, headers: {}, body: Buffer.alloc(0), json: early.json });
      return send(res, early);
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string" && k !== "host") headers[k] = v;
    const upstream = request(new URL(path, target.url), { method, headers, ca: target.caPem });
    upstream.on("error", () => res.socket?.destroy());
    upstream.on("response", async (up) => {
      const upHeaders: Record<string, string> = {};
      for (const [k, v] of Object.entries(up.headers)) if (typeof v === "string") upHeaders[k] = v;
      if ((up.headers["content-type"] ?? "").startsWith("text/event-stream") && !answerHook) {
        // live channel: stream through, still recording what passed
        res.writeHead(up.statusCode ?? 200, upHeaders);
        const parts: Buffer[] = [];
        up.on("data", (c: Buffer) => {
          parts.push(c);
          res.write(c);
        });
        const done = () => {
          captured.push({
            method,
            path,
            requestBody,
            status: up.statusCode ?? 200,
            headers: upHeaders,
            body: Buffer.concat(parts),
            json: undefined,
          });
          res.end();
        };
        up.on("end", done);
        up.on("error", done);
        res.on("close", () => up.destroy());
        return;
      }
      const body = (up.headers["content-type"] ?? "").startsWith("text/event-stream") ? Buffer.alloc(0) : await readAll(up);
      if ((up.headers["content-type"] ?? "").startsWith("text/event-stream")) up.destroy();
      const x: Exchange = { method, path, requestBody, status: up.statusCode ?? 502, headers: upHeaders, body, json: tryJson(body) };
      captured.push(x);
      const r = await answerHook?.(x);
      if (r?.delayMs) await new Promise((r2) => setTimeout(r2, r.delayMs));
      send(res, r ?? {}, { status: x.status, headers: upHeaders, body });
    });
    upstream.end(requestBody);
  }

  const server: Server = createServer({ cert, key, minVersion: "TLSv1.2" }, (req, res) => {
    handle(req, res).catch(() => res.socket?.destroy());
  });
  await new Promise<void>((resolve) => server.listen(port, resolve));
  return {
    url: `https://localhost:${port}`,
    captured,
    onAnswer: (h) => {
      answerHook = h;
    },
    onRequest: (h) => {
      requestHook = h;
    },
    last: (method, prefix) => captured.findLast((x) => x.method === method && x.path.startsWith(prefix)),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
