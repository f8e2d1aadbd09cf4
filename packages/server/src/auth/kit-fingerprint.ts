// Which Emergency Kit (EAK text) is an account's current one, without ever seeing the kit: the client sends the
// first 16 bytes of SHA-256 over the text (core's kitFingerprint, client/account.ts) with a sign-up, password change
// or reset, and the server hands it back in the sign-in challenge. A client whose sign-in fails can then tell "this
// kit is from before a password change" from "wrong password". The fingerprint does not help guess the password: that
// needs the EAK itself. Unknown e-mails, and accounts made before the fingerprint was kept, get a stable fake one
// (HMAC of the e-mail), so the answer has the same shape for every e-mail and does not tell who has an account.
import { createHmac } from "node:crypto";

export function fakeKit(secret: Uint8Array, email: string): string {
  return createHmac("sha256", secret).update(`cryptex/fake-kit/${email.toLowerCase()}`).digest().subarray(0, 16).toString("base64url");
}
