// The storage port of the server: one interface, implemented by SQLite (sqlite.ts) and PostgreSQL (postgres.ts).
// Everything the server keeps goes through here; it holds only what the server cannot read (docs/security.md §1).

export interface Account {
  readonly id: string;
  readonly email: string;
  /** base64url Ed25519 public key */
  readonly authPublicKey: string;
  readonly verifier: string;
  readonly wrappedEak: string;
  readonly eakGeneration: number;
  readonly resetEpoch: number;
  readonly revision: number;
  readonly emailEnabled: boolean;
  readonly createdAt: number;
  /** fingerprint of the current EAK text (wire/api.ts challengeAnswer.kit); absent for accounts made before it was kept */
  readonly kit?: string | undefined;
}

export interface Session {
  readonly id: string;
  readonly accountId: string;
  readonly deviceName: string;
  readonly createdAt: number;
  readonly lastSeenAt: number;
  readonly expiresAt: number;
}

export interface StoredItem {
  readonly id: string;
  readonly revision: number;
  /** the opaque item envelope (an item or an encrypted tombstone); undefined only for "not held" in a conflict */
  readonly data: Uint8Array | undefined;
}

export interface PushWrite {
  readonly id: string;
  readonly baseRevision: number;
  readonly data: Uint8Array;
}

export type PushResult =
  | { readonly kind: "applied"; readonly revision: number; readonly items: readonly { id: string; revision: number }[] }
  | { readonly kind: "conflict"; readonly conflicts: readonly StoredItem[] }
  | { readonly kind: "future" }
  /** the writes would take the account past its storage quota; nothing was applied */
  | { readonly kind: "quota"; readonly used: number; readonly quota: number }
  | { readonly kind: "no_account" };

export interface PullPage {
  readonly items: readonly StoredItem[];
  /** the account's revision in the same snapshot as the items */
  readonly revision: number;
  readonly more: boolean;
}

export type ChallengePurpose = "signin" | "action";

/** What crosses between server processes (SQLite: in-process only; PostgreSQL: LISTEN/NOTIFY). */
export type LiveEvent =
  | { readonly type: "revision"; readonly accountId: string; readonly revision: number; readonly fromSession: string }
  | { readonly type: "account"; readonly accountId: string; readonly eakGeneration: number; readonly resetEpoch: number }
  | { readonly type: "revoked"; readonly accountId: string; readonly sessionIds: readonly string[] | "all"; readonly except?: string }
  | PairEvent;

/** One operation on the pairing relay, applied by every process in the order the bus delivers it (pair/relay.ts). */
export type PairEvent =
  | { readonly type: "pair"; readonly op: "open" | "claim"; readonly id: string; readonly at: number; readonly channel: string }
  | {
      readonly type: "pair";
      readonly op: "message";
      readonly id: string;
      readonly at: number;
      readonly channel: string;
      readonly side: "a" | "b";
      readonly index: number;
      readonly body: string;
    };

export interface AccountUpdate {
  readonly authPublicKey: string;
  readonly wrappedEak: string;
  readonly eakGeneration: number;
  readonly emailEnabled: boolean;
  /** fingerprint of the new EAK text */
  readonly kit?: string | undefined;
}

export interface ResetUpdate extends AccountUpdate {
  readonly verifier: string;
}

/** How much larger than the item it re-encrypts a staged copy may be. */
export const STAGED_SLACK_BYTES = 1024;

/** An Account Key switch: the account's new key material, and its sync profile sealed under the new key. */
export interface RotationUpdate extends ResetUpdate {
  /** replaces the stored profile in the same transaction; absent, the old one (sealed under the old key) is dropped */
  readonly syncProfile?: { readonly data: Uint8Array; readonly updatedAt: number };
}

/** A staged copy of an item under the new Account Key, made from the item at `revision`. */
export interface StagedItem {
  readonly id: string;
  readonly revision: number;
  readonly data: Uint8Array;
}

export type RotationResult =
  | { readonly kind: "rotated"; readonly account: Account }
  /** eakGeneration is not the current one + 1 */
  | { readonly kind: "stale" }
  /** these items (up to `limit`) have no staged copy at their current revision: nothing was switched */
  | { readonly kind: "incomplete"; readonly items: readonly string[] }
  | { readonly kind: "no_account" };

export interface Manifest {
  readonly deviceId: string;
  readonly data: Uint8Array;
  readonly updatedAt: number;
}

/** A code mailed to prove an address: a pending sign-up or a forgotten-password reset. */
export interface MailCode {
  /** random (sign-up) or derived from the address (forgot), chosen by the caller */
  readonly id: string;
  readonly purpose: "signup" | "forgot";
  readonly email: string;
  readonly codeHash: Uint8Array;
  /** what confirming does, opaque to the store (the pending account for a sign-up) */
  readonly payload: string;
  readonly expiresAt: number;
}

/** An attachment blob's record; its bytes are a file (blobs/blob-files.ts). Complete when `received === size`. */
export interface BlobRecord {
  readonly id: string;
  readonly size: number;
  readonly received: number;
  readonly createdAt: number;
}

export const MAX_MANIFESTS = 1000;
/** Attachment blobs one account may keep (their bytes are bounded by the quota; this bounds the rows). */
export const MAX_BLOBS = 20_000;
/** An upload unfinished this long after it started is dropped by the server's sweep. */
export const STALE_UPLOAD_MS = 7 * 24 * 3600 * 1000;
/** Wrong guesses a mailed code survives; then it is gone and a new one must be asked for. */
export const MAX_CODE_ATTEMPTS = 5;
/** A pull page stops early past this many data bytes so one answer stays bounded. */
export const PULL_PAGE_BYTES = 8 * 1024 * 1024;

export interface Store {
  readonly kind: "sqlite" | "postgres";
  /** A random server secret made on first use (fake account ids for unknown e-mails). */
  serverSecret(): Promise<Uint8Array>;

  /** Creates the account and its first session at once; `taken` when the e-mail or account id exists. */
  createAccount(account: Account, session: Session, tokenHash: Uint8Array): Promise<"created" | "taken">;
  getAccount(id: string): Promise<Account | undefined>;
  findAccountByEmail(email: string): Promise<Account | undefined>;
  /** `stale` when eakGeneration is not the current one + 1 */
  changePassword(accountId: string, update: AccountUpdate): Promise<Account | "stale" | undefined>;
  setEmailEnabled(accountId: string, enabled: boolean): Promise<void>;
  /** Wipes items and manifests, bumps resetEpoch, revokes every session but `keepSession`. */
  resetAccount(accountId: string, update: ResetUpdate, keepSession: string): Promise<Account | undefined>;
  /** `endedBy: "reset"` remembers its sessions, so those devices are told `account_reset` (forgotten password). */
  deleteAccount(accountId: string, endedBy?: "reset"): Promise<boolean>;

  /** Stores a mailed code, replacing one with the same id. */
  putMailCode(code: MailCode): Promise<void>;
  /**
   * One use: the code when id, purpose and hash match and it has not expired (it is deleted); otherwise undefined,
   * and a wrong hash counts an attempt (the code is deleted at MAX_CODE_ATTEMPTS).
   */
  takeMailCode(id: string, purpose: MailCode["purpose"], codeHash: Uint8Array, now: number): Promise<MailCode | undefined>;
  /**
   * Upserts staged copies for the rotation to `newAuthKey`: how many were kept, or undefined when the account is
   * gone. A copy is kept only for an item that holds data and only up to that item's size + STAGED_SLACK_BYTES (a
   * re-encryption is the size of what it re-encrypts), so staging costs at most about the bytes the quota already
   * counts; a copy left out shows as missing at the switch, and the client stages it again after a sync.
   */
  stageRotation(accountId: string, newAuthKey: string, items: readonly StagedItem[]): Promise<number | undefined>;
  /** Drops every staged copy of the account (a rotation abandoned or started afresh). */
  discardRotation(accountId: string): Promise<void>;
  /**
   * One transaction: when every item holding data has a copy staged for this rotation (`update.authPublicKey`) at
   * its current revision, swaps them in
   * (each at a new revision), sets the new keys, drops manifests and staged copies, and ends every session
   * but `keepSession` (remembered as "rotated"). Otherwise changes nothing.
   */
  commitRotation(accountId: string, update: RotationUpdate, keepSession: string, limit: number): Promise<RotationResult>;

  putChallenge(challenge: Uint8Array, accountId: string, purpose: ChallengePurpose, expiresAt: number): Promise<void>;
  /** One use: deletes it; true only when it existed for this account and purpose and had not expired. */
  takeChallenge(challenge: Uint8Array, accountId: string, purpose: ChallengePurpose, now: number): Promise<boolean>;

  createSession(session: Session, tokenHash: Uint8Array): Promise<void>;
  /** The live session for a token hash, or undefined when unknown, revoked or expired. */
  findSession(tokenHash: Uint8Array, now: number): Promise<Session | undefined>;
  /** For a token that is no session: "reset" / "rotated" when an account reset / key rotation ended it (until it would have expired). */
  sessionEndedBy(tokenHash: Uint8Array, now: number): Promise<"reset" | "rotated" | undefined>;
  touchSession(id: string, lastSeenAt: number, expiresAt: number): Promise<void>;
  listSessions(accountId: string, now: number): Promise<Session[]>;
  revokeSession(accountId: string, sessionId: string): Promise<boolean>;
  /** Ends every session of the account but `keepSession` (after a password change, or on request); the ids ended. */
  endOtherSessions(accountId: string, keepSession: string): Promise<string[]>;

  pull(accountId: string, since: number, limit: number): Promise<PullPage | undefined>;
  /**
   * One transaction: every write applied with consecutive revisions, or nothing. Writes that would grow the
   * account's stored bytes past `quotaBytes` are refused (`quota`); writes that shrink it always pass.
   */
  push(accountId: string, writes: readonly PushWrite[], fromSession: string, quotaBytes?: number): Promise<PushResult>;
  /** Bytes the account keeps (item data and manifests), counted on every write; undefined for no account. */
  storageUsed(accountId: string): Promise<number | undefined>;

  listManifests(accountId: string): Promise<Manifest[]>;
  /** `too_many` when the account already has MAX_MANIFESTS other devices; `quota` as for push */
  putManifest(accountId: string, manifest: Manifest, quotaBytes?: number): Promise<"stored" | "too_many" | "quota" | "no_account">;

  /**
   * Records a new blob of `size` bytes and counts them in the account's storage at once, so an upload cannot
   * outgrow the quota; `exists` when the id is taken, `too_many` at MAX_BLOBS.
   */
  createBlob(
    accountId: string,
    id: string,
    size: number,
    createdAt: number,
    quotaBytes?: number,
  ): Promise<"created" | "exists" | "quota" | "too_many" | "no_account">;
  getBlob(accountId: string, id: string): Promise<BlobRecord | undefined>;
  /** How much of an upload has arrived (at most its size). */
  setBlobReceived(accountId: string, id: string, received: number): Promise<void>;
  /** Removes the record and frees its bytes; false when there was none. Account reset and delete remove every blob. */
  deleteBlob(accountId: string, id: string): Promise<boolean>;
  /**
   * Removes up to `limit` uploads started before `startedBefore` that never finished (a client that went away for
   * good), freeing their bytes; returns them so their files can be removed.
   */
  dropStaleUploads(startedBefore: number, limit: number): Promise<{ accountId: string; id: string }[]>;

  /** The account's sealed sync profile (at most MAX_SYNC_PROFILE bytes), or undefined when none was stored. */
  getSyncProfile(accountId: string): Promise<{ data: Uint8Array; updatedAt: number } | undefined>;
  putSyncProfile(accountId: string, data: Uint8Array, updatedAt: number): Promise<"stored" | "no_account">;

  /** Announces an event to every server process sharing this store (after commit). */
  publish(event: LiveEvent): Promise<void>;
  subscribe(listener: (event: LiveEvent) => void): void;

  /** Drops expired challenges, sessions and mailed codes. */
  sweep(now: number): Promise<void>;
  close(): Promise<void>;
}

/** A sync profile is a kind and a few hints: anything larger is not one. */
export const MAX_SYNC_PROFILE = 4096;
