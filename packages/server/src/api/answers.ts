// Store records → wire answers, and the QR mail send shared by sign-up, password change, resend and reset.
import type { AccountAnswer } from "@cryptex/core/wire/api.ts";
import type { Deps } from "../deps.ts";
import { buildQrMail } from "../mail/qr-mail.ts";
import type { Account } from "../store/store.ts";

export const toAccountAnswer = (a: Account): AccountAnswer => ({
  accountId: a.id,
  email: a.email,
  verifier: a.verifier,
  wrappedEak: a.wrappedEak,
  eakGeneration: a.eakGeneration,
  resetEpoch: a.resetEpoch,
  revision: a.revision,
  emailEnabled: a.emailEnabled,
  createdAt: a.createdAt,
});

/** Sends the QR mail; a mail failure is logged and counted but does not undo the account change. */
export async function sendQrMail(
  deps: Deps,
  to: string,
  eakText: string,
  reason: "signup" | "password" | "resend" | "reset" | "rotate",
): Promise<boolean> {
  const transport = deps.mailer.transport;
  try {
    await deps.mailer.send(buildQrMail(to, eakText, deps.config.publicUrl, reason));
    deps.metrics.inc("cryptex_mail_total", { transport, result: "sent" });
    return true;
  } catch (e) {
    deps.metrics.inc("cryptex_mail_total", { transport, result: "failed" });
    deps.log.error("mail failed", { transport, reason, error: (e as { code?: string }).code ?? "error" });
    return false;
  }
}
