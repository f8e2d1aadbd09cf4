// The words for a failed pairing; other failures fall through to the general messages.
import { errorText } from "./error-text.ts";

const PAIRING: Record<string, string> = {
  pair_unknown: "No device waits under this pairing code. Check it, or ask for a new one.",
  pair_used: "This pairing code was already used. Start again with a new code.",
  pair_rejected: "The other device did not approve. Nothing was sent.",
  pair_timeout: "The other device did not answer in time. Start again with a new code.",
  tampered: "The pairing was interfered with and has been stopped. Start again with a new code.",
  origin_mismatch: "This pairing code belongs to another server.",
  unsupported_format: "This pairing code is mistyped or comes from another version of Cryptex.",
  foreign_key: "The approving device is signed in to another account.",
};

export function pairingErrorText(e: unknown): string {
  const code = (e as { code?: unknown })?.code;
  if (typeof code === "string" && Object.hasOwn(PAIRING, code)) return PAIRING[code]!;
  return errorText(e);
}
