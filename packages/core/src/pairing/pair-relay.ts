// The port through which paired devices reach each other: a relay that passes a few small opaque messages
// per channel. The server implements it (docs/api.md "Pairing relay"); tests put a hostile one in between.

/** "a" is the side that shows the code and opens the channel; "b" claims it with the scanned or typed code. */
export type PairSide = "a" | "b";

export interface PairRelay {
  /** opens a fresh channel; fails if it exists */
  open(channel: string): Promise<void>;
  /** claims an open channel; at most one claim succeeds */
  claim(channel: string): Promise<void>;
  /** posts message number `index` (0, 1, …) of `side` */
  send(channel: string, side: PairSide, index: number, body: Uint8Array): Promise<void>;
  /** waits for message number `index` of `side`; rejects on abort or when the channel is gone */
  receive(channel: string, side: PairSide, index: number, signal: AbortSignal): Promise<Uint8Array>;
}
