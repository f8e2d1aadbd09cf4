// Account Key rotation: the owner's device stages every item re-encrypted under the new key, then one signed
// request switches items, verifier, wrapped EAK and auth key in one transaction and ends the other sessions.
// Until that commit the old key keeps working, so a crash halfway loses nothing (docs/security.md).
import { LIMITS, rotationCommitRequest, rotationStageRequest } from "@cryptex/core/wire/api.ts";
import { authMessage, rotateKeyPayload } from "@cryptex/core/wire/auth-message.ts";
import { authenticate } from "../auth/authenticate.ts";
import { checkSigned } from "../auth/check-signed.ts";
import { fromB64u } from "../auth/tokens.ts";
import type { Deps } from "../deps.ts";
import { ApiError } from "../errors.ts";
import { readJson, readNoBody } from "../http/body.ts";
import type { Route } from "../http/router.ts";
import { MAX_SYNC_PROFILE } from "../store/store.ts";
import { sendQrMail, toAccountAnswer } from "./answers.ts";

export function rotationRoutes(deps: Deps): Route[] {
  const { store, config } = deps;
  return [
    {
      method: "PUT",
      pattern: "/api/v1/account/rotation/items",
      async handler({ req }) {
        const s = await authenticate(deps, req);
        const body = await readJson(req, rotationStageRequest);
        const seen = new Set<string>();
        const items = body.items.map((it, i) => {
          if (seen.has(it.id)) throw new ApiError("bad_request", `items[${i}].id: appears twice in one batch`);
          seen.add(it.id);
          return { id: it.id, revision: it.revision, data: fromB64u(it.data, `items[${i}].data`) };
        });
        fromB64u(body.authPublicKey, "authPublicKey");
        if ((await store.stageRotation(s.accountId, body.authPublicKey, items)) === undefined)
          throw new ApiError("unauthorized", "the account no longer exists");
        return { status: 204 };
      },
    },
    {
      method: "DELETE",
      pattern: "/api/v1/account/rotation",
      async handler({ req }) {
        const s = await authenticate(deps, req);
        await readNoBody(req);
        await store.discardRotation(s.accountId);
        return { status: 204 };
      },
    },
    {
      method: "POST",
      pattern: "/api/v1/account/rotation",
      async handler({ req }) {
        const s = await authenticate(deps, req);
        const body = await readJson(req, rotationCommitRequest);
        const a = await store.getAccount(s.accountId);
        if (!a) throw new ApiError("unauthorized", "the account no longer exists");
        const publicKey = fromB64u(body.authPublicKey, "authPublicKey");
        const wrapped = fromB64u(body.wrappedEak, "wrappedEak");
        const verifier = fromB64u(body.verifier, "verifier");
        const profile = body.syncProfile === undefined ? undefined : fromB64u(body.syncProfile, "syncProfile");
        if (profile && profile.length > MAX_SYNC_PROFILE)
          throw new ApiError("bad_request", `a sync profile is at most ${MAX_SYNC_PROFILE} bytes`);
        await checkSigned(deps, a, body.challenge, body.signature, (c) =>
          authMessage("rotate-key", config.origin, a.id, c, rotateKeyPayload(publicKey, body.eakGeneration, wrapped, verifier)),
        );
        const r = await store.commitRotation(
          a.id,
          {
            authPublicKey: body.authPublicKey,
            verifier: body.verifier,
            wrappedEak: body.wrappedEak,
            eakGeneration: body.eakGeneration,
            emailEnabled: a.emailEnabled,
            ...(body.kit ? { kit: body.kit } : {}),
            ...(profile ? { syncProfile: { data: profile, updatedAt: deps.now() } } : {}),
          },
          s.id,
          LIMITS.pushBatch,
        );
        switch (r.kind) {
          case "no_account":
            throw new ApiError("unauthorized", "the account no longer exists");
          case "stale":
            throw new ApiError("conflict", `eakGeneration must be ${a.eakGeneration + 1}`);
          case "incomplete":
            return {
              status: 409,
              body: {
                code: "rotation_incomplete",
                message: `${r.items.length} item(s) have no staged copy at their current revision; nothing was switched`,
                items: r.items,
              },
            };
          case "rotated":
            break;
        }
        await store.publish({ type: "revoked", accountId: a.id, sessionIds: "all", except: s.id });
        if (body.eakText !== undefined) await sendQrMail(deps, a.email, body.eakText, "rotate");
        deps.log.info("account key rotated", { generation: r.account.eakGeneration });
        return { status: 200, body: toAccountAnswer(r.account) };
      },
    },
  ];
}
