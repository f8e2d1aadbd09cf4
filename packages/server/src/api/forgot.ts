// Forgotten password (docs/api.md): POST /auth/forgot mails a code to an account's address (the answer is the
// same for unknown addresses); POST /auth/forgot/confirm with that code erases the account's server copy, so
// the address can sign up again. The data cannot be recovered by anyone: the server never had the keys.
// Signed-in devices are told `account_reset` and keep their local copy for export.
import { forgotConfirmRequest, forgotRequest } from "@cryptex/core/wire/api.ts";
import { paceAuth, rateLimit } from "../auth/authenticate.ts";
import { hashMailCode, MAIL_CODE_TTL_MS, newMailCode } from "../auth/mail-code.ts";
import { LIMITS } from "../auth/rate-limit.ts";
import type { Deps } from "../deps.ts";
import { ApiError } from "../errors.ts";
import { readJson, UNAUTHENTICATED_BODY } from "../http/body.ts";
import type { Route } from "../http/router.ts";
import { sendNotice } from "./answers.ts";

const forgotId = (email: string) => `forgot:${email.toLowerCase()}`;

export function forgotRoutes(deps: Deps): Route[] {
  const { store } = deps;
  return [
    {
      method: "POST",
      pattern: "/api/v1/auth/forgot",
      async handler({ req, ip }) {
        rateLimit(deps, `forgot:${ip}`, LIMITS.signupPerIp);
        await paceAuth(deps);
        const { email } = await readJson(req, forgotRequest, UNAUTHENTICATED_BODY);
        rateLimit(deps, `mail-to:${email.toLowerCase()}`, LIMITS.mailPerRecipient);
        const account = await store.findAccountByEmail(email);
        if (account) {
          const id = forgotId(email);
          const code = newMailCode();
          await store.putMailCode({
            id,
            purpose: "forgot",
            email: account.email,
            codeHash: hashMailCode(id, code),
            payload: account.id,
            expiresAt: deps.now() + MAIL_CODE_TTL_MS,
          });
          // a failed mail is logged, not answered: the answer must not depend on the address having an account
          await sendNotice(deps, account.email, { kind: "forgot-code", code });
        }
        return { status: 202 };
      },
    },
    {
      method: "POST",
      pattern: "/api/v1/auth/forgot/confirm",
      async handler({ req, ip }) {
        rateLimit(deps, `forgot-confirm:${ip}`, LIMITS.signupPerIp);
        await paceAuth(deps);
        const { email, code } = await readJson(req, forgotConfirmRequest, UNAUTHENTICATED_BODY);
        const id = forgotId(email);
        const taken = await store.takeMailCode(id, "forgot", hashMailCode(id, code), deps.now());
        const account = taken && (await store.findAccountByEmail(email));
        if (!taken || !account || account.id !== taken.payload)
          throw new ApiError("code_invalid", "the code is wrong, used or expired: ask for a new one");
        await store.deleteAccount(account.id, "reset");
        await deps.blobs.removeAccount(account.id);
        await store.publish({ type: "revoked", accountId: account.id, sessionIds: "all" });
        await sendNotice(deps, account.email, { kind: "wiped" });
        deps.log.info("account erased by a mailed code");
        return { status: 204 };
      },
    },
  ];
}
