// Which Emergency Kit (EAK text) is an account's current one, without keeping the kit: the first 16 bytes of
// SHA-256 over the text's UTF-8, base64url — the same function as core's kitFingerprint (client/account.ts).
// A client whose sign-in fails can then tell "this kit is from before a password change" from "wrong password".
// Unknown e-mails, and accounts made before the fingerprint was kept, get a stable fake one (HMAC of the e-mail),
// so the answer has the same shape for every e-mail and does not tell who has an account.
import { createHash, createHmac } from "node:crypto";

export function kitFingerprint(eakText: string): string {
  return createHash("sha256").update(eakText, "utf8").digest().subarray(0, 16).toString("base64url");
}

export function fakeKit(secret: Uint8Array, email: string): string {
  return createHmac("sha256", secret).update(`cryptex/fake-kit/${email.toLowerCase()}`).digest().subarray(0, 16).toString("base64url");
}
