// Signed vault manifests: one opaque blob per device (docs/security.md), stored and listed as is.
import { manifestPut, uuid } from "@cryptex/core/wire/api.ts";
import { authenticate } from "../auth/authenticate.ts";
import { b64u, fromB64u } from "../auth/tokens.ts";
import type { Deps } from "../deps.ts";
import { ApiError } from "../errors.ts";
import { readJson } from "../http/body.ts";
import type { Route } from "../http/router.ts";
import { MAX_MANIFESTS } from "../store/store.ts";
import { quotaMessage } from "./quota-message.ts";

export function manifestRoutes(deps: Deps): Route[] {
  const { store } = deps;
  return [
    {
      method: "GET",
      pattern: "/api/v1/manifests",
      async handler({ req }) {
        const s = await authenticate(deps, req);
        const list = await store.listManifests(s.accountId);
        return {
          status: 200,
          body: { manifests: list.map((m) => ({ deviceId: m.deviceId, data: b64u(m.data), updatedAt: m.updatedAt })) },
        };
      },
    },
    {
      method: "PUT",
      pattern: "/api/v1/manifests/:deviceId",
      async handler({ req, params }) {
        const s = await authenticate(deps, req);
        try {
          uuid(params.deviceId, "deviceId");
        } catch {
          throw new ApiError("bad_request", "the device id must be a UUID");
        }
        const body = await readJson(req, manifestPut);
        const data = fromB64u(body.data, "data");
        const quota = deps.config.accountQuotaBytes;
        switch (await store.putManifest(s.accountId, { deviceId: params.deviceId!, data, updatedAt: deps.now() }, quota)) {
          case "stored":
            return { status: 204 };
          case "too_many":
            throw new ApiError("bad_request", `an account keeps at most ${MAX_MANIFESTS} device manifests`);
          case "quota":
            throw new ApiError("quota_exceeded", quotaMessage((await store.storageUsed(s.accountId)) ?? 0, quota));
          case "no_account":
            throw new ApiError("unauthorized", "the account no longer exists");
        }
      },
    },
  ];
}
