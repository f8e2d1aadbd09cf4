// Challenge-response sign-in with the Ed25519 auth key, and sign-out (docs/api.md); sign-up is in signup.ts.
// Unknown e-mails get a stable fake account id and fail sign-in exactly like a bad signature.
import { randomUUID } from "node:crypto";
import { challengeRequest, signinRequest } from "@cryptex/core/wire/api.ts";
import { authMessage } from "@cryptex/core/wire/auth-message.ts";
import { authenticate, paceAuth, rateLimit } from "../auth/authenticate.ts";
import { fakeAccountId } from "../auth/fake-account.ts";
import { fakeKit } from "../auth/kit-fingerprint.ts";
import { LIMITS } from "../auth/rate-limit.ts";
import { verifySignature } from "../auth/signature.ts";
import { b64u, CHALLENGE_TTL_MS, fromB64u, hashToken, randomToken, sessionExpiry } from "../auth/tokens.ts";
import type { Deps } from "../deps.ts";
import { ApiError } from "../errors.ts";
import { readJson, readNoBody, UNAUTHENTICATED_BODY } from "../http/body.ts";
import type { Route } from "../http/router.ts";
import type { Session } from "../store/store.ts";
import { sendNotice } from "./answers.ts";

const SIGNIN_FAILED = "sign-in failed: wrong e-mail, Account Password or Account Key, or the challenge expired";

export function newSession(deps: Deps, accountId: string, deviceName: string): { session: Session; token: string; tokenHash: Uint8Array } {
  const now = deps.now();
  const token = b64u(randomToken());
  return {
    session: { id: randomUUID(), accountId, deviceName, createdAt: now, lastSeenAt: now, expiresAt: sessionExpiry(now, now, deps.config) },
    token,
    tokenHash: hashToken(token),
  };
}

export function authRoutes(deps: Deps): Route[] {
  const { store, config } = deps;
  return [
    {
      method: "POST",
      pattern: "/api/v1/auth/challenge",
      async handler({ req, ip }) {
        rateLimit(deps, `challenge:${ip}`, LIMITS.challengePerIp);
        await paceAuth(deps);
        const { email } = await readJson(req, challengeRequest, UNAUTHENTICATED_BODY);
        // never by e-mail alone: a stranger's flood must not lock the owner out
        rateLimit(deps, `challenge-email:${ip}:${email.toLowerCase()}`, LIMITS.challengePerIpEmail);
        const account = await store.findAccountByEmail(email);
        const accountId = account?.id ?? fakeAccountId(deps.secret, email);
        const kit = account?.kit ?? fakeKit(deps.secret, email);
        const challenge = randomToken();
        const expiresAt = deps.now() + CHALLENGE_TTL_MS;
        await store.putChallenge(challenge, accountId, "signin", expiresAt); // stored for unknown e-mails too: same work, same time
        return { status: 200, body: { accountId, challenge: b64u(challenge), expiresAt, origin: config.origin, kit } };
      },
    },
    {
      method: "POST",
      pattern: "/api/v1/auth/signin",
      async handler({ req, ip }) {
        rateLimit(deps, `signin:${ip}`, LIMITS.signinPerIp);
        await paceAuth(deps);
        const body = await readJson(req, signinRequest, UNAUTHENTICATED_BODY);
        rateLimit(deps, `signin-account:${ip}:${body.accountId}`, LIMITS.signinPerIpAccount);
        const challenge = fromB64u(body.challenge, "challenge");
        const signature = fromB64u(body.signature, "signature");
        const fresh = await store.takeChallenge(challenge, body.accountId, "signin", deps.now());
        const account = await store.getAccount(body.accountId);
        // Always one signature check (a decoy key for unknown accounts): same answer, similar time.
        const key = account ? fromB64u(account.authPublicKey, "authPublicKey") : undefined;
        const valid = verifySignature(key, authMessage("signin", config.origin, body.accountId, challenge), signature);
        if (!fresh || !account || !valid) throw new ApiError("unauthorized", SIGNIN_FAILED);
        const { session, token, tokenHash } = newSession(deps, account.id, body.deviceName);
        await store.createSession(session, tokenHash);
        deps.log.info("signed in", { session: session.id.slice(0, 8) });
        await sendNotice(deps, account.email, { kind: "signin", deviceName: body.deviceName, at: session.createdAt });
        return { status: 200, body: { token, sessionId: session.id, expiresAt: session.expiresAt } };
      },
    },
    {
      method: "POST",
      pattern: "/api/v1/auth/signout",
      async handler({ req }) {
        const s = await authenticate(deps, req);
        await readNoBody(req);
        await store.revokeSession(s.accountId, s.id);
        await store.publish({ type: "revoked", accountId: s.accountId, sessionIds: [s.id] });
        return { status: 204 };
      },
    },
  ];
}
