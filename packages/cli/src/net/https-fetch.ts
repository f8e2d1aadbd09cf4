// A WHATWG-style fetch on node:https, so a server's self-signed certificate can be trusted per client
// (--ca FILE) — Node's global fetch takes no per-request CA. TLS 1.2 is the floor (docs/server.md).
import { Agent, request } from "node:https";
import { Readable } from "node:stream";
import { rootCertificates } from "node:tls";
import type { FetchLike } from "@cryptex/core/client/api-client.ts";

export function createHttpsFetch(caPem: string | undefined): FetchLike {
  const ca = caPem ? [...rootCertificates, caPem] : undefined;
  // No keep-alive: an idle pooled socket would hold a finished command open for seconds.
  const agent = new Agent({ keepAlive: false });
  return (url, init) =>
    new Promise<Response>((resolve, reject) => {
      const req = request(
        url,
        {
          method: init.method ?? "GET",
          agent,
          headers: init.headers as Record<string, string>,
          ...(ca ? { ca } : {}),
          minVersion: "TLSv1.2",
          ...(init.signal ? { signal: init.signal } : {}),
        },
        (res) => {
          const headers = new Headers();
          for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) headers.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
          const status = res.statusCode ?? 500;
          const body = status === 204 || status === 304 ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>);
          resolve(new Response(body, { status, headers }));
        },
      );
      req.on("error", reject);
      req.end(typeof init.body === "string" ? init.body : undefined);
    });
}
