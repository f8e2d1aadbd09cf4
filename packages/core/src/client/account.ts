// Account flows of docs/architecture.md on the client: sign up, sign in on a new device, unlock, change password,
// reset. Secrets stay in this module's locals and the returned key objects; nothing secret is sent, and the
// EAK text (encrypted under the password) only in a request that asks the server to mail it.
// The password strength check is the caller's (it loads large dictionaries: keys/password-strength.ts).
import type { SigningKeyPair } from "../crypto/ed25519.ts";
import { sha256 } from "../crypto/sha256.ts";
import { b64uDecode, b64uEncode } from "../encoding/base64.ts";
import { CryptexError, isCryptexError } from "../errors.ts";
import { createEak, type Eak, eakToText, openEak, parseEak, parseEakText } from "../formats/eak.ts";
import { checkVerifier, createVerifier } from "../formats/verifier.ts";
import { unwrapEak, wrapEak } from "../formats/wrapped-eak.ts";
import { type AccountKey, generateAccountKey } from "../keys/account-key.ts";
import { deriveAuthKey } from "../keys/auth-key.ts";
import { type AccountKeys, deriveAccountKeys } from "../keys/derive.ts";
import { type AccountId, newAccountId, parseAccountId } from "../keys/ids.ts";
import { KDF_DEFAULT, type KdfParams } from "../keys/kdf.ts";
import type { AccountAnswer, SessionAnswer } from "../wire/api.ts";
import { authMessage, changePasswordPayload, resetPayload, SIGNUP_CHALLENGE } from "../wire/auth-message.ts";
import { type ApiClient, ApiError } from "./api-client.ts";

/** What a device holds after signing up or in: everything needed to fill its VaultMeta and unlock. */
export interface OpenedAccount {
  readonly accountId: AccountId;
  readonly accountKey: AccountKey;
  readonly keys: AccountKeys;
  readonly eak: Eak;
  readonly eakText: string;
  readonly eakGeneration: number;
  readonly resetEpoch: number;
  readonly session: SessionAnswer;
}

const challengeBytes = (c: string): Uint8Array => {
  const b = b64uDecode(c);
  if (b?.length !== 32) throw new CryptexError("invalid_input", "malformed challenge");
  return b;
};

function checkOrigin(api: ApiClient, origin: string): void {
  if (origin !== api.origin) {
    throw new CryptexError(
      "origin_mismatch",
      `the server calls itself ${origin.slice(0, 200)}, but we connected to ${api.origin}; use that address`,
    );
  }
}

export interface SignUpInput {
  api: ApiClient;
  email: string;
  password: string;
  deviceName: string;
  kdf?: KdfParams;
}

/**
 * A sign-up waiting for the code mailed to the address. Holds the new keys on this device only; nothing
 * secret was sent (the server got the auth public key, the verifier and the wrapped EAK).
 */
export interface PendingSignUp {
  readonly accountId: AccountId;
  readonly accountKey: AccountKey;
  readonly keys: AccountKeys;
  readonly eak: Eak;
  readonly eakText: string;
  readonly email: string;
  readonly pendingId: string;
  readonly expiresAt: number;
}

/** Step 1: new keys, then ask the server to mail a confirmation code. No EAK leaves the device. */
export async function startSignUp(input: SignUpInput): Promise<PendingSignUp> {
  const { api } = input;
  const accountId = newAccountId();
  const accountKey = generateAccountKey();
  const { eak, stretched } = await createEak(input.password, accountKey, accountId, input.kdf ?? KDF_DEFAULT);
  const keys = await deriveAccountKeys(accountKey, accountId);
  const auth = await deriveAuthKey(stretched, accountKey, accountId);
  const answer = await api.signup({
    accountId,
    email: input.email,
    authPublicKey: b64uEncode(auth.publicKey),
    signature: b64uEncode(auth.sign(authMessage("signup", api.origin, accountId, SIGNUP_CHALLENGE, auth.publicKey))),
    verifier: await createVerifier(keys),
    wrappedEak: await wrapEak(keys, eak, 0),
    deviceName: input.deviceName,
  });
  return { accountId, accountKey, keys, eak, eakText: eakToText(eak), email: input.email, ...answer };
}

/** Reads a mailed code as people type it ("1234 5678", "1234-5678"); undefined when it is not 8 digits. */
export function normalizeMailCode(text: string): string | undefined {
  const code = text.replace(/[\s-]/g, "");
  return /^[0-9]{8}$/.test(code) ? code : undefined;
}

/**
 * Step 2: the mailed code creates the account and this device's session. With `sendEmail`, the EAK text goes
 * in this one request so the server can mail the QR code (it keeps no copy).
 */
export async function confirmSignUp(api: ApiClient, pending: PendingSignUp, codeText: string, sendEmail: boolean): Promise<OpenedAccount> {
  const code = normalizeMailCode(codeText);
  if (!code) throw new CryptexError("invalid_input", "the confirmation code is the 8 digits from the mail");
  const session = await api.confirmSignup({
    pendingId: pending.pendingId,
    code,
    sendEmail,
    kit: kitFingerprint(pending.eak),
    ...(sendEmail ? { eakText: pending.eakText } : {}),
  });
  api.token = session.token;
  const { accountId, accountKey, keys, eak, eakText } = pending;
  return { accountId, accountKey, keys, eak, eakText, eakGeneration: 0, resetEpoch: 0, session };
}

/** What a device may keep of a pending sign-up to finish it in a later run: nothing opens without the password. */
export interface SavedSignUp {
  readonly accountId: string;
  readonly email: string;
  /** the EAK, encrypted under the Account Password (as every device stores it) */
  readonly eak: Uint8Array;
  readonly pendingId: string;
  readonly expiresAt: number;
}

export const toSavedSignUp = (p: PendingSignUp): SavedSignUp => ({
  accountId: p.accountId,
  email: p.email,
  eak: p.eak.bytes,
  pendingId: p.pendingId,
  expiresAt: p.expiresAt,
});

/** Reopens a saved pending sign-up with the password (one Argon2id run), ready for confirmSignUp. */
export async function resumeSignUp(saved: SavedSignUp, password: string): Promise<PendingSignUp> {
  const { accountKey, keys } = await unlockWithPassword({ accountId: saved.accountId, eak: saved.eak }, password);
  const eak = parseEak(saved.eak);
  return {
    accountId: keys.accountId,
    accountKey,
    keys,
    eak,
    eakText: eakToText(eak),
    email: saved.email,
    pendingId: saved.pendingId,
    expiresAt: saved.expiresAt,
  };
}

/** Both steps, with the code from `readCode` (a prompt, a mailbox in tests). */
export async function signUp(
  input: SignUpInput & { sendEmail: boolean; readCode: (pending: PendingSignUp) => Promise<string> },
): Promise<OpenedAccount> {
  const pending = await startSignUp(input);
  return confirmSignUp(input.api, pending, await input.readCode(pending), input.sendEmail);
}

export interface SignInInput {
  api: ApiClient;
  email: string;
  password: string;
  /** the EAK text, from the QR code, the mail or the Emergency Kit */
  eakText: string;
  deviceName: string;
}

/**
 * The new-device flow (docs/architecture.md): decrypt the AK from the EAK with the password, sign in by
 * challenge-response, fetch the verifier and check it with the AK; only then is the key trusted.
 */
export async function signIn(input: SignInInput): Promise<OpenedAccount> {
  const { api } = input;
  const given = parseEakText(input.eakText);
  const ch = await api.challenge(input.email);
  checkOrigin(api, ch.origin);
  const accountId = parseAccountId(ch.accountId);
  // Only a failure is explained by the kit fingerprint (never a success: accounts older than the fingerprint
  // get a fake one). The account id is checked first, so a mistyped e-mail still reads as foreign_key.
  const older = (e: unknown) =>
    (isCryptexError(e, "wrong_password") || (e instanceof ApiError && e.code === "unauthorized")) && ch.kit !== kitFingerprint(given);
  try {
    const { accountKey, stretched } = await openEak(given, input.password, accountId);
    const auth = await deriveAuthKey(stretched, accountKey, accountId);
    const session = await signInWithKey(api, accountId, auth, ch.challenge, input.deviceName);
    return await trustAccount(api, accountId, accountKey, given, session);
  } catch (e) {
    if (older(e)) throw new CryptexError("stale_kit", "this Emergency Kit is from before the account password was changed");
    throw e;
  }
}

/** The fingerprint the server keeps of the current EAK text (wire/api.ts challengeAnswer.kit). */
export function kitFingerprint(eak: Eak): string {
  return b64uEncode(sha256(new TextEncoder().encode(eakToText(eak))).subarray(0, 16));
}

async function signInWithKey(
  api: ApiClient,
  accountId: AccountId,
  auth: SigningKeyPair,
  challenge: string,
  deviceName: string,
): Promise<SessionAnswer> {
  const session = await api.signin({
    accountId,
    challenge,
    signature: b64uEncode(auth.sign(authMessage("signin", api.origin, accountId, challengeBytes(challenge)))),
    deviceName,
  });
  api.token = session.token;
  return session;
}

/**
 * After sign-in: check the verifier and the server's wrapped EAK, then keep the EAK that opened with the password
 * typed. The server's auth key accepted exactly that password, so a different EAK the server serves is older (or a
 * lie) and adopting it would leave this device opening only with a password the user may no longer know. Its
 * generation is recorded: a later, authentic, higher generation is adopted by sync as a password change.
 */
async function trustAccount(
  api: ApiClient,
  accountId: AccountId,
  accountKey: AccountKey,
  given: Eak,
  session: SessionAnswer,
): Promise<OpenedAccount> {
  const account = await api.account();
  if (account.accountId !== accountId) throw new CryptexError("foreign_key", "the server answered with another account");
  const keys = await deriveAccountKeys(accountKey, accountId);
  await checkVerifier(keys, account.verifier);
  await unwrapEak(keys, account.wrappedEak, account.eakGeneration); // authentic for this account, or a typed error
  return {
    accountId,
    accountKey,
    keys,
    eak: given,
    eakText: eakToText(given),
    eakGeneration: account.eakGeneration,
    resetEpoch: account.resetEpoch,
    session,
  };
}

export interface Unlocked {
  readonly accountKey: AccountKey;
  readonly keys: AccountKeys;
  /** S: kept only as long as a caller needs it to sign (sign-in again, change password) */
  readonly stretched: Uint8Array;
}

/** Unlock on a known device (works offline): P → S → KEK → local EAK → AK. */
export async function unlockWithPassword(meta: { accountId: string; eak: Uint8Array }, password: string): Promise<Unlocked> {
  const accountId = parseAccountId(meta.accountId);
  const { accountKey, stretched } = await openEak(parseEak(meta.eak), password, accountId);
  return { accountKey, stretched, keys: await deriveAccountKeys(accountKey, accountId) };
}

/** A new session for a known device (expired or revoked token), from an unlocked password. */
export async function signInAgain(api: ApiClient, email: string, unlocked: Unlocked, deviceName: string): Promise<SessionAnswer> {
  const ch = await api.challenge(email);
  checkOrigin(api, ch.origin);
  const accountId = unlocked.keys.accountId;
  if (ch.accountId !== accountId) throw new CryptexError("foreign_key", "this e-mail belongs to another account on this server");
  const auth = await deriveAuthKey(unlocked.stretched, unlocked.accountKey, accountId);
  return signInWithKey(api, accountId, auth, ch.challenge, deviceName);
}

async function signedAction(api: ApiClient): Promise<{ challenge: string; bytes: Uint8Array }> {
  const ch = await api.actionChallenge();
  checkOrigin(api, ch.origin);
  return { challenge: ch.challenge, bytes: challengeBytes(ch.challenge) };
}

export interface ChangedPassword {
  readonly eak: Eak;
  readonly eakText: string;
  readonly eakGeneration: number;
  readonly account: AccountAnswer;
}

/** New salt, new EAK, new auth key, new mail; AK and items unchanged (docs/architecture.md). Signed by the current key. */
export async function changePassword(
  api: ApiClient,
  unlocked: Unlocked,
  currentGeneration: number,
  newPassword: string,
  sendEmail: boolean,
  kdf: KdfParams = KDF_DEFAULT,
): Promise<ChangedPassword> {
  const { accountKey, keys } = unlocked;
  const accountId = keys.accountId;
  const current = await deriveAuthKey(unlocked.stretched, accountKey, accountId);
  const { eak, stretched } = await createEak(newPassword, accountKey, accountId, kdf);
  const next = await deriveAuthKey(stretched, accountKey, accountId);
  const generation = currentGeneration + 1;
  const wrappedEak = await wrapEak(keys, eak, generation);
  const ch = await signedAction(api);
  const payload = changePasswordPayload(next.publicKey, generation, b64uDecode(wrappedEak)!);
  const eakText = eakToText(eak);
  const account = await api.changePassword({
    challenge: ch.challenge,
    signature: b64uEncode(current.sign(authMessage("change-password", api.origin, accountId, ch.bytes, payload))),
    authPublicKey: b64uEncode(next.publicKey),
    wrappedEak,
    eakGeneration: generation,
    sendEmail,
    kit: kitFingerprint(eak),
    ...(sendEmail ? { eakText } : {}), // the EAK goes out only to be mailed
  });
  return { eak, eakText, eakGeneration: generation, account };
}

/**
 * Account reset: the server wipes every item and takes a new Account Key, EAK, verifier and auth key.
 * Signed by the current key; `confirm` must be `RESET <email>`. Returns the new account.
 */
export async function resetAccount(
  api: ApiClient,
  unlocked: Unlocked,
  email: string,
  newPassword: string,
  sendEmail: boolean,
  kdf: KdfParams = KDF_DEFAULT,
): Promise<Omit<OpenedAccount, "session">> {
  const accountId = unlocked.keys.accountId;
  const current = await deriveAuthKey(unlocked.stretched, unlocked.accountKey, accountId);
  const accountKey = generateAccountKey();
  const { eak, stretched } = await createEak(newPassword, accountKey, accountId, kdf);
  const keys = await deriveAccountKeys(accountKey, accountId);
  const next = await deriveAuthKey(stretched, accountKey, accountId);
  const confirm = `RESET ${email}`;
  const ch = await signedAction(api);
  const eakText = eakToText(eak);
  const account = await api.reset({
    challenge: ch.challenge,
    signature: b64uEncode(current.sign(authMessage("reset", api.origin, accountId, ch.bytes, resetPayload(confirm, next.publicKey)))),
    confirm,
    authPublicKey: b64uEncode(next.publicKey),
    verifier: await createVerifier(keys),
    wrappedEak: await wrapEak(keys, eak, 0),
    sendEmail,
    kit: kitFingerprint(eak),
    ...(sendEmail ? { eakText } : {}), // the EAK goes out only to be mailed
  });
  return {
    accountId,
    accountKey,
    keys,
    eak,
    eakText,
    eakGeneration: account.eakGeneration,
    resetEpoch: account.resetEpoch,
  };
}

/** Deletes the account on the server; `confirm` must be `DELETE <email>`. */
export async function deleteAccount(api: ApiClient, unlocked: Unlocked, email: string): Promise<void> {
  const accountId = unlocked.keys.accountId;
  const auth = await deriveAuthKey(unlocked.stretched, unlocked.accountKey, accountId);
  const confirm = `DELETE ${email}`;
  const ch = await signedAction(api);
  await api.deleteAccount({
    challenge: ch.challenge,
    signature: b64uEncode(auth.sign(authMessage("delete", api.origin, accountId, ch.bytes, new TextEncoder().encode(confirm)))),
    confirm,
  });
}

/** Forgotten password, step 1: the server mails a code to the address if it has an account (same answer if not). */
export async function requestAccountErase(api: ApiClient, email: string): Promise<void> {
  await api.forgot(email);
}

/**
 * Forgotten password, step 2: the mailed code erases the account's server copy. Nothing can bring the data
 * back (only the lost password and Account Key could open it); the address can then sign up again.
 */
export async function confirmAccountErase(api: ApiClient, email: string, codeText: string): Promise<void> {
  const code = normalizeMailCode(codeText);
  if (!code) throw new CryptexError("invalid_input", "the code is the 8 digits from the mail");
  await api.forgotConfirm(email, code);
}
