// The Account QR Code mail: the EAK as a QR code (inline PNG) and as text, with short instructions and a
// subject that says why it was sent. The EAK is encrypted under the Account Password, so mailing it is by
// design; the server sends it only when the client asked for the mail, and keeps no copy.
import { qrToPng } from "@cryptex/core/formats/qr.ts";
import type { Mail } from "./mailer.ts";

export type QrMailReason = "signup" | "password" | "resend" | "reset" | "rotate";

export const QR_MAIL_SUBJECTS: Readonly<Record<QrMailReason, string>> = {
  signup: "IMPORTANT: Cryptex Account QR Code for your new account",
  password: "IMPORTANT: Cryptex Account QR Code after your password change",
  resend: "IMPORTANT: Cryptex Account QR Code, sent again as you asked",
  reset: "IMPORTANT: Cryptex Account QR Code after your account reset",
  rotate: "IMPORTANT: your new Cryptex Account QR Code (the Account Key was replaced)",
};
const CID = "cryptex-account-qr@cryptex";

export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function buildQrMail(to: string, eakText: string, publicUrl: string, reason: QrMailReason): Mail {
  const why = {
    signup: "Your Cryptex account was created.",
    password:
      "Your Account Password was changed. Use this QR code with your new password from now on; an older QR code " +
      "opens the account only with the old password. Your Account Key did not change.",
    resend: "You asked for your Account QR Code again.",
    reset: "Your Cryptex account was reset. This QR code replaces every earlier one.",
    rotate:
      "Your Account Key was replaced with a new one. This QR code replaces every earlier one: old codes open nothing added from now on.",
  }[reason];
  const steps = [
    `1. Open Cryptex on the new device (${publicUrl}) or run \`cryptex signin\`.`,
    "2. Enter your e-mail address and your Account Password.",
    "3. Scan or upload the QR code in this mail, or paste the text below.",
  ];
  const text = [
    why,
    "",
    "Keep this mail. You need the QR code (or the text below) and your Account Password to sign in on a new device.",
    "The code is encrypted with your Account Password: it is useless without it. Never share your Account Password.",
    "",
    ...steps,
    "",
    "Account QR Code as text:",
    eakText,
    "",
  ].join("\n");
  const html = `<!doctype html><html><body>
<p>${escapeHtml(why)}</p>
<p><strong>Keep this mail.</strong> You need the QR code (or the text below) and your Account Password to sign in on a new device.
The code is encrypted with your Account Password: it is useless without it. Never share your Account Password.</p>
<p><img src="cid:${CID}" alt="Cryptex Account QR Code" width="300" height="300"></p>
<ol>${steps.map((s) => `<li>${escapeHtml(s.slice(3))}</li>`).join("")}</ol>
<p>Account QR Code as text:<br><code>${escapeHtml(eakText)}</code></p>
</body></html>`;
  return {
    to,
    subject: QR_MAIL_SUBJECTS[reason],
    text,
    html,
    image: { filename: "cryptex-account-qr.png", png: qrToPng(eakText, 6), cid: CID },
  };
}
