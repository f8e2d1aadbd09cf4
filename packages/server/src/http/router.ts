// A small router: method + path pattern (":name" segments) → handler. The pattern, not the raw path,
// is what logs and metrics see, so ids and query strings never reach them.
import type { IncomingMessage, ServerResponse } from "node:http";

export interface Ctx {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  readonly params: Readonly<Record<string, string>>;
  readonly ip: string;
}

/** A JSON answer, or "streamed" when the handler wrote the response itself (SSE). */
export type Answer = { readonly status: number; readonly body?: unknown; readonly headers?: Record<string, string> } | "streamed";
export type Handler = (ctx: Ctx) => Promise<Answer>;

export interface Route {
  readonly method: string;
  readonly pattern: string;
  readonly handler: Handler;
}

export type Match =
  | { readonly route: Route; readonly params: Record<string, string> }
  | { readonly route: undefined; readonly allowed: string[] };

export function matchRoute(routes: readonly Route[], method: string, path: string): Match {
  const parts = path.split("/");
  const allowed: string[] = [];
  for (const route of routes) {
    const pat = route.pattern.split("/");
    if (pat.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < pat.length && ok; i++) {
      if (pat[i]!.startsWith(":")) params[pat[i]!.slice(1)] = parts[i]!;
      else ok = pat[i] === parts[i];
    }
    if (!ok) continue;
    if (route.method === method) return { route, params };
    allowed.push(route.method);
  }
  return { route: undefined, allowed };
}
