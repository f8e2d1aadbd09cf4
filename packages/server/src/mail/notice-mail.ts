// The mails that carry no key: sign-up code, "someone tried to create an account with your address",
// new sign-in notice, forgotten-password code and "your account was wiped". Each has its own subject.
import type { Mail } from "./mailer.ts";
import { escapeHtml } from "./qr-mail.ts";

export type NoticeMail =
  | { readonly kind: "signup-code"; readonly code: string }
  | { readonly kind: "signup-exists" }
  | { readonly kind: "signin"; readonly deviceName: string; readonly at: number }
  | { readonly kind: "forgot-code"; readonly code: string }
  | { readonly kind: "wiped" };

export const NOTICE_SUBJECTS: Readonly<Record<NoticeMail["kind"], string>> = {
  "signup-code": "Cryptex: your code to confirm your e-mail address",
  "signup-exists": "Cryptex: someone tried to create an account with your address",
  signin: "Cryptex: a new device signed in to your account",
  "forgot-code": "Cryptex: your code to reset your account (erases its data)",
  wiped: "Cryptex: your account was erased",
};

const spaced = (code: string) => `${code.slice(0, 4)} ${code.slice(4)}`;
/** Device names come from clients: one line, printable, bounded. */
const safeName = (s: string) => s.replace(/[\p{Cc}\p{Cf}]/gu, " ").slice(0, 100);

function lines(m: NoticeMail, publicUrl: string, hours: number): string[] {
  switch (m.kind) {
    case "signup-code":
      return [
        `Your Cryptex confirmation code: ${spaced(m.code)}`,
        "",
        `Enter it where you are creating your account (${publicUrl}, or cryptex signup). It works once, for ${hours} hours.`,
        "If you did not ask for it, ignore this mail: no account is created without the code.",
      ];
    case "signup-exists":
      return [
        `Someone tried to create a Cryptex account at ${publicUrl} with your e-mail address, which already has an account.`,
        "Nothing changed: your account and its data are as they were.",
        'If it was you: sign in instead. If you forgot your Account Password, use "Forgot password?" on the sign-in screen',
        "(it erases the old data, which no one can recover without the password and Account QR Code).",
        "If it was not you, you need not do anything.",
      ];
    case "signin":
      return [
        `A new device signed in: ${safeName(m.deviceName)}, ${new Date(m.at).toUTCString()}`,
        "",
        "If this was you, all is well.",
        `If not, someone has your Account Password and your Account QR Code: sign in at ${publicUrl},`,
        "remove the device under Settings and change your Account Password.",
      ];
    case "forgot-code":
      return [
        `Your code to reset your Cryptex account: ${spaced(m.code)}`,
        "",
        `It works once, for ${hours} hours. Entering it ERASES every item of the account on the server.`,
        "No one can recover them: not you, not the server's operator, not us. Devices that are still signed in keep",
        "their own copy, which you can export there first. After the reset you can create a new account with this address.",
        "If you did not ask for it, ignore this mail: nothing happens without the code.",
      ];
    case "wiped":
      return [
        "Your Cryptex account was erased with a code sent to this address (Forgot password?).",
        "Its data on the server is gone and cannot be recovered by anyone. Devices that were signed in keep their own",
        "copy for export. You can create a new account with this address.",
      ];
  }
}

export function buildNoticeMail(to: string, m: NoticeMail, publicUrl: string, codeHours = 24): Mail {
  const text = lines(m, publicUrl, codeHours);
  return {
    to,
    subject: NOTICE_SUBJECTS[m.kind],
    text: `${text.join("\n")}\n`,
    html: `<!doctype html><html><body>${text.map((l) => (l ? `<p>${escapeHtml(l)}</p>` : "")).join("\n")}</body></html>`,
  };
}
