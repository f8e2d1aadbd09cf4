// One pairing between two devices over a relay: open or claim the channel, run the NNpsk0 handshake, then
// exchange step messages through the transport ciphers. Any failure ends the channel for good (one claim, one try).
import { fromUtf8, utf8 } from "../encoding/bytes.ts";
import { CryptexError } from "../errors.ts";
import { parseJson, type Shape } from "../schema/shape.ts";
import { type CipherState, NoiseHandshake } from "./noise-handshake.ts";
import type { PairRelay, PairSide } from "./pair-relay.ts";
import { comparisonCode, type PairingSecret, pairingKeys } from "./pairing-code.ts";
import { PAIR_MESSAGE_MAX, type PairStep, stepAd } from "./pairing-messages.ts";

/** How long a code lives, on both devices and on the relay. */
export const PAIR_TTL_MS = 5 * 60_000;

export interface ChannelOptions {
  readonly relay: PairRelay;
  readonly secret: PairingSecret;
  /** the server origin both devices talk to; bound into the handshake */
  readonly origin: string;
  /** ends all waiting (Ctrl-C, a closed page); the pairing's own deadline applies as well */
  readonly signal?: AbortSignal;
  readonly ttlMs?: number;
}

export class PairingChannel {
  /** the 6-digit code both screens show */
  readonly comparison: string;
  readonly #relay: PairRelay;
  readonly #channel: string;
  readonly #side: PairSide;
  readonly #send: CipherState;
  readonly #receive: CipherState;
  readonly #signal: AbortSignal;
  #sent = 1; // each side already sent its handshake message as number 0
  #received = 1;

  private constructor(
    relay: PairRelay,
    channel: string,
    side: PairSide,
    t: { send: CipherState; receive: CipherState },
    comparison: string,
    signal: AbortSignal,
  ) {
    this.#relay = relay;
    this.#channel = channel;
    this.#side = side;
    this.#send = t.send;
    this.#receive = t.receive;
    this.comparison = comparison;
    this.#signal = signal;
  }

  /** The showing side: opens the channel, then waits for the one device that claims it (Noise responder). */
  static async open(opts: ChannelOptions): Promise<{ channel: string; connect: () => Promise<PairingChannel> }> {
    const keys = await pairingKeys(opts.secret, opts.origin);
    await opts.relay.open(keys.channel);
    const signal = deadline(opts);
    return {
      channel: keys.channel,
      connect: async () => {
        const hs = new NoiseHandshake({ initiator: false, prologue: keys.prologue, psk: keys.psk });
        const first = await receiveOrTimeout(opts.relay, keys.channel, "b", 0, signal);
        const payload = await hs.readFirst(first);
        if (payload.length !== 0) throw new CryptexError("tampered", "the pairing message failed to verify");
        const { message, result } = await hs.writeSecond(new Uint8Array(0));
        await opts.relay.send(keys.channel, "a", 0, message);
        return new PairingChannel(opts.relay, keys.channel, "a", result, await comparisonCode(result.hash), signal);
      },
    };
  }

  /** The scanning side: claims the channel and starts the handshake (Noise initiator). */
  static async join(opts: ChannelOptions): Promise<PairingChannel> {
    const keys = await pairingKeys(opts.secret, opts.origin);
    await opts.relay.claim(keys.channel);
    const signal = deadline(opts);
    const hs = new NoiseHandshake({ initiator: true, prologue: keys.prologue, psk: keys.psk });
    await opts.relay.send(keys.channel, "b", 0, await hs.writeFirst(new Uint8Array(0)));
    const second = await receiveOrTimeout(opts.relay, keys.channel, "a", 0, signal);
    const { payload, result } = await hs.readSecond(second);
    if (payload.length !== 0) throw new CryptexError("tampered", "the pairing message failed to verify");
    return new PairingChannel(opts.relay, keys.channel, "b", result, await comparisonCode(result.hash), signal);
  }

  async send(step: PairStep, message: unknown): Promise<void> {
    const ct = await this.#send.encrypt(stepAd(step), utf8(JSON.stringify(message)));
    await this.#relay.send(this.#channel, this.#side, this.#sent++, ct);
  }

  async receive<T>(step: PairStep, shape: Shape<T>): Promise<T> {
    const other: PairSide = this.#side === "a" ? "b" : "a";
    const ct = await receiveOrTimeout(this.#relay, this.#channel, other, this.#received++, this.#signal);
    const pt = await this.#receive.decrypt(stepAd(step), ct);
    try {
      return parseJson(shape, fromUtf8(pt), PAIR_MESSAGE_MAX);
    } catch {
      // authentic but malformed: the other device runs a version we do not understand
      throw new CryptexError("unsupported_format", "the other device sent a pairing message this version does not understand");
    }
  }
}

function deadline(opts: ChannelOptions): AbortSignal {
  const t = AbortSignal.timeout(opts.ttlMs ?? PAIR_TTL_MS);
  return opts.signal ? AbortSignal.any([opts.signal, t]) : t;
}

async function receiveOrTimeout(relay: PairRelay, channel: string, side: PairSide, index: number, signal: AbortSignal) {
  try {
    return await relay.receive(channel, side, index, signal);
  } catch (e) {
    if (signal.aborted && (signal.reason as { name?: string })?.name === "TimeoutError")
      throw new CryptexError("pair_timeout", "the other device did not answer in time; start again with a new code");
    throw e;
  }
}
