// Signed account actions: consumes the one-time action challenge, then checks the current auth key's signature.
import type { Deps } from "../deps.ts";
import { ApiError } from "../errors.ts";
import type { Account } from "../store/store.ts";
import { verifySignature } from "./signature.ts";
import { fromB64u } from "./tokens.ts";

export async function checkSigned(
  deps: Pick<Deps, "store" | "now">,
  a: Account,
  challengeText: string,
  signatureText: string,
  message: (challenge: Uint8Array) => Uint8Array,
): Promise<void> {
  const challenge = fromB64u(challengeText, "challenge");
  const signature = fromB64u(signatureText, "signature");
  if (!(await deps.store.takeChallenge(challenge, a.id, "action", deps.now()))) {
    throw new ApiError("challenge_invalid", "the challenge is unknown, used or expired: ask for a new one");
  }
  if (!verifySignature(fromB64u(a.authPublicKey, "authPublicKey"), message(challenge), signature)) {
    throw new ApiError("forbidden", "the signature does not match the account's current auth key");
  }
}
