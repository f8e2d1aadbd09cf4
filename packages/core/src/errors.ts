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
  "pair_unknown", // no device waits under this pairing code (mistyped, expired or never shown)
  "pair_used", // the pairing code was already claimed by another device
  "pair_rejected", // the other device's user refused, or the other device gave up
  "pair_timeout", // the other device did not answer within the pairing's lifetime
  "too_large", // an item larger than LIMITS.itemBytes: it could not sync, so it is not saved

  "stale_kit", // sign-in with an Emergency Kit / QR code older than the account's current one (password changed since)
  "rotation_pending", // an Account Key rotation was started on this device and must be finished first
  "rotation_incomplete", // the server holds items this device could not re-encrypt: the rotation stopped, nothing switched
  "rotation_unsupported", // the account syncs through a folder or WebDAV log sealed under the current key: no rotation
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
