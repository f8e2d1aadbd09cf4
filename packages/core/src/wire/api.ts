// The wire contract of /api/v1 (docs/api.md): request and answer shapes, shared by server and clients.
// The server imports only this folder from core. Binary values travel as unpadded base64url.
// Every shape is strict (unknown keys rejected) and bounded.
import { arr, bool, type Infer, int, literal, nullable, obj, oneOf, str } from "../schema/shape.ts";
import { LIMITS } from "./limits.ts";

export { LIMITS };

export const API_PREFIX = "/api/v1";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const B64U = /^[A-Za-z0-9_-]*$/;
export const uuid = str({ max: 36, pattern: UUID });
export const b64u = (maxChars: number, minChars = 0) => str({ min: minChars, max: maxChars, pattern: B64U });
/**
 * One plain addr-spec (RFC 5322 dot-atom local part and domain), nothing else: no display name, no list,
 * no quotes, comments or angle brackets, so a mail can only ever go to the one address typed.
 */
export const EMAIL_PATTERN =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
const email = str({ min: 3, max: 254, pattern: EMAIL_PATTERN });
/** The code mailed to prove an address: 8 digits. */
export const MAIL_CODE_PATTERN = /^[0-9]{8}$/;
const mailCode = str({ min: 8, max: 8, pattern: MAIL_CODE_PATTERN });
const deviceName = str({ min: 1, max: 100 });
const eakText = str({ min: 1, max: 512, pattern: /^CRYPTEX:[A-Z2-7]+$/ });
const revision = int(0, Number.MAX_SAFE_INTEGER);
const time = int(0, 8.64e15);

const publicKey = b64u(43, 43); // 32 bytes
const signature = b64u(86, 86); // 64 bytes
const challenge = b64u(43, 43); // 32 bytes

// ---- accounts and sign-in ----

export const signupRequest = obj(
  {
    accountId: uuid,
    email,
    authPublicKey: publicKey,
    /** proof of possession: signs authMessage("signup", origin, accountId, challenge = 32 zero bytes, publicKey) */
    signature,
    verifier: b64u(512, 1),
    wrappedEak: b64u(512, 1),
    deviceName,
  },
  [],
);
export type SignupRequest = Infer<typeof signupRequest>;

/**
 * 202 to every well-formed sign-up, whether or not the address has an account: a code goes to the address
 * (or, for an existing account, a "someone tried" mail) and the account exists only once the code is confirmed.
 */
export const signupAnswer = obj({ pendingId: b64u(43, 43), expiresAt: time });
export type SignupAnswer = Infer<typeof signupAnswer>;

/** POST /accounts/confirm: the mailed code. `eakText` only with `sendEmail: true`, for the QR mail; never stored. */
/** `kit`: the fingerprint of the new EAK text (client/account.ts kitFingerprint), kept to explain a sign-in with an older kit;
 * optional (older clients): without it the challenge answers a stable fake one */
const kit = b64u(22, 22);
export const confirmSignupRequest = obj({ pendingId: b64u(43, 43), code: mailCode, sendEmail: bool, eakText, kit }, ["eakText", "kit"]);
export type ConfirmSignupRequest = Infer<typeof confirmSignupRequest>;

/** POST /auth/forgot: always 202; an existing account's address gets a reset code. */
export const forgotRequest = obj({ email });
/** POST /auth/forgot/confirm: the mailed code; wipes the account's server copy so the address can sign up again. */
export const forgotConfirmRequest = obj({ email, code: mailCode });

export const sessionAnswer = obj({ token: b64u(64, 43), sessionId: uuid, expiresAt: time });
export type SessionAnswer = Infer<typeof sessionAnswer>;

export const challengeRequest = obj({ email });
/**
 * Same shape for unknown e-mails (a stable fake account id and kit): no account enumeration. `kit` is the
 * fingerprint of the account's current EAK text (16 bytes of SHA-256, base64url): a sign-in that fails with an
 * older kit is told "this kit is from before the password change" rather than "wrong password".
 */
export const challengeAnswer = obj({ accountId: uuid, challenge, expiresAt: time, origin: str({ max: 300 }), kit: b64u(22, 22) });
export type ChallengeAnswer = Infer<typeof challengeAnswer>;

export const signinRequest = obj({ accountId: uuid, challenge, signature, deviceName });
export type SigninRequest = Infer<typeof signinRequest>;

export const accountAnswer = obj({
  accountId: uuid,
  email,
  verifier: b64u(512, 1),
  wrappedEak: b64u(512, 1),
  eakGeneration: int(0, 2 ** 31),
  /** bumped by an account reset: clients holding older state must sign in again */
  resetEpoch: int(0, 2 ** 31),
  revision,
  emailEnabled: bool,
  createdAt: time,
});
export type AccountAnswer = Infer<typeof accountAnswer>;

export const sessionsAnswer = obj({
  sessions: arr(obj({ id: uuid, deviceName, createdAt: time, lastSeenAt: time, expiresAt: time, current: bool }), 1000),
});
export type SessionsAnswer = Infer<typeof sessionsAnswer>;

/** DELETE /sessions: every other session of the account ended (after a password change, or on request). */
export const endSessionsAnswer = obj({ ended: int(0, Number.MAX_SAFE_INTEGER) });
export type EndSessionsAnswer = Infer<typeof endSessionsAnswer>;

/** A fresh one-time challenge for signed account actions (change password, reset, delete). */
export const actionChallengeAnswer = obj({ challenge, expiresAt: time, origin: str({ max: 300 }) });

export const changePasswordRequest = obj(
  {
    challenge,
    /** by the current auth key over authMessage("change-password", …, changePasswordPayload(…)) */
    signature,
    authPublicKey: publicKey,
    wrappedEak: b64u(512, 1),
    eakGeneration: int(1, 2 ** 31),
    /** only with `sendEmail: true`, for the QR mail; never stored */
    eakText,
    sendEmail: bool,
    kit,
  },
  ["eakText", "kit"],
);
export type ChangePasswordRequest = Infer<typeof changePasswordRequest>;

export const resendMailRequest = obj({ eakText });

export const resetRequest = obj(
  {
    challenge,
    signature, // over authMessage("reset", …, utf8(confirm) ‖ new public key)
    /** must equal `RESET ${email}` */
    confirm: str({ max: 300 }),
    authPublicKey: publicKey,
    verifier: b64u(512, 1),
    wrappedEak: b64u(512, 1),
    /** only with `sendEmail: true`, for the QR mail; never stored */
    eakText,
    sendEmail: bool,
    kit,
  },
  ["eakText", "kit"],
);
export type ResetRequest = Infer<typeof resetRequest>;

export const deleteAccountRequest = obj({ challenge, signature, confirm: str({ max: 300 }) });

// ---- Account Key rotation (docs/security.md): stage re-encrypted items, then switch in one transaction ----

/** PUT /account/rotation/items: copies of items under the new Account Key, each for the revision it re-encrypts. */
export const rotationStageRequest = obj({
  /** the new auth public key: ties the copies to one rotation, so two rotations never mix their copies */
  authPublicKey: publicKey,
  items: arr(obj({ id: uuid, revision: int(1, Number.MAX_SAFE_INTEGER), data: b64u(LIMITS.itemData, 1) }), LIMITS.pushBatch),
});
export type RotationStageRequest = Infer<typeof rotationStageRequest>;

/** POST /account/rotation: signed by the current auth key; every item with data must be staged at its revision. */
export const rotationCommitRequest = obj(
  {
    challenge,
    /** over authMessage("rotate-key", …, rotateKeyPayload(…)) */
    signature,
    authPublicKey: publicKey,
    verifier: b64u(512, 1),
    wrappedEak: b64u(512, 1),
    eakGeneration: int(1, 2 ** 31),
    /** present only when the owner asked for the new QR code by mail; never stored */
    eakText,
    kit,
    /** the account's sync profile sealed under the new key: replaces the stored one in the switch (absent: dropped) */
    syncProfile: b64u(LIMITS.syncProfile, 1),
  },
  ["eakText", "kit", "syncProfile"],
);
export type RotationCommitRequest = Infer<typeof rotationCommitRequest>;

/** 409 rotation_incomplete: items changed (or never staged) since staging; nothing was switched. */
export const rotationIncompleteAnswer = obj({
  code: literal("rotation_incomplete"),
  message: str({ max: 1000 }),
  /** up to pushBatch ids that need a fresh staged copy */
  items: arr(uuid, LIMITS.pushBatch),
});

// ---- delta sync ----

// The server never learns or decides that an item is deleted: deletes travel as encrypted tombstones inside
// `data`, which every pushed and pulled item carries.
export const wireItem = obj(
  {
    id: uuid,
    revision,
    /** the item envelope; absent only in a 409 conflict for an item the server does not hold (revision 0) */
    data: b64u(LIMITS.itemData, 1),
  },
  ["data"],
);
export type WireItem = Infer<typeof wireItem>;

/** GET /items?since=R&limit=N — changes with revision > R, ascending. */
export const pullAnswer = obj({
  items: arr(wireItem, LIMITS.pullPage),
  /** the account's current revision when the page was read */
  revision,
  more: bool,
  /** pass as `since` for the next page */
  next: revision,
});
export type PullAnswer = Infer<typeof pullAnswer>;

export const pushItem = obj({ id: uuid, baseRevision: revision, data: b64u(LIMITS.itemData, 1) });
export type PushItem = Infer<typeof pushItem>;
export const pushRequest = obj({ items: arr(pushItem, LIMITS.pushBatch) });
export type PushRequest = Infer<typeof pushRequest>;

/** 200: all applied, in order, each with its new revision. */
export const pushAnswer = obj({ revision, items: arr(obj({ id: uuid, revision }), LIMITS.pushBatch) });
export type PushAnswer = Infer<typeof pushAnswer>;

/** 409 conflict: nothing applied; the current version of every item whose base was stale. */
export const conflictAnswer = obj({
  code: literal("conflict"),
  message: str({ max: 1000 }),
  conflicts: arr(wireItem, LIMITS.pushBatch),
});
export type ConflictAnswer = Infer<typeof conflictAnswer>;

// ---- signed vault manifests (one opaque blob per device; see docs/security.md) ----

export const manifestPut = obj({ data: b64u(LIMITS.manifest, 1) });
export const manifestsAnswer = obj({
  manifests: arr(obj({ deviceId: uuid, data: b64u(LIMITS.manifest, 1), updatedAt: time }), 1000),
});

// ---- the account's sync method, sealed by its devices (one opaque blob per account; see docs/sync.md) ----

export const syncProfilePut = obj({ data: b64u(LIMITS.syncProfile, 1) });
export const syncProfileAnswer = obj({ profile: nullable(obj({ data: b64u(LIMITS.syncProfile, 1), updatedAt: time })) });

// ---- attachment blobs (docs/api.md "Attachments"): opaque bytes, uploaded in pieces that resume ----

/** GET /blobs/:id/state: the declared size and how many bytes have arrived (complete when equal). */
export const blobStateAnswer = obj({ size: int(0, LIMITS.attachmentBlob), received: int(0, LIMITS.attachmentBlob) });
export type BlobStateAnswer = Infer<typeof blobStateAnswer>;

// ---- live channel: GET /events (text/event-stream) ----
// event: revision   data: {"revision":N}
// event: account    data: {"eakGeneration":N,"resetEpoch":N}
export const revisionEvent = obj({ revision });
export const accountEvent = obj({ eakGeneration: int(0, 2 ** 31), resetEpoch: int(0, 2 ** 31) });

// ---- errors ----

/** A pairing relay message (docs/api.md "Pairing relay"): at most 4 KiB of opaque bytes. */
export const PAIR_MESSAGE_BYTES = 4096;
export const pairMessage = obj({ body: b64u(Math.ceil((PAIR_MESSAGE_BYTES * 4) / 3), 1) });
export const PAIR_CHANNEL = /^[A-Za-z0-9_-]{22}$/;

export const ERROR_CODES = [
  "bad_request",
  "invalid_json",
  "too_large",
  "unsupported_media_type",
  "unauthorized",
  /** the session was ended by an account reset on another device (401) */
  "account_reset",
  /** the session was ended by an Account Key rotation on another device (401): sign in with the new QR code */
  "key_rotated",
  "forbidden",
  "not_found",
  "method_not_allowed",
  "conflict",
  "email_taken",
  /** a mailed code that is wrong, used, expired or guessed too often (400) */
  "code_invalid",
  /** the mail with a code could not be sent (503) */
  "mail_failed",
  "challenge_invalid",
  "origin_mismatch",
  "revision_from_future",
  "rotation_incomplete",
  "rate_limited",
  /** the write would take the account past its storage quota; nothing was applied (413) */
  "quota_exceeded",
  "internal",
] as const;
export type ApiErrorCode = (typeof ERROR_CODES)[number];
export const errorAnswer = obj({ code: oneOf(ERROR_CODES), message: str({ max: 1000 }) });
export type ErrorAnswer = Infer<typeof errorAnswer>;

export const healthAnswer = obj({ status: literal("ok"), revision: nullable(revision) }, ["revision"]);
