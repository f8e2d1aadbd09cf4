// Test helper: opens GET /api/v1/events and collects the parsed events (and whether the server closed it).
//
//   const live = await openEvents(srv, token);   // resolves once the stream is open (status 200)
//   await live.waitFor((e) => e.event === "revision");
//   live.closed                                   // true once the server ended the stream
//   live.close()
import { request as httpsRequest } from "node:https";

export interface LiveEventRecord {
  readonly event: string;
  readonly data: unknown;
}

export interface OpenStream {
  readonly status: number;
  readonly events: LiveEventRecord[];
  readonly closed: boolean;
  waitFor(pred: (e: LiveEventRecord) => boolean, ms?: number): Promise<LiveEventRecord>;
  waitClosed(ms?: number): Promise<void>;
  close(): void;
}

export function openEvents(srv: { url: string; caPem: string }, token: string): Promise<OpenStream> {
  return new Promise((resolve, reject) => {
    const events: LiveEventRecord[] = [];
    let closed = false;
    const req = httpsRequest(`${srv.url}/api/v1/events`, { headers: { authorization: `Bearer ${token}` }, ca: srv.caPem }, (res) => {
      let buf = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        buf += chunk;
        let i = buf.indexOf("\n\n");
        while (i >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          i = buf.indexOf("\n\n");
          let event = "";
          let data = "";
          for (const line of block.split("\n")) {
            if (line.startsWith("event: ")) event = line.slice(7);
            else if (line.startsWith("data: ")) data += line.slice(6);
          }
          if (event) events.push({ event, data: JSON.parse(data) });
        }
      });
      const done = () => {
        closed = true;
      };
      res.on("end", done);
      res.on("close", done);
      res.on("error", done);
      const until = async (cond: () => boolean, ms: number, what: string) => {
        const deadline = Date.now() + ms;
        while (!cond()) {
          if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; events: ${JSON.stringify(events)}`);
          await new Promise((r) => setTimeout(r, 20));
        }
      };
      resolve({
        status: res.statusCode ?? 0,
        events,
        get closed() {
          return closed;
        },
        async waitFor(pred, ms = 10_000) {
          await until(() => events.some(pred), ms, "an event");
          return events.find(pred)!;
        },
        waitClosed: (ms = 10_000) => until(() => closed, ms, "the stream to close"),
        close: () => req.destroy(),
      });
    });
    req.on("error", reject);
    req.end();
  });
}
