// GET /api/v1/events: the live channel (Server-Sent Events), authenticated by the Authorization header
// so no token ever appears in a URL or a log. Capped per account and per client address (429 past a cap).
import { authenticate } from "../auth/authenticate.ts";
import type { Deps } from "../deps.ts";
import { ApiError } from "../errors.ts";
import type { Route } from "../http/router.ts";

export function eventRoutes(deps: Deps): Route[] {
  return [
    {
      method: "GET",
      pattern: "/api/v1/events",
      async handler({ req, res, ip }) {
        const s = await authenticate(deps, req);
        const { liveStreamsPerAccount, liveStreamsPerAddress } = deps.config;
        switch (deps.hub.open(s.accountId, s.id, ip, res)) {
          case "open":
            return "streamed";
          case "account_full":
            throw new ApiError(
              "rate_limited",
              `this account has ${liveStreamsPerAccount} live streams open already: close another device's stream first`,
              { "retry-after": "60" },
            );
          case "address_full":
            throw new ApiError("rate_limited", `this address has ${liveStreamsPerAddress} live streams open already`, {
              "retry-after": "60",
            });
        }
      },
    },
  ];
}
