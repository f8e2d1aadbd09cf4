// Store records → wire answers, and the mail sends shared by the account routes (QR mails and notices).
import type { AccountAnswer } from "@cryptex/core/wire/api.ts";
import type { Deps } from "../deps.ts";
import type { Mail } from "../mail/mailer.ts";
import { buildNoticeMail, type NoticeMail } from "../mail/notice-mail.ts";
import { buildQrMail, type QrMailReason } from "../mail/qr-mail.ts";
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
export const sendQrMail = (deps: Deps, to: string, eakText: string, reason: QrMailReason): Promise<boolean> =>
  send(deps, buildQrMail(to, eakText, deps.config.publicUrl, reason), reason);

/** Sends a notice (code, sign-in, …); false when it failed (logged and counted, never thrown). */
export const sendNotice = (deps: Deps, to: string, notice: NoticeMail): Promise<boolean> =>
  send(deps, buildNoticeMail(to, notice, deps.config.publicUrl), notice.kind);

async function send(deps: Deps, mail: Mail, reason: string): Promise<boolean> {
  const transport = deps.mailer.transport;
  try {
    await deps.mailer.send(mail);
    deps.metrics.inc("cryptex_mail_total", { transport, result: "sent" });
    return true;
  } catch (e) {
    deps.metrics.inc("cryptex_mail_total", { transport, result: "failed" });
    deps.log.error("mail failed", { transport, reason, error: (e as { code?: string }).code ?? "error" });
    return false;
  }
}
