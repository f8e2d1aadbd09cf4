// Sign-up, challenge-response sign-in with the Ed25519 auth key, and sign-out (docs/api.md).
// Unknown e-mails get a stable fake account id and fail sign-in exactly like a bad signature.
import { randomUUID } from "node:crypto";
import { challengeRequest, signinRequest, signupRequest } from "@cryptex/core/wire/api.ts";
import { authMessage, SIGNUP_CHALLENGE } from "@cryptex/core/wire/auth-message.ts";
import { authenticate, rateLimit } from "../auth/authenticate.ts";
import { fakeAccountId } from "../auth/fake-account.ts";
import { fakeKit, kitFingerprint } from "../auth/kit-fingerprint.ts";
import { LIMITS } from "../auth/rate-limit.ts";
import { verifySignature } from "../auth/signature.ts";
import { b64u, CHALLENGE_TTL_MS, fromB64u, hashToken, randomToken, SESSION_TTL_MS } from "../auth/tokens.ts";
import type { Deps } from "../deps.ts";
import { ApiError } from "../errors.ts";
import { readJson, readNoBody } from "../http/body.ts";
import type { Route } from "../http/router.ts";
import type { Session } from "../store/store.ts";
import { sendQrMail } from "./answers.ts";

const SIGNIN_FAILED = "sign-in failed: wrong e-mail, Account Password or Account Key, or the challenge expired";

export function newSession(deps: Deps, accountId: string, deviceName: string): { session: Session; token: string; tokenHash: Uint8Array } {
  const now = deps.now();
  const token = b64u(randomToken());
  return {
    session: { id: randomUUID(), accountId, deviceName, createdAt: now, lastSeenAt: now, expiresAt: now + SESSION_TTL_MS },
    token,
    tokenHash: hashToken(token),
  };
}

export function authRoutes(deps: Deps): Route[] {
  const { store, config } = deps;
  return [
    {
      method: "POST",
      pattern: "/api/v1/accounts",
      async handler({ req, ip }) {
        rateLimit(deps, `signup:${ip}`, LIMITS.signupPerIp);
        const body = await readJson(req, signupRequest);
        const publicKey = fromB64u(body.authPublicKey, "authPublicKey");
        fromB64u(body.verifier, "verifier");
        fromB64u(body.wrappedEak, "wrappedEak");
        const message = authMessage("signup", config.origin, body.accountId, SIGNUP_CHALLENGE, publicKey);
        if (!verifySignature(publicKey, message, fromB64u(body.signature, "signature"))) {
          throw new ApiError("forbidden", "the sign-up signature does not match the auth public key");
        }
        const { session, token, tokenHash } = newSession(deps, body.accountId, body.deviceName);
        const account = {
          id: body.accountId,
          email: body.email,
          authPublicKey: body.authPublicKey,
          verifier: body.verifier,
          wrappedEak: body.wrappedEak,
          eakGeneration: 0,
          resetEpoch: 0,
          revision: 0,
          emailEnabled: body.sendEmail,
          createdAt: session.createdAt,
          kit: kitFingerprint(body.eakText),
        };
        if ((await store.createAccount(account, session, tokenHash)) === "taken") {
          throw new ApiError("email_taken", "an account with this e-mail address (or account id) exists already");
        }
        if (body.sendEmail) await sendQrMail(deps, body.email, body.eakText, "signup");
        deps.log.info("account created", { session: session.id.slice(0, 8) });
        return { status: 201, body: { token, sessionId: session.id, expiresAt: session.expiresAt } };
      },
    },
    {
      method: "POST",
      pattern: "/api/v1/auth/challenge",
      async handler({ req, ip }) {
        rateLimit(deps, `challenge:${ip}`, LIMITS.challengePerIp);
        const { email } = await readJson(req, challengeRequest);
        rateLimit(deps, `challenge-email:${email.toLowerCase()}`, LIMITS.challengePerEmail);
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
        const body = await readJson(req, signinRequest);
        rateLimit(deps, `signin-account:${body.accountId}`, LIMITS.signinPerAccount);
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
