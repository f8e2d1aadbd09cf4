// GET /api/v1/events: the live channel (Server-Sent Events), authenticated by the Authorization header
// so no token ever appears in a URL or a log.
import { authenticate } from "../auth/authenticate.ts";
import type { Deps } from "../deps.ts";
import type { Route } from "../http/router.ts";

export function eventRoutes(deps: Deps): Route[] {
  return [
    {
      method: "GET",
      pattern: "/api/v1/events",
      async handler({ req, res }) {
        const s = await authenticate(deps, req);
        deps.hub.open(s.accountId, s.id, res);
        return "streamed";
      },
    },
  ];
}
