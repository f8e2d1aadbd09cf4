// Sign-up in two steps (docs/api.md): POST /accounts answers 202 the same way whether or not the address has an
// account, and mails a code (or, to an existing account's owner, a "someone tried" notice); POST /accounts/confirm
// with the code creates the account and the first session. Pending sign-ups expire and never block the address.
import { confirmSignupRequest, signupRequest } from "@cryptex/core/wire/api.ts";
import { authMessage, SIGNUP_CHALLENGE } from "@cryptex/core/wire/auth-message.ts";
import { paceAuth, rateLimit } from "../auth/authenticate.ts";
import { hashMailCode, MAIL_CODE_TTL_MS, newMailCode } from "../auth/mail-code.ts";
import { LIMITS } from "../auth/rate-limit.ts";
import { verifySignature } from "../auth/signature.ts";
import { b64u, fromB64u, randomToken } from "../auth/tokens.ts";
import type { Deps } from "../deps.ts";
import { ApiError } from "../errors.ts";
import { readJson, UNAUTHENTICATED_BODY } from "../http/body.ts";
import type { Route } from "../http/router.ts";
import { sendNotice, sendQrMail } from "./answers.ts";
import { newSession } from "./auth.ts";

/** What a pending sign-up keeps until its code is confirmed: only what the account will hold, no secret. */
interface PendingAccount {
  readonly accountId: string;
  readonly email: string;
  readonly authPublicKey: string;
  readonly verifier: string;
  readonly wrappedEak: string;
  readonly deviceName: string;
}

const CODE_INVALID = "the code is wrong, used or expired: check the mail, or start the sign-up again for a new code";

export function signupRoutes(deps: Deps): Route[] {
  const { store, config } = deps;
  return [
    {
      method: "POST",
      pattern: "/api/v1/accounts",
      async handler({ req, ip }) {
        rateLimit(deps, `signup:${ip}`, LIMITS.signupPerIp);
        await paceAuth(deps);
        const body = await readJson(req, signupRequest, UNAUTHENTICATED_BODY);
        const publicKey = fromB64u(body.authPublicKey, "authPublicKey");
        fromB64u(body.verifier, "verifier");
        fromB64u(body.wrappedEak, "wrappedEak");
        const message = authMessage("signup", config.origin, body.accountId, SIGNUP_CHALLENGE, publicKey);
        if (!verifySignature(publicKey, message, fromB64u(body.signature, "signature"))) {
          throw new ApiError("forbidden", "the sign-up signature does not match the auth public key");
        }
        rateLimit(deps, `mail-to:${body.email.toLowerCase()}`, LIMITS.mailPerRecipient);
        const existing = await store.findAccountByEmail(body.email);
        const pendingId = b64u(randomToken());
        const expiresAt = deps.now() + MAIL_CODE_TTL_MS;
        const code = newMailCode();
        const pending: PendingAccount = {
          accountId: body.accountId,
          email: body.email,
          authPublicKey: body.authPublicKey,
          verifier: body.verifier,
          wrappedEak: body.wrappedEak,
          deviceName: body.deviceName,
        };
        // Stored either way (same work, same answer); for a taken address no one ever sees the code.
        await store.putMailCode({
          id: pendingId,
          purpose: "signup",
          email: body.email,
          codeHash: hashMailCode(pendingId, code),
          payload: existing ? "" : JSON.stringify(pending),
          expiresAt,
        });
        const sent = await sendNotice(deps, body.email, existing ? { kind: "signup-exists" } : { kind: "signup-code", code });
        if (!sent) throw new ApiError("mail_failed", "the mail with the confirmation code could not be sent; try again later");
        return { status: 202, body: { pendingId, expiresAt } };
      },
    },
    {
      method: "POST",
      pattern: "/api/v1/accounts/confirm",
      async handler({ req, ip }) {
        rateLimit(deps, `confirm:${ip}`, LIMITS.signupPerIp);
        await paceAuth(deps);
        const body = await readJson(req, confirmSignupRequest, UNAUTHENTICATED_BODY);
        if (body.sendEmail !== (body.eakText !== undefined))
          throw new ApiError("bad_request", "eakText is sent with sendEmail: true only (it is mailed, never kept)");
        const taken = await store.takeMailCode(body.pendingId, "signup", hashMailCode(body.pendingId, body.code), deps.now());
        if (!taken?.payload) throw new ApiError("code_invalid", CODE_INVALID);
        const p = JSON.parse(taken.payload) as PendingAccount;
        const { session, token, tokenHash } = newSession(deps, p.accountId, p.deviceName);
        const account = {
          id: p.accountId,
          email: p.email,
          authPublicKey: p.authPublicKey,
          verifier: p.verifier,
          wrappedEak: p.wrappedEak,
          eakGeneration: 0,
          resetEpoch: 0,
          revision: 0,
          emailEnabled: body.sendEmail,
          kit: body.kit,
          createdAt: session.createdAt,
        };
        // Only the holder of a valid code for this address learns that another sign-up won the race.
        if ((await store.createAccount(account, session, tokenHash)) === "taken")
          throw new ApiError("email_taken", "this address got an account meanwhile (another sign-up was confirmed first): sign in");
        if (body.eakText !== undefined) await sendQrMail(deps, p.email, body.eakText, "signup");
        deps.log.info("account created", { session: session.id.slice(0, 8) });
        return { status: 201, body: { token, sessionId: session.id, expiresAt: session.expiresAt } };
      },
    },
  ];
}
