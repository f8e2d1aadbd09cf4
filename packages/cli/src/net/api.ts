// Builds the API client for a server URL, trusting --ca FILE when given (NODE_EXTRA_CA_CERTS works too).
import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import { type ApiClient, createApiClient, type FetchLike } from "@cryptex/core/client/api-client.ts";
import { createPairRelayClient } from "@cryptex/core/client/pair-relay-client.ts";
import type { PairRelay } from "@cryptex/core/pairing/pair-relay.ts";
import { CliError } from "../errors/cli-error.ts";
import type { Context } from "../program/context.ts";
import { createHttpsFetch } from "./https-fetch.ts";

export interface ApiHooks {
  /** called when the live channel (GET /events) has been accepted, before its first event */
  readonly onEventsOpen?: () => void;
}

/** The PEM of --ca FILE, checked, or undefined. */
export function caPemOf(ctx: Context): string | undefined {
  if (!ctx.caFile) return undefined;
  let ca: string;
  try {
    ca = readFileSync(ctx.caFile, "utf8");
  } catch (e) {
    throw new CliError("file", `cannot read --ca ${ctx.caFile}: ${(e as Error).message}`);
  }
  if (!ca.includes("-----BEGIN CERTIFICATE-----")) throw new CliError("file", `--ca ${ctx.caFile} is not a PEM certificate`);
  return ca;
}

function fetchFor(ctx: Context): FetchLike {
  return createHttpsFetch(caPemOf(ctx));
}

export function apiFor(ctx: Context, serverUrl: string, token?: string, hooks: ApiHooks = {}): ApiClient {
  const httpsFetch = fetchFor(ctx);
  const onOpen = hooks.onEventsOpen;
  const fetch: FetchLike = onOpen
    ? async (url, init) => {
        const res = await httpsFetch(url, init);
        if (res.status === 200 && new URL(url).pathname.endsWith("/events")) onOpen();
        return res;
      }
    : httpsFetch;
  return createApiClient({ baseUrl: serverUrl, token, fetch });
}

/** The server's pairing relay, with the same certificate trust as the API client. */
export function relayFor(ctx: Context, serverUrl: string): PairRelay {
  return createPairRelayClient({ baseUrl: serverUrl, fetch: fetchFor(ctx) });
}

export const defaultDeviceName = (): string => `cryptex CLI on ${hostname()}`.slice(0, 100);
