// Live push over Server-Sent Events: streams per account, fed by store events (in-process for SQLite,
// LISTEN/NOTIFY across processes for PostgreSQL). Revisions go to the account's other sessions; revoked
// sessions' streams are closed at once. A comment ping every 25 s keeps proxies from closing idle streams.
import type { ServerResponse } from "node:http";
import type { Metrics } from "../metrics.ts";
import type { LiveEvent } from "../store/store.ts";

interface Stream {
  readonly sessionId: string;
  readonly res: ServerResponse;
}

export class LiveHub {
  readonly #byAccount = new Map<string, Set<Stream>>();
  readonly #metrics: Metrics;
  readonly #ping: NodeJS.Timeout;
  #count = 0;

  constructor(metrics: Metrics, pingMs = 25_000) {
    this.#metrics = metrics;
    this.#ping = setInterval(() => this.#broadcast(": ping\n\n"), pingMs);
    this.#ping.unref();
  }

  get size(): number {
    return this.#count;
  }

  open(accountId: string, sessionId: string, res: ServerResponse): void {
    res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store", "x-accel-buffering": "no" });
    res.write(": connected\n\n");
    // Events are tiny and must not wait for Nagle; keep-alive probes find dead peers without our own timers.
    res.socket?.setNoDelay(true);
    res.socket?.setKeepAlive(true, 60_000);
    let set = this.#byAccount.get(accountId);
    if (!set) {
      set = new Set();
      this.#byAccount.set(accountId, set);
    }
    const stream = { sessionId, res };
    set.add(stream);
    this.#count++;
    this.#metrics.liveConnections(1);
    res.on("close", () => {
      const s = this.#byAccount.get(accountId);
      if (!s?.delete(stream)) return;
      this.#count--;
      this.#metrics.liveConnections(-1);
      if (s.size === 0) this.#byAccount.delete(accountId);
    });
  }

  handle(e: LiveEvent): void {
    if (e.type === "pair") return; // the pairing relay's own traffic (pair/relay.ts)
    const set = this.#byAccount.get(e.accountId);
    if (!set) return;
    for (const s of [...set]) {
      if (e.type === "revision") {
        if (s.sessionId !== e.fromSession) this.#send(s, "revision", { revision: e.revision });
      } else if (e.type === "account") {
        this.#send(s, "account", { eakGeneration: e.eakGeneration, resetEpoch: e.resetEpoch });
      } else if ((e.sessionIds === "all" || e.sessionIds.includes(s.sessionId)) && s.sessionId !== e.except) {
        s.res.end();
      }
    }
  }

  close(): void {
    clearInterval(this.#ping);
    for (const set of this.#byAccount.values()) for (const s of set) s.res.end();
  }

  #send(s: Stream, event: string, data: unknown): void {
    s.res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    this.#metrics.inc("cryptex_live_events_total", { event });
  }

  #broadcast(text: string): void {
    for (const set of this.#byAccount.values()) for (const s of set) s.res.write(text);
  }
}
