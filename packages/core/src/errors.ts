// Typed errors of the core library: a stable `code` for every failure a caller must tell apart.
// Apps map codes to exit codes / HTTP status / UI text in one place; no UI text lives here.

export const ERROR_CODES = [
  "wrong_password", // the EAK did not decrypt under the given password
  "foreign_key", // a QR code / EAK / verifier that belongs to another account
  "unsupported_format", // unknown magic, version or text prefix
  "kdf_params_rejected", // KDF parameters below the floor or above the ceiling
  "tampered", // an authenticated ciphertext failed to verify (one detail-free error)
  "invalid_item", // a decrypted item that does not match the item schema
  "weak_password", // the Account Password check refused it
  "invalid_input", // a malformed value from a user, file or server
  "qr_unreadable", // no QR code could be found or decoded in an image
  "rollback", // a ciphertext older than one already seen
  "origin_mismatch", // the server calls itself by another origin than the one we connected to
  "account_reset", // the account was reset elsewhere: local state is stale and must be replaced
  "rotation_pending", // an Account Key rotation was started on this device and must be finished first
  "rotation_incomplete", // the server holds items this device could not re-encrypt: the rotation stopped, nothing switched
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class CryptexError extends Error {
  readonly code: ErrorCode;
  readonly detail: Record<string, unknown> | undefined;
  constructor(code: ErrorCode, message: string, detail?: Record<string, unknown>) {
    super(message);
    this.name = "CryptexError";
    this.code = code;
    this.detail = detail;
  }
}

export function isCryptexError(e: unknown, code?: ErrorCode): e is CryptexError {
  return e instanceof CryptexError && (code === undefined || e.code === code);
}
