// The CLI's own typed errors: a stable code each; exit-codes.ts turns every code into an exit code and text.

export const CLI_ERROR_CODES = [
  "usage", // bad command line
  "not_found", // no item matches
  "ambiguous", // several items match a title
  "locked", // no valid session and no password available
  "no_vault", // nothing signed up or signed in under this home
  "vault_exists", // signup/signin into a home that already holds an account
  "password_mismatch", // the two entries of a new password differ
  "store_unavailable", // the SQLite file cannot be opened
  "network", // the server cannot be reached (DNS, TCP, TLS)
  "sync_target", // the sync folder or WebDAV server cannot be reached or refuses this device
  "file", // a file cannot be read or written
  "interrupted", // Ctrl-C at a prompt
  "password_changed", // another device changed the Account Password
  "account_reset", // the account was reset on another device
  "key_rotated", // the Account Key was replaced on another device
  "rotation_pending", // a rotation started here must be finished (cryptex account rotate-key)
  "wrong_password", // the same code as core's, with CLI-specific advice
  "signed_out", // the server ended this device's session and no password can be asked to sign in again
  "attachment_incomplete", // an attachment's blob is not (completely) in the sync folder or WebDAV yet: try again later
  "attachment_mismatch", // the sync folder's file for an attachment holds another attachment's blob, or more bytes
] as const;

export type CliErrorCode = (typeof CLI_ERROR_CODES)[number];

export class CliError extends Error {
  readonly code: CliErrorCode;
  constructor(code: CliErrorCode, message: string) {
    super(message);
    this.name = "CliError";
    this.code = code;
  }
}
