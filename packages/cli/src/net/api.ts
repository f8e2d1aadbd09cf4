// Builds the API client for a server URL, trusting --ca FILE when given (NODE_EXTRA_CA_CERTS works too).
import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import { type ApiClient, createApiClient } from "@cryptex/core/client/api-client.ts";
import { CliError } from "../errors/cli-error.ts";
import type { Context } from "../program/context.ts";
import { createHttpsFetch } from "./https-fetch.ts";

export function apiFor(ctx: Context, serverUrl: string, token?: string): ApiClient {
  let ca: string | undefined;
  if (ctx.caFile) {
    try {
      ca = readFileSync(ctx.caFile, "utf8");
    } catch (e) {
      throw new CliError("file", `cannot read --ca ${ctx.caFile}: ${(e as Error).message}`);
    }
    if (!ca.includes("-----BEGIN CERTIFICATE-----")) throw new CliError("file", `--ca ${ctx.caFile} is not a PEM certificate`);
  }
  return createApiClient({ baseUrl: serverUrl, token, fetch: createHttpsFetch(ca) });
}

export const defaultDeviceName = (): string => `cryptex CLI on ${hostname()}`.slice(0, 100);
