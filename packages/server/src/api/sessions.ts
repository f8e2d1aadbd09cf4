// Signed-in devices: list them, revoke one, or end all but this one (their next call gets 401 and their
// live streams close at once).
import { uuid } from "@cryptex/core/wire/api.ts";
import { authenticate } from "../auth/authenticate.ts";
import type { Deps } from "../deps.ts";
import { ApiError } from "../errors.ts";
import { readNoBody } from "../http/body.ts";
import type { Route } from "../http/router.ts";

export function sessionRoutes(deps: Deps): Route[] {
  const { store } = deps;
  return [
    {
      method: "GET",
      pattern: "/api/v1/sessions",
      async handler({ req }) {
        const s = await authenticate(deps, req);
        const list = await store.listSessions(s.accountId, deps.now());
        return {
          status: 200,
          body: {
            sessions: list.slice(0, 1000).map((x) => ({
              id: x.id,
              deviceName: x.deviceName,
              createdAt: x.createdAt,
              lastSeenAt: x.id === s.id ? s.lastSeenAt : x.lastSeenAt,
              expiresAt: x.id === s.id ? s.expiresAt : x.expiresAt,
              current: x.id === s.id,
            })),
          },
        };
      },
    },
    {
      method: "DELETE",
      pattern: "/api/v1/sessions",
      async handler({ req }) {
        const s = await authenticate(deps, req);
        await readNoBody(req);
        const ended = await store.endOtherSessions(s.accountId, s.id);
        // "all but this one" rather than the list: a NOTIFY payload must stay small however many there were
        await store.publish({ type: "revoked", accountId: s.accountId, sessionIds: "all", except: s.id });
        deps.log.info("other sessions ended", { session: s.id.slice(0, 8), ended: ended.length });
        return { status: 200, body: { ended: ended.length } };
      },
    },
    {
      method: "DELETE",
      pattern: "/api/v1/sessions/:id",
      async handler({ req, params }) {
        const s = await authenticate(deps, req);
        await readNoBody(req);
        try {
          uuid(params.id, "id");
        } catch {
          throw new ApiError("bad_request", "the session id must be a UUID");
        }
        if (!(await store.revokeSession(s.accountId, params.id!))) throw new ApiError("not_found", "no such session on this account");
        await store.publish({ type: "revoked", accountId: s.accountId, sessionIds: [params.id!] });
        return { status: 204 };
      },
    },
  ];
}
