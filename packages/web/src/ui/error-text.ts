// The one place where error codes become the words a user reads.
import { ApiError } from "@cryptex/core/client/api-client.ts";
import { CryptexError } from "@cryptex/core/errors.ts";

const CORE: Record<string, string> = {
  wrong_password: "Wrong account password. Check it and try again.",
  stale_kit:
    "This Emergency Kit or QR code is from before the account password was changed. Use the newest one (it was mailed to you after the change) with the new password.",
  // said the same whether or not the e-mail has an account here, so sign-in cannot tell who has one
  foreign_key:
    "No account with this e-mail and QR code pair exists. Check the e-mail address, and use the QR code from this account's Emergency Kit or mail.",
  qr_unreadable: "The image could not be read as a QR code. Try a sharper image, or paste the text instead.",
  unsupported_format: "This is not a Cryptex encrypted account key.",
  tampered: "The encrypted account key is damaged. Paste it again or use the QR code image.",
  kdf_params_rejected: "The account key asks for unsafe key-derivation settings and was refused.",
  weak_password: "The password is too weak.",
  invalid_input: "Some input is not valid.",
  invalid_item: "An item could not be read.",
  rollback: "The server sent an older version of an item than this device has seen.",
  origin_mismatch: "The server's address does not match the one this page was loaded from.",
  account_reset: "The account was reset on another device. Sign in again.",
  rotation_pending: "An Account Key replacement was interrupted: finish it in Settings.",
  rotation_incomplete: "Some items on the server could not be re-encrypted; the Account Key was not replaced.",
  rotation_unsupported:
    "This account syncs through a shared folder or WebDAV, whose log is sealed under the current Account Key. Switch every device to the server method first; nothing was changed.",
};

const API: Record<string, string> = {
  network: "The server cannot be reached. Check your connection.",
  email_taken: "An account with this e-mail already exists. Sign in instead.",
  code_invalid: "That code is wrong, used or expired. Check the mail, or start again for a new code.",
  mail_failed: "The server could not send the mail. Try again later.",
  bad_request: "The server refused this input. Check the e-mail address: one plain address like name@example.org.",
  unauthorized: "Sign-in failed: the account password or QR code does not match this e-mail.",
  forbidden: "The server refused the request.",
  rate_limited: "Too many attempts. Wait a minute and try again.",
  origin_mismatch: "The server's address does not match the one this page was loaded from.",
  bad_answer: "The server sent a malformed answer.",
  answer_too_large: "The server's answer is too large.",
  too_large: "The request is too large for the server.",
  quota_exceeded: "The account's storage on the server is full. Delete items (and empty the trash) to make room.",
  key_rotated: "The Account Key was replaced on another device. Sign in again with the new QR code.",
  rotation_incomplete: "Items changed during the Account Key replacement. Try again.",
};

export function errorText(e: unknown): string {
  if (e instanceof CryptexError) {
    if (e.code === "weak_password" || e.code === "invalid_input") return e.message;
    return CORE[e.code] ?? e.message;
  }
  if (e instanceof ApiError) return API[e.code] ?? `The server answered: ${e.message}`;
  return "Something went wrong. Please try again.";
}

/**
 * Words for a failed request of an unlocked device: a 401 there means this device's session was ended
 * (revoked from another device, or expired), not a wrong password.
 */
export function sessionErrorText(e: unknown): string {
  if (e instanceof ApiError && e.status === 401 && e.code === "unauthorized")
    return "This device was signed out (removed from the account's devices, or its session expired). Items on this device are kept: sign in again to sync them.";
  return errorText(e);
}

/** A stable code for tests and for choosing a message's style. */
export function errorCode(e: unknown): string {
  return e instanceof CryptexError || e instanceof ApiError ? e.code : "internal";
}
