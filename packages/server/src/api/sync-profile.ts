// The account's sync profile (docs/sync.md): one small blob its devices seal under an Account-Key-derived key,
// so a new device learns after sign-in how the account syncs. The server stores it as it comes.
import { syncProfilePut } from "@cryptex/core/wire/api.ts";
import { authenticate } from "../auth/authenticate.ts";
import { b64u, fromB64u } from "../auth/tokens.ts";
import type { Deps } from "../deps.ts";
import { ApiError } from "../errors.ts";
import { readJson } from "../http/body.ts";
import type { Route } from "../http/router.ts";
import { MAX_SYNC_PROFILE } from "../store/store.ts";

export function syncProfileRoutes(deps: Deps): Route[] {
  const { store } = deps;
  return [
    {
      method: "GET",
      pattern: "/api/v1/sync-profile",
      async handler({ req }) {
        const s = await authenticate(deps, req);
        const p = await store.getSyncProfile(s.accountId);
        return { status: 200, body: { profile: p ? { data: b64u(p.data), updatedAt: p.updatedAt } : null } };
      },
    },
    {
      method: "PUT",
      pattern: "/api/v1/sync-profile",
      async handler({ req }) {
        const s = await authenticate(deps, req);
        const body = await readJson(req, syncProfilePut);
        const data = fromB64u(body.data, "data");
        if (data.length > MAX_SYNC_PROFILE) throw new ApiError("bad_request", `a sync profile is at most ${MAX_SYNC_PROFILE} bytes`);
        if ((await store.putSyncProfile(s.accountId, data, deps.now())) === "no_account")
          throw new ApiError("unauthorized", "the account no longer exists");
        return { status: 204 };
      },
    },
  ];
}
