// The request handler: security headers, CORS when configured, routing, JSON errors in one place
// (http/respond.ts), the web app's static files, /healthz and /metrics, and one log line per request.
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { accountRoutes } from "./api/account.ts";
import { authRoutes } from "./api/auth.ts";
import { blobRoutes } from "./api/blobs.ts";
import { eventRoutes } from "./api/events.ts";
import { forgotRoutes } from "./api/forgot.ts";
import { itemRoutes } from "./api/items.ts";
import { manifestRoutes } from "./api/manifests.ts";
import { pairRoutes } from "./api/pair.ts";
import { rotationRoutes } from "./api/rotation.ts";
import { sessionRoutes } from "./api/sessions.ts";
import { signupRoutes } from "./api/signup.ts";
import { syncProfileRoutes } from "./api/sync-profile.ts";
import { clientKey } from "./auth/client-key.ts";
import type { Deps } from "./deps.ts";
import { ApiError } from "./errors.ts";
import { clientAddress } from "./http/client-address.ts";
import { metricsAllowed } from "./http/metrics-access.ts";
import { sendError, sendJson } from "./http/respond.ts";
import { matchRoute, type Route } from "./http/router.ts";
import { securityHeaders } from "./http/security-headers.ts";
import { serveStatic } from "./http/static-files.ts";

export function createApp(deps: Deps): (req: IncomingMessage, res: ServerResponse) => void {
  const routes: Route[] = [
    ...signupRoutes(deps),
    ...authRoutes(deps),
    ...forgotRoutes(deps),
    ...accountRoutes(deps),
    ...rotationRoutes(deps),
    ...sessionRoutes(deps),
    ...itemRoutes(deps),
    ...manifestRoutes(deps),
    ...blobRoutes(deps),
    ...syncProfileRoutes(deps),
    ...eventRoutes(deps),
    ...pairRoutes(deps, deps.pairRelay),
  ];
  const { log, metrics, config } = deps;

  /** The client's address: the socket peer, or behind a trusted proxy the address that proxy saw. */
  const addressOf = (req: IncomingMessage): string =>
    clientAddress(req.socket.remoteAddress, req.headers["x-forwarded-for"]?.toString(), config.trustProxy).slice(0, 64);

  function cors(req: IncomingMessage, res: ServerResponse): boolean {
    const origin = req.headers.origin;
    if (!origin || !config.corsOrigins.includes(origin)) return false;
    res.setHeader("access-control-allow-origin", origin);
    res.setHeader("vary", "Origin");
    res.setHeader("access-control-allow-headers", "authorization, content-type");
    res.setHeader("access-control-allow-methods", "GET, POST, PUT, DELETE");
    res.setHeader("access-control-max-age", "600");
    return true;
  }

  async function handle(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    seen: { route: string },
    client: string,
  ): Promise<{ route: string; status: number }> {
    const method = req.method ?? "GET";
    const path = url.pathname;
    if (path === "/healthz") {
      if (method !== "GET" && method !== "HEAD") throw new ApiError("method_not_allowed", "use GET", { allow: "GET" });
      sendJson(res, 200, { status: "ok" });
      return { route: "/healthz", status: 200 };
    }
    if (path === "/metrics") {
      if (method !== "GET") throw new ApiError("method_not_allowed", "use GET", { allow: "GET" });
      if (!metricsAllowed(req, config.metricsToken))
        throw new ApiError("forbidden", "metrics are served only to this machine (loopback) or with the metrics bearer token");
      const text = metrics.render();
      res.writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8", "cache-control": "no-store" });
      res.end(text);
      return { route: "/metrics", status: 200 };
    }
    if (path === "/api" || path.startsWith("/api/")) {
      const allowedCors = cors(req, res);
      const m = matchRoute(routes, method, path);
      if (method === "OPTIONS" && allowedCors) {
        res.writeHead(204).end();
        return { route: "OPTIONS", status: 204 };
      }
      if (!m.route) {
        if (m.allowed.length > 0)
          throw new ApiError("method_not_allowed", `use ${m.allowed.join(" or ")}`, { allow: m.allowed.join(", ") });
        throw new ApiError("not_found", "no such API endpoint");
      }
      seen.route = m.route.pattern;
      const answer = await m.route.handler({ req, res, url, params: m.params, ip: clientKey(client) });
      const route = m.route.pattern;
      if (answer === "streamed") return { route, status: 200 };
      sendJson(res, answer.status, answer.body, answer.headers);
      return { route, status: answer.status };
    }
    if (method !== "GET" && method !== "HEAD") throw new ApiError("method_not_allowed", "use GET", { allow: "GET, HEAD" });
    return { route: "static", status: serveStatic(config.webDir, path, method === "HEAD", req.headers["accept-encoding"], res) };
  }

  const headers = securityHeaders(config.breachOrigin);
  return (req, res) => {
    const started = performance.now();
    const id = randomUUID().slice(0, 8);
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    res.setHeader("x-request-id", id);
    let url: URL;
    try {
      url = new URL(req.url ?? "/", "https://server.invalid");
    } catch {
      sendJson(res, 400, { code: "bad_request", message: "malformed request URL" });
      return;
    }
    const seen = { route: "unmatched" };
    let route = "unmatched";
    const client = addressOf(req);
    handle(req, res, url, seen, client)
      .then((r) => {
        route = r.route;
        return r.status;
      })
      .catch((e: unknown) => {
        route = seen.route;
        if (!(e instanceof ApiError)) {
          const err = e as { name?: string; code?: string; message?: string };
          log.error("request failed", { id, error: err.name ?? "Error", code: err.code, detail: String(err.message ?? "").slice(0, 200) });
        }
        return sendError(res, e);
      })
      .then((status) => {
        const seconds = (performance.now() - started) / 1000;
        metrics.inc("cryptex_http_requests_total", { method: req.method ?? "?", route, status });
        if (route !== "/api/v1/events") metrics.observe(route, seconds);
        // the client address, so abuse can be traced; never the raw path, query, headers or body
        log.info("request", { id, client, method: req.method, route, status, ms: Math.round(seconds * 10000) / 10 });
      });
  };
}
