// shedAfterHead on a real node:http server: after it, the request holds no header (no bearer token), the
// response no header table, and the stream still carries events and ends cleanly, also on a keep-alive socket.
import assert from "node:assert/strict";
import { Agent, createServer, type IncomingMessage, request, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { shedAfterHead } from "./shed.ts";

test("a shed stream keeps no header, still streams, ends, and its socket serves the next request", async () => {
  let held: { req: IncomingMessage; res: ServerResponse } | undefined;
  const server = createServer((req, res) => {
    if (req.url === "/plain") {
      res.end("next");
      return;
    }
    res.setHeader("x-request-id", "abc");
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.write(": connected\n\n");
    shedAfterHead(res);
    held = { req, res };
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const got = await new Promise<{ head: IncomingMessage; body: string }>((resolve, reject) => {
      const req = request(
        { port, host: "127.0.0.1", path: "/events", agent, headers: { authorization: "Bearer secret-token-1234" } },
        (head) => {
          let body = "";
          head.setEncoding("utf8");
          head.on("data", (c: string) => {
            body += c;
            if (body === ": connected\n\n") {
              assert.ok(held);
              assert.deepEqual(held.req.headers, {});
              assert.deepEqual(held.req.rawHeaders, []);
              assert.ok(!JSON.stringify(held.req.headers).includes("secret-token"));
              assert.equal(held.res.getHeader("x-request-id"), undefined);
              assert.equal(held.res.headersSent, true);
              held.res.write('event: revision\ndata: {"revision":7}\n\n');
              held.res.end();
            }
          });
          head.on("end", () => resolve({ head, body }));
        },
      );
      req.on("error", reject);
      req.end();
    });
    assert.equal(got.head.statusCode, 200);
    assert.equal(got.head.headers["x-request-id"], "abc");
    assert.equal(got.head.headers["content-type"], "text/event-stream");
    assert.equal(got.body, ': connected\n\nevent: revision\ndata: {"revision":7}\n\n');
    const next = await new Promise<string>((resolve, reject) => {
      const req = request({ port, host: "127.0.0.1", path: "/plain", agent }, (res) => {
        let b = "";
        res.on("data", (c: Buffer) => {
          b += c;
        });
        res.on("end", () => resolve(b));
      });
      req.on("error", reject);
      req.end();
    });
    assert.equal(next, "next");
  } finally {
    agent.destroy();
    await new Promise((r) => server.close(r));
  }
});
