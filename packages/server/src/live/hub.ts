// Live push over Server-Sent Events: streams per account, fed by store events (in-process for SQLite,
// LISTEN/NOTIFY across processes for PostgreSQL). Revisions go to the account's other sessions; revoked
// sessions' streams are closed at once. A comment ping every 25 s keeps proxies from closing idle streams.
// Streams are capped per account and per client address, so one account or one address cannot hold
// thousands of connections (each costs ~65 KB of TLS memory, docs/server.md).
import type { ServerResponse } from "node:http";
import type { Metrics } from "../metrics.ts";
import type { LiveEvent } from "../store/store.ts";
import { shedAfterHead } from "./shed.ts";

interface Stream {
  readonly sessionId: string;
  readonly res: ServerResponse;
}

export interface StreamCaps {
  readonly perAccount: number;
  readonly perAddress: number;
}

export class LiveHub {
  readonly #byAccount = new Map<string, Set<Stream>>();
  readonly #byAddress = new Map<string, number>();
  readonly #metrics: Metrics;
  readonly #caps: StreamCaps;
  readonly #ping: NodeJS.Timeout;
  #count = 0;

  constructor(metrics: Metrics, caps: StreamCaps, pingMs = 25_000) {
    this.#metrics = metrics;
    this.#caps = caps;
    this.#ping = setInterval(() => this.#broadcast(": ping\n\n"), pingMs);
    this.#ping.unref();
  }

  get size(): number {
    return this.#count;
  }

  /** Opens a stream, or answers which cap is full (the caller refuses with 429; nothing is written then). */
  open(accountId: string, sessionId: string, address: string, res: ServerResponse): "open" | "account_full" | "address_full" {
    if ((this.#byAccount.get(accountId)?.size ?? 0) >= this.#caps.perAccount) return "account_full";
    if ((this.#byAddress.get(address) ?? 0) >= this.#caps.perAddress) return "address_full";
    res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store", "x-accel-buffering": "no" });
    res.write(": connected\n\n");
    shedAfterHead(res);
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
    this.#byAddress.set(address, (this.#byAddress.get(address) ?? 0) + 1);
    this.#count++;
    this.#metrics.liveConnections(1);
    res.on("close", () => {
      const s = this.#byAccount.get(accountId);
      if (!s?.delete(stream)) return;
      this.#count--;
      this.#metrics.liveConnections(-1);
      if (s.size === 0) this.#byAccount.delete(accountId);
      const n = (this.#byAddress.get(address) ?? 1) - 1;
      if (n > 0) this.#byAddress.set(address, n);
      else this.#byAddress.delete(address);
    });
    return "open";
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
