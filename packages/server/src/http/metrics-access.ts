// Who may read GET /metrics: a direct connection from this machine, or anyone with the configured bearer
// token. A request a proxy forwarded (it carries a forwarding header) counts as off the machine, because a
// reverse proxy on the same host makes every outside client look like loopback.
import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { isLoopback } from "../auth/client-key.ts";

const FORWARDING = ["forwarded", "x-forwarded-for", "x-real-ip"];

export function metricsAllowed(req: IncomingMessage, token: string | undefined): boolean {
  if (token !== undefined) {
    const given = Buffer.from(/^Bearer (\S+)$/.exec(req.headers.authorization ?? "")?.[1] ?? "");
    const want = Buffer.from(token);
    if (given.length === want.length && timingSafeEqual(given, want)) return true;
  }
  const forwarded = FORWARDING.some((h) => req.headers[h] !== undefined);
  return !forwarded && isLoopback(req.socket.remoteAddress ?? "");
}
