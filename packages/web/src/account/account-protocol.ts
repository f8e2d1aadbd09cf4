// Messages between the page and the account worker (Argon2id and the account flows run there). The Account
// Key and the stretched password stay in the worker: the page gets derived keys and results, never those.

import type { AccountKeys } from "@cryptex/core/account-keys.ts";
import type { OpenedAccount, PendingSignUp } from "@cryptex/core/client/account.ts";
import type { LocalKeys } from "@cryptex/core/vault/health/health-keys.ts";
import type { AccountAnswer, SessionAnswer } from "@cryptex/core/wire/api.ts";

/** The keys the page's vault runs on: derived per purpose, never the Account Key they come from. */
export interface OpenKeys {
  readonly keys: AccountKeys;
  readonly local: LocalKeys;
}
/** A signed-up or signed-in account as the page sees it: no Account Key. */
export type DeviceAccount = Omit<OpenedAccount, "accountKey"> & OpenKeys;
/** A sign-up waiting for its mailed code; the worker keeps its keys under `pendingId`. */
export type PendingView = Omit<PendingSignUp, "accountKey" | "keys">;
/** The stored account a signed action unlocks again in the worker (the page never holds S or the Account Key). */
export interface Signer {
  readonly baseUrl: string;
  readonly token: string;
  readonly accountId: string;
  readonly eak: Uint8Array;
  readonly password: string;
}

export type KdfBackendName = "lanes" | "single";

export type AccountRequest =
  | { op: "startSignUp"; baseUrl: string; email: string; password: string; deviceName: string }
  | { op: "confirmSignUp"; baseUrl: string; pendingId: string; code: string; sendEmail: boolean }
  | { op: "signIn"; baseUrl: string; email: string; password: string; eakText: string; deviceName: string }
  | { op: "unlock"; accountId: string; eak: Uint8Array; password: string }
  | { op: "signInAgain"; baseUrl: string; email: string; accountId: string; eak: Uint8Array; password: string; deviceName: string }
  /** one Argon2id run at the account cost, timed: the basis of the time-to-guess estimate */
  | { op: "measure" }
  /** which Argon2id runs here: lane workers over shared memory, or core's single-threaded WebAssembly */
  | { op: "kdfBackend" }
  | { op: "changePassword"; signer: Signer; generation: number; newPassword: string; sendEmail: boolean }
  | { op: "reset"; signer: Signer; email: string; newPassword: string; sendEmail: boolean }
  /** re-encrypts the device's vault (IndexedDB `storeName`) under a new Account Key */
  | { op: "rotate"; signer: Signer; storeName: string; sendEmail: boolean };

export type AccountResult =
  | { op: "startSignUp"; pending: PendingView }
  | { op: "confirmSignUp" | "signIn"; account: DeviceAccount }
  | { op: "unlock"; unlocked: OpenKeys }
  | { op: "signInAgain"; session: SessionAnswer }
  | { op: "measure"; seconds: number }
  | { op: "kdfBackend"; backend: KdfBackendName }
  | { op: "changePassword"; eak: Uint8Array; eakText: string; eakGeneration: number; account: AccountAnswer }
  | { op: "reset"; account: { eak: Uint8Array; eakGeneration: number; resetEpoch: number } }
  | { op: "rotate"; eakGeneration: number };

export type AccountResponse =
  | { id: number; ok: true; result: AccountResult }
  | { id: number; ok: false; kind: "core" | "api" | "other"; code: string; status: number; message: string };
