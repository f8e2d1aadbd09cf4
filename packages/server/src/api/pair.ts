// The pairing relay's endpoints (docs/api.md "Pairing relay"): unauthenticated, rate-limited per address,
// opaque base64url bodies of at most 4 KiB. The server never sees the pairing secret, only the channel id.
import { PAIR_CHANNEL, pairMessage } from "@cryptex/core/wire/api.ts";
import { rateLimit } from "../auth/authenticate.ts";
import { LIMITS } from "../auth/rate-limit.ts";
import type { Deps } from "../deps.ts";
import { ApiError } from "../errors.ts";
import { readJson, readNoBody } from "../http/body.ts";
import type { Route } from "../http/router.ts";
import type { OpOutcome, PairRelay, Side } from "../pair/relay.ts";

const LONG_POLL_MS = 25_000;

function channelOf(params: Readonly<Record<string, string>>): string {
  const c = params.channel ?? "";
  if (!PAIR_CHANNEL.test(c)) throw new ApiError("bad_request", "malformed pairing channel id");
  return c;
}

function sideIndex(params: Readonly<Record<string, string>>): { side: Side; index: number } {
  const side = params.side;
  const index = Number(params.index);
  if ((side !== "a" && side !== "b") || !/^[0-7]$/.test(params.index ?? "")) throw new ApiError("bad_request", "malformed message address");
  return { side, index };
}

function fail(o: OpOutcome): never {
  switch (o) {
    case "unknown":
      throw new ApiError("not_found", "no pairing under this channel (mistyped, expired or finished)");
    case "exists":
    case "claimed":
    case "conflict":
      throw new ApiError("conflict", "this pairing channel is already taken");
    case "not_claimed":
      throw new ApiError("conflict", "no device has joined this pairing yet");
    default:
      throw new ApiError("rate_limited", "the pairing relay is full; try again in a minute", { "retry-after": "60" });
  }
}

export function pairRoutes(deps: Deps, relay: PairRelay): Route[] {
  return [
    {
      method: "POST",
      pattern: "/api/v1/pair/:channel",
      async handler({ req, params, ip }) {
        const channel = channelOf(params);
        rateLimit(deps, `pair-open:${ip}`, LIMITS.pairOpenPerIp);
        await readNoBody(req);
        const o = await relay.open(channel);
        if (o !== "ok") fail(o);
        return { status: 201, body: {} };
      },
    },
    {
      method: "POST",
      pattern: "/api/v1/pair/:channel/claim",
      async handler({ req, params, ip }) {
        const channel = channelOf(params);
        rateLimit(deps, `pair-claim:${ip}`, LIMITS.pairClaimPerIp);
        await readNoBody(req);
        const o = await relay.claim(channel);
        if (o !== "ok") fail(o);
        return { status: 200, body: {} };
      },
    },
    {
      method: "PUT",
      pattern: "/api/v1/pair/:channel/:side/:index",
      async handler({ req, params, ip }) {
        const channel = channelOf(params);
        const { side, index } = sideIndex(params);
        rateLimit(deps, `pair-msg:${ip}`, LIMITS.pairMessagePerIp);
        const { body } = await readJson(req, pairMessage, 8 * 1024);
        const o = await relay.put(channel, side, index, body);
        if (o !== "ok") fail(o);
        return { status: 201, body: {} };
      },
    },
    {
      method: "GET",
      pattern: "/api/v1/pair/:channel/:side/:index",
      async handler({ req, res, params, ip }) {
        const channel = channelOf(params);
        const { side, index } = sideIndex(params);
        rateLimit(deps, `pair-msg:${ip}`, LIMITS.pairMessagePerIp);
        const closed = new AbortController();
        res.on("close", () => closed.abort());
        req.resume();
        const m = await relay.get(channel, side, index, LONG_POLL_MS, closed.signal);
        if (m === "unknown") fail(m);
        if (m === undefined) return { status: 204 };
        return { status: 200, body: { body: m } };
      },
    },
  ];
}
