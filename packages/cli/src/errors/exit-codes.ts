// The one map from every error code (core CryptexError, ApiError, CliError) to an exit code and the text
// the user sees. Documented in docs/cli.md and `cryptex --help`.

export interface ExitInfo {
  readonly exit: number;
  readonly code: string;
  readonly message: string;
}

const EXIT: Record<string, number> = {
  usage: 2,
  not_found: 3,
  ambiguous: 4,
  locked: 5,
  wrong_password: 6,
  stale_kit: 6,
  foreign_key: 7,
  qr_unreadable: 8,
  invalid_input: 9,
  unsupported_format: 9,
  tampered: 9,
  kdf_params_rejected: 9,
  invalid_item: 9,
  too_large: 9,
  rollback: 9,
  bad_answer: 9,
  answer_too_large: 9,
  origin_mismatch: 9,
  attachment_mismatch: 9,
  weak_password: 10,
  password_mismatch: 10,
  no_vault: 11,
  vault_exists: 11,
  network: 12,
  sync_target: 12,
  unauthorized: 13,
  forbidden: 13,
  email_taken: 13,
  code_invalid: 13,
  signed_out: 13,
  store_unavailable: 17,
  file: 17,
  password_changed: 15,
  account_reset: 16,
  pair_unknown: 18,
  pair_used: 18,
  pair_rejected: 18,
  pair_timeout: 18,
  key_rotated: 19,
  rotation_pending: 19,
  rotation_incomplete: 19,
  rotation_unsupported: 19,
  attachment_incomplete: 20,
  interrupted: 130,
};

/** Extra words for codes whose raw message needs context for a person at a terminal. */
const HINT: Record<string, string> = {
  wrong_password: "Wrong Account Password.",
  stale_kit:
    "This Emergency Kit (QR code) is from before the Account Password was changed: use the newest one, mailed after the change, with the new password.",
  foreign_key: "This QR code or key belongs to another account.",
  locked: "The vault is locked.",
  unauthorized:
    "The server refused this device's session (signed out from another device, or expired): cryptex sync signs in again with the Account Password.",
  email_taken: "An account with this e-mail already exists on the server.",
  code_invalid: "The code from the mail was not accepted.",
  mail_failed: "The server could not send the mail.",
  network: "Cannot reach the server (a self-signed server needs --ca FILE or NODE_EXTRA_CA_CERTS).",
  tampered: "Data failed its integrity check (damaged or altered).",
  pair_unknown: "Pairing failed.",
  pair_used: "Pairing failed.",
  pair_rejected: "Pairing failed.",
  pair_timeout: "Pairing failed.",
  too_large: "Too large to save and sync: shorten its notes or fields.",
};

export function toExitInfo(e: unknown): ExitInfo {
  if (e instanceof Error && typeof (e as { code?: unknown }).code === "string") {
    const code = (e as unknown as { code: string }).code;
    const status = (e as { status?: unknown }).status;
    const known = EXIT[code];
    const exit = known ?? (typeof status === "number" ? 14 : 1);
    const hint = HINT[code];
    // a message that already says what was wrong ("wrong password for this file") needs no hint
    const selfSpoken =
      hint &&
      (e.message.toLowerCase().startsWith(hint.toLowerCase().slice(0, 12)) || (code === "wrong_password" && /^wrong /i.test(e.message)));
    const message = hint && !selfSpoken ? `${hint} ${e.message}` : e.message;
    return { exit, code, message: message || code };
  }
  return { exit: 1, code: "internal", message: `internal error: ${e instanceof Error ? e.message : String(e)}` };
}
