// The pairing relay (docs/api.md "Pairing relay"): channels of a few small opaque messages, in memory only,
// expiring with the pairing. Every operation goes over the store's event bus and is applied by every process
// in the bus's order (PostgreSQL LISTEN/NOTIFY delivers in commit order), so "one claim per channel" holds
// across processes: the process that sent an operation answers with the outcome its own copy computed.
import { randomUUID } from "node:crypto";
import type { PairEvent } from "../store/store.ts";

export const PAIR_TTL_MS = 5 * 60_000;
export const PAIR_MAX_MESSAGES = 8;
const MAX_PER_SIDE = 4;
const APPLY_TIMEOUT_MS = 10_000;

export type Side = "a" | "b";
export type OpOutcome = "ok" | "unknown" | "exists" | "claimed" | "conflict" | "full" | "not_claimed";

interface Channel {
  readonly expiresAt: number;
  claimed: boolean;
  readonly messages: { a: string[]; b: string[] };
}

interface Waiter {
  readonly key: string;
  readonly wake: () => void;
}

export class PairRelay {
  readonly #channels = new Map<string, Channel>();
  readonly #pending = new Map<string, (o: OpOutcome) => void>();
  readonly #waiters = new Set<Waiter>();
  readonly #publish: (e: PairEvent) => Promise<void>;
  readonly #now: () => number;
  readonly #maxChannels: number;
  readonly #sweeper: NodeJS.Timeout;

  constructor(publish: (e: PairEvent) => Promise<void>, now: () => number, maxChannels = 10_000) {
    this.#publish = publish;
    this.#now = now;
    this.#maxChannels = maxChannels;
    this.#sweeper = setInterval(() => this.sweep(), 30_000);
    this.#sweeper.unref();
  }

  get size(): number {
    return this.#channels.size;
  }

  open(channel: string): Promise<OpOutcome> {
    return this.#run({ type: "pair", op: "open", id: randomUUID(), at: this.#now(), channel });
  }

  claim(channel: string): Promise<OpOutcome> {
    return this.#run({ type: "pair", op: "claim", id: randomUUID(), at: this.#now(), channel });
  }

  put(channel: string, side: Side, index: number, body: string): Promise<OpOutcome> {
    return this.#run({ type: "pair", op: "message", id: randomUUID(), at: this.#now(), channel, side, index, body });
  }

  /** The message, "unknown" when the channel is gone, or undefined when none arrived within waitMs. */
  async get(channel: string, side: Side, index: number, waitMs: number, closed: AbortSignal): Promise<string | "unknown" | undefined> {
    const key = `${channel}/${side}/${index}`;
    for (;;) {
      const c = this.#live(channel);
      if (!c) return "unknown";
      const m = c.messages[side][index];
      if (m !== undefined) return m;
      if (waitMs <= 0 || closed.aborted) return undefined;
      const started = this.#now();
      await new Promise<void>((resolve) => {
        const w: Waiter = { key, wake: () => done() };
        const t = setTimeout(() => done(), waitMs);
        const done = () => {
          clearTimeout(t);
          this.#waiters.delete(w);
          closed.removeEventListener("abort", done);
          resolve();
        };
        closed.addEventListener("abort", done);
        this.#waiters.add(w);
      });
      waitMs -= Math.max(1, this.#now() - started);
    }
  }

  /** Applies one operation from the bus (every process, same order). */
  apply(e: PairEvent): void {
    const outcome = this.#apply(e);
    this.#pending.get(e.id)?.(outcome);
    if (e.op === "message" && outcome === "ok") {
      const key = `${e.channel}/${e.side}/${e.index}`;
      for (const w of [...this.#waiters]) if (w.key === key) w.wake();
    }
  }

  sweep(): void {
    const now = this.#now();
    for (const [k, c] of this.#channels) if (c.expiresAt <= now) this.#channels.delete(k);
  }

  close(): void {
    clearInterval(this.#sweeper);
    for (const w of [...this.#waiters]) w.wake();
  }

  #live(channel: string): Channel | undefined {
    const c = this.#channels.get(channel);
    if (c && c.expiresAt <= this.#now()) {
      this.#channels.delete(channel);
      return undefined;
    }
    return c;
  }

  #apply(e: PairEvent): OpOutcome {
    const c = this.#channels.get(e.channel);
    const live = c && c.expiresAt > e.at ? c : undefined;
    switch (e.op) {
      case "open":
        if (c && !live) this.#channels.delete(e.channel);
        if (live) return "exists";
        if (this.#channels.size >= this.#maxChannels) {
          this.sweep();
          if (this.#channels.size >= this.#maxChannels) return "full";
        }
        this.#channels.set(e.channel, { expiresAt: e.at + PAIR_TTL_MS, claimed: false, messages: { a: [], b: [] } });
        return "ok";
      case "claim":
        if (!live) return "unknown";
        if (live.claimed) return "claimed";
        live.claimed = true;
        return "ok";
      case "message": {
        if (!live) return "unknown";
        if (!live.claimed) return "not_claimed";
        const list = live.messages[e.side];
        if (e.index !== list.length) return "conflict"; // each message number is written once, in order
        if (list.length >= MAX_PER_SIDE || live.messages.a.length + live.messages.b.length >= PAIR_MAX_MESSAGES) return "full";
        list.push(e.body);
        return "ok";
      }
    }
  }

  async #run(e: PairEvent): Promise<OpOutcome> {
    const outcome = new Promise<OpOutcome>((resolve, reject) => {
      const t = setTimeout(() => {
        this.#pending.delete(e.id);
        reject(new Error("the pairing relay's event bus did not deliver the operation"));
      }, APPLY_TIMEOUT_MS);
      t.unref();
      this.#pending.set(e.id, (o) => {
        clearTimeout(t);
        this.#pending.delete(e.id);
        resolve(o);
      });
    });
    outcome.catch(() => {}); // handled by the caller's await; never an unhandled rejection if publishing fails
    try {
      await this.#publish(e);
    } catch (err) {
      this.#pending.delete(e.id);
      throw err;
    }
    return outcome;
  }
}
