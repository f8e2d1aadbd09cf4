// The "IMPORTANT: Cryptex Account QR Code" mail: the EAK as a QR code (inline PNG) and as text, with short
// instructions. The EAK is encrypted under the Account Password, so mailing it is by design (DESIGN.md §2–§3).
import { qrToPng } from "@cryptex/core/formats/qr.ts";

export const QR_MAIL_SUBJECT = "IMPORTANT: Cryptex Account QR Code";
const CID = "cryptex-account-qr@cryptex";

export interface QrMail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly png: Uint8Array;
  readonly cid: string;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function buildQrMail(
  to: string,
  eakText: string,
  publicUrl: string,
  reason: "signup" | "password" | "resend" | "reset" | "rotate",
): QrMail {
  const why = {
    signup: "Your Cryptex account was created.",
    password: "Your Account Password was changed, so your Account QR Code changed too. The old one no longer works.",
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
  return { to, subject: QR_MAIL_SUBJECT, text, html, png: qrToPng(eakText, 6), cid: CID };
}
