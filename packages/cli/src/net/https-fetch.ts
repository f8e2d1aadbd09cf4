// A WHATWG-style fetch on node:https, so a server's self-signed certificate can be trusted per client
// (--ca FILE) — Node's global fetch takes no per-request CA. TLS 1.2 is the floor (docs/server.md).

import type { IncomingMessage } from "node:http";
import { Agent, request } from "node:https";
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
          const body = status === 204 || status === 304 ? null : webStream(res);
          resolve(new Response(body, { status, headers }));
        },
      );
      req.on("error", reject);
      const body = init.body;
      req.end(typeof body === "string" || body instanceof Uint8Array ? body : undefined);
    });
}

/**
 * The answer body as a web stream with backpressure. Not Readable.toWeb: when a reader cancels while data is
 * still arriving (a client refusing an oversized answer), it throws "Controller is already closed" outside any
 * caller's reach and the process dies with a stack trace.
 */
function webStream(res: IncomingMessage): ReadableStream<Uint8Array> {
  let closed = false;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        res.on("data", (chunk: Buffer) => {
          if (closed) return;
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if ((controller.desiredSize ?? 0) <= 0) res.pause();
        });
        res.once("end", () => {
          if (!closed) controller.close();
          closed = true;
        });
        res.once("error", (e) => {
          if (!closed) controller.error(e);
          closed = true;
        });
      },
      pull() {
        res.resume();
      },
      cancel() {
        closed = true;
        res.destroy();
      },
    },
    { highWaterMark: 4, size: () => 1 },
  );
}
