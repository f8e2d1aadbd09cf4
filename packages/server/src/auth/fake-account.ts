// Stable fake account ids for unknown e-mails, so /auth/challenge answers the same shape for every
// e-mail and does not tell who has an account: HMAC-SHA256(server secret, lower-cased e-mail) as a UUID v4.
import { createHmac } from "node:crypto";

export function fakeAccountId(secret: Uint8Array, email: string): string {
  const h = createHmac("sha256", secret).update(`cryptex/fake-account/${email.toLowerCase()}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x40;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString("hex");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}
