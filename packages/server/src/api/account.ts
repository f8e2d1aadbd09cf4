// The signed-in account: info, signed actions (change password, reset, delete) with a fresh one-time
// challenge signed by the current auth key, and resending the QR mail.

import { changePasswordRequest, deleteAccountRequest, resendMailRequest, resetRequest } from "@cryptex/core/wire/api.ts";
import { authMessage, changePasswordPayload, resetPayload } from "@cryptex/core/wire/auth-message.ts";
import { authenticate, rateLimit } from "../auth/authenticate.ts";
import { LIMITS } from "../auth/rate-limit.ts";
import { verifySignature } from "../auth/signature.ts";
import { b64u, CHALLENGE_TTL_MS, fromB64u, randomToken } from "../auth/tokens.ts";
import type { Deps } from "../deps.ts";
import { ApiError } from "../errors.ts";
import { readJson, readNoBody } from "../http/body.ts";
import type { Route } from "../http/router.ts";
import type { Account } from "../store/store.ts";
import { sendQrMail, toAccountAnswer } from "./answers.ts";

/** The EAK text travels only in a request that asks for the QR mail (it is mailed, never kept). */
function requireMailMatch(body: { sendEmail: boolean; eakText?: string | undefined }): void {
  if (body.sendEmail !== (body.eakText !== undefined))
    throw new ApiError("bad_request", "eakText is sent with sendEmail: true only (it is mailed, never kept)");
}

export function accountRoutes(deps: Deps): Route[] {
  const { store, config } = deps;
  const current = async (accountId: string): Promise<Account> => {
    const a = await store.getAccount(accountId);
    if (!a) throw new ApiError("unauthorized", "the account no longer exists");
    return a;
  };
  /** Consumes the one-time action challenge, then checks the current key's signature over `message`. */
  const checkSigned = async (a: Account, challengeText: string, signatureText: string, message: (c: Uint8Array) => Uint8Array) => {
    const challenge = fromB64u(challengeText, "challenge");
    const signature = fromB64u(signatureText, "signature");
    if (!(await store.takeChallenge(challenge, a.id, "action", deps.now()))) {
      throw new ApiError("challenge_invalid", "the challenge is unknown, used or expired: ask for a new one");
    }
    if (!verifySignature(fromB64u(a.authPublicKey, "authPublicKey"), message(challenge), signature)) {
      throw new ApiError("forbidden", "the signature does not match the account's current auth key");
    }
  };

  return [
    {
      method: "GET",
      pattern: "/api/v1/account",
      async handler({ req }) {
        const s = await authenticate(deps, req);
        return { status: 200, body: toAccountAnswer(await current(s.accountId)) };
      },
    },
    {
      method: "POST",
      pattern: "/api/v1/account/challenge",
      async handler({ req }) {
        const s = await authenticate(deps, req);
        await readNoBody(req);
        rateLimit(deps, `action:${s.accountId}`, LIMITS.actionPerAccount);
        const challenge = randomToken();
        const expiresAt = deps.now() + CHALLENGE_TTL_MS;
        await store.putChallenge(challenge, s.accountId, "action", expiresAt);
        return { status: 200, body: { challenge: b64u(challenge), expiresAt, origin: config.origin } };
      },
    },
    {
      method: "POST",
      pattern: "/api/v1/account/password",
      async handler({ req }) {
        const s = await authenticate(deps, req);
        const body = await readJson(req, changePasswordRequest);
        requireMailMatch(body);
        const a = await current(s.accountId);
        const publicKey = fromB64u(body.authPublicKey, "authPublicKey");
        const wrapped = fromB64u(body.wrappedEak, "wrappedEak");
        await checkSigned(a, body.challenge, body.signature, (c) =>
          authMessage("change-password", config.origin, a.id, c, changePasswordPayload(publicKey, body.eakGeneration, wrapped)),
        );
        const updated = await store.changePassword(a.id, {
          authPublicKey: body.authPublicKey,
          wrappedEak: body.wrappedEak,
          eakGeneration: body.eakGeneration,
          emailEnabled: body.sendEmail,
          kit: body.kit,
        });
        if (updated === "stale") throw new ApiError("conflict", `eakGeneration must be ${a.eakGeneration + 1}`);
        if (!updated) throw new ApiError("unauthorized", "the account no longer exists");
        await deps.blobs.removeAccount(a.id);
        await store.publish({ type: "account", accountId: a.id, eakGeneration: updated.eakGeneration, resetEpoch: updated.resetEpoch });
        if (body.eakText !== undefined) await sendQrMail(deps, a.email, body.eakText, "password");
        deps.log.info("password changed", { generation: updated.eakGeneration });
        return { status: 200, body: toAccountAnswer(updated) };
      },
    },
    {
      method: "POST",
      pattern: "/api/v1/account/mail",
      async handler({ req }) {
        const s = await authenticate(deps, req);
        const body = await readJson(req, resendMailRequest);
        rateLimit(deps, `mail:${s.accountId}`, LIMITS.mailPerAccount);
        const a = await current(s.accountId);
        await sendQrMail(deps, a.email, body.eakText, "resend");
        return { status: 202 };
      },
    },
    {
      method: "POST",
      pattern: "/api/v1/account/reset",
      async handler({ req }) {
        const s = await authenticate(deps, req);
        const body = await readJson(req, resetRequest);
        requireMailMatch(body);
        const a = await current(s.accountId);
        if (body.confirm !== `RESET ${a.email}`)
          throw new ApiError("bad_request", "confirm must be exactly RESET followed by a space and the account's e-mail");
        const publicKey = fromB64u(body.authPublicKey, "authPublicKey");
        fromB64u(body.verifier, "verifier");
        fromB64u(body.wrappedEak, "wrappedEak");
        await checkSigned(a, body.challenge, body.signature, (c) =>
          authMessage("reset", config.origin, a.id, c, resetPayload(body.confirm, publicKey)),
        );
        const updated = await store.resetAccount(
          a.id,
          {
            authPublicKey: body.authPublicKey,
            verifier: body.verifier,
            wrappedEak: body.wrappedEak,
            eakGeneration: 0,
            emailEnabled: body.sendEmail,
            kit: body.kit,
          },
          s.id,
        );
        if (!updated) throw new ApiError("unauthorized", "the account no longer exists");
        await store.publish({ type: "account", accountId: a.id, eakGeneration: updated.eakGeneration, resetEpoch: updated.resetEpoch });
        await store.publish({ type: "revoked", accountId: a.id, sessionIds: "all", except: s.id });
        if (body.eakText !== undefined) await sendQrMail(deps, a.email, body.eakText, "reset");
        deps.log.info("account reset", { resetEpoch: updated.resetEpoch });
        return { status: 200, body: toAccountAnswer(updated) };
      },
    },
    {
      method: "DELETE",
      pattern: "/api/v1/account",
      async handler({ req }) {
        const s = await authenticate(deps, req);
        const body = await readJson(req, deleteAccountRequest);
        const a = await current(s.accountId);
        if (body.confirm !== `DELETE ${a.email}`)
          throw new ApiError("bad_request", "confirm must be exactly DELETE followed by a space and the account's e-mail");
        await checkSigned(a, body.challenge, body.signature, (c) =>
          authMessage("delete", config.origin, a.id, c, new TextEncoder().encode(body.confirm)),
        );
        await store.deleteAccount(a.id);
        await deps.blobs.removeAccount(a.id);
        await store.publish({ type: "revoked", accountId: a.id, sessionIds: "all" });
        deps.log.info("account deleted");
        return { status: 204 };
      },
    },
  ];
}
