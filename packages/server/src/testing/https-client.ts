// Test helper: one HTTPS request that trusts the test server's self-signed certificate (Node's global fetch
// has no per-call CA option).
//
//   const r = await request("POST", `${srv.url}/api/v1/items`, { ca: srv.caPem, token, body: { items } });
//   r.status, r.headers, r.json (parsed when the answer is JSON), r.text, r.bytes (wire bytes of the body)
//
// `rawBody` sends a string as is (malformed JSON tests); `headers` adds or overrides headers; `localAddress`
// binds the client socket to another loopback address (127.0.0.2 …) to act as a second client.
import { request as httpsRequest } from "node:https";

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read answers freely
  readonly json: any;
  readonly bytes: number;
}

export interface RequestOptions {
  readonly ca?: string;
  readonly token?: string;
  readonly body?: unknown;
  readonly rawBody?: string | Uint8Array;
  readonly headers?: Record<string, string>;
  readonly timeoutMs?: number;
  /** the client's own address, e.g. 127.0.0.2 to look like another client on loopback */
  readonly localAddress?: string;
}

export function request(method: string, url: string, opts: RequestOptions = {}): Promise<HttpAnswer> {
  const body = opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
  const headers: Record<string, string> = {};
  if (opts.body !== undefined) headers["content-type"] = "application/json";
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (body !== undefined) headers["content-length"] = String(Buffer.byteLength(body));
  Object.assign(headers, opts.headers);
  const options = { method, headers, ca: opts.ca, timeout: opts.timeoutMs ?? 60_000, localAddress: opts.localAddress };
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", reject);
      res.on("end", () => {
        const buf = Buffer.concat(chunks);
        const text = buf.toString("utf8");
        let json: unknown;
        if (String(res.headers["content-type"] ?? "").startsWith("application/json")) {
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json, bytes: buf.length });
      });
    });
    req.on("timeout", () => req.destroy(new Error(`timeout: ${method} ${url}`)));
    req.on("error", reject);
    req.end(body);
  });
}
