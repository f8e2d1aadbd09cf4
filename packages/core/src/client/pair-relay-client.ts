// The pairing relay of a Cryptex server over HTTPS (docs/api.md "Pairing relay"), as a PairRelay port.
// Unauthenticated; answers are hostile and bounded like every other. Long-polls until the message arrives.
import { b64uDecode, b64uEncode } from "../encoding/base64.ts";
import { CryptexError } from "../errors.ts";
import type { PairRelay, PairSide } from "../pairing/pair-relay.ts";
import { parseJson } from "../schema/shape.ts";
import { API_PREFIX, pairMessage } from "../wire/api.ts";
import { ApiError, type FetchLike } from "./api-client.ts";

const MAX_ANSWER = 8192;
const RETRY_MS = 1000;

const ended = () => new CryptexError("pair_unknown", "no device waits under this pairing code (mistyped, expired or already finished)");
const taken = () => new CryptexError("pair_used", "this pairing code was already used by another device; start again with a new code");

export function createPairRelayClient(opts: { baseUrl: string; fetch?: FetchLike; timeoutMs?: number }): PairRelay {
  const base = opts.baseUrl.replace(/\/+$/, "") + API_PREFIX;
  const doFetch: FetchLike = opts.fetch ?? ((url, init) => globalThis.fetch(url, init));
  const timeoutMs = opts.timeoutMs ?? 60_000;

  async function call(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<Response> {
    const t = AbortSignal.timeout(timeoutMs);
    try {
      return await doFetch(base + path, {
        method,
        headers: { accept: "application/json", ...(body !== undefined ? { "content-type": "application/json" } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: signal ? AbortSignal.any([signal, t]) : t,
      });
    } catch (e) {
      if (signal?.aborted) throw signal.reason;
      throw new ApiError(0, "network", `cannot reach the server: ${(e instanceof Error ? e.message : String(e)).slice(0, 200)}`);
    }
  }

  async function expect(res: Response, ok: number): Promise<void> {
    await res.body?.cancel().catch(() => {});
    if (res.status === ok) return;
    if (res.status === 404) throw ended();
    if (res.status === 409) throw taken();
    if (res.status === 429) throw new ApiError(429, "rate_limited", "too many pairing requests from this address; wait a minute");
    throw new ApiError(res.status, "http_error", `the server answered ${res.status}`);
  }

  const at = (channel: string, side: PairSide, index: number) =>
    `/pair/${encodeURIComponent(channel)}/${side}/${Number.isSafeInteger(index) ? index : 0}`;

  return {
    open: async (channel) => expect(await call("POST", `/pair/${encodeURIComponent(channel)}`), 201),
    claim: async (channel) => expect(await call("POST", `/pair/${encodeURIComponent(channel)}/claim`), 200),
    async send(channel, side, index, body) {
      const text = b64uEncode(body);
      for (let attempt = 0; ; attempt++) {
        let res: Response;
        try {
          res = await call("PUT", at(channel, side, index), { body: text });
        } catch (e) {
          // A lost answer may hide a stored message: retry, and accept "taken" if the slot holds ours.
          if (!(e instanceof ApiError && e.code === "network") || attempt >= 3) throw e;
          await new Promise((r) => setTimeout(r, RETRY_MS));
          continue;
        }
        if (res.status === 409 && attempt > 0) {
          await res.body?.cancel().catch(() => {});
          const held = await call("GET", at(channel, side, index));
          const same = held.status === 200 && (await held.text()) === JSON.stringify({ body: text });
          if (same) return;
          throw taken();
        }
        return expect(res, 201);
      }
    },
    async receive(channel, side, index, signal) {
      for (;;) {
        if (signal.aborted) throw signal.reason;
        let res: Response;
        try {
          res = await call("GET", at(channel, side, index), undefined, signal);
        } catch (e) {
          if (signal.aborted) throw signal.reason;
          if (e instanceof ApiError && e.code === "network") {
            // a dropped long-poll is retried: the relay keeps the message until the pairing expires
            await new Promise((r) => setTimeout(r, RETRY_MS));
            continue;
          }
          throw e;
        }
        if (res.status === 204) {
          await res.body?.cancel().catch(() => {});
          continue;
        }
        if (res.status !== 200) {
          if (res.status >= 500 || res.status === 429) {
            await res.body?.cancel().catch(() => {});
            await new Promise((r) => setTimeout(r, RETRY_MS));
            continue;
          }
          await expect(res, 200);
        }
        const text = await res.text();
        let body: Uint8Array | undefined;
        try {
          body = b64uDecode(parseJson(pairMessage, text, MAX_ANSWER).body);
        } catch {
          body = undefined;
        }
        if (!body) throw new CryptexError("tampered", "the pairing message failed to verify");
        return body;
      }
    },
  };
}
