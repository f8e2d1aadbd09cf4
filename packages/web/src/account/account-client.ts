// The page's side of the account worker: one long-lived worker; errors come back as core's typed errors.
// The page sends passwords in and gets results back; every key stays in the worker, which also runs the open
// vault (callVault, vault-protocol.ts).
import { ApiError } from "@cryptex/core/client/api-client.ts";
import { CryptexError, type ErrorCode } from "@cryptex/core/errors.ts";
import type { VaultMeta } from "@cryptex/core/sync/ports.ts";
import type { SessionAnswer } from "@cryptex/core/wire/api.ts";
import type {
  AccountRequest,
  AccountResponse,
  AccountResult,
  DeviceAccount,
  KdfBackendName,
  PendingView,
  Signer,
} from "./account-protocol.ts";
import { deviceName } from "./device-name.ts";
import type { VaultEvent, VaultMethod, VaultMethods } from "./vault-protocol.ts";

let worker: Worker | undefined;
let nextId = 1;
const waiting = new Map<number, { resolve: (r: AccountResult) => void; reject: (e: Error) => void }>();
let vaultEvents: (e: VaultEvent) => void = () => {};

/** Where the open vault's state, list changes and progress go (one listener: the page's VaultSession). */
export function onVaultEvents(fn: (e: VaultEvent) => void): void {
  vaultEvents = fn;
}

function getWorker(): Worker {
  if (worker) return worker;
  const w = new Worker(new URL("./account.worker.ts", import.meta.url), { type: "module" });
  w.onmessage = (ev: MessageEvent<AccountResponse>) => {
    const r = ev.data;
    if ("event" in r) return vaultEvents(r.event);
    const p = waiting.get(r.id);
    waiting.delete(r.id);
    if (!p) return;
    if (r.ok) p.resolve(r.result);
    else if (r.kind === "core") p.reject(new CryptexError(r.code as ErrorCode, r.message));
    else if (r.kind === "api") p.reject(new ApiError(r.status, r.code, r.message));
    else p.reject(new Error(r.message));
  };
  w.onerror = () => {
    for (const p of waiting.values()) p.reject(new Error("the key derivation worker failed to start"));
    waiting.clear();
    worker = undefined;
  };
  worker = w;
  return w;
}

function call(req: AccountRequest): Promise<AccountResult> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    getWorker().postMessage({ ...req, id });
  });
}

let measured: Promise<number> | undefined;
/** Seconds of one Argon2id run on this device (measured once, in the worker). */
export function guessSecondsInWorker(): Promise<number> {
  measured ??= call({ op: "measure" }).then((r) => {
    if (r.op !== "measure") throw new Error("unexpected worker answer");
    return r.seconds;
  });
  return measured;
}

/** Which Argon2id the worker runs (the test build's hooks report it). */
export async function kdfBackendInWorker(): Promise<KdfBackendName> {
  const r = await call({ op: "kdfBackend" });
  if (r.op !== "kdfBackend") throw new Error("unexpected worker answer");
  return r.backend;
}

/** Starts the worker (and compiles its WebAssembly) ahead of the first password entry. */
export function warmUpWorker(): void {
  getWorker();
}

/** Makes the keys and asks the server to mail a confirmation code; the account exists once it is confirmed. */
export async function startSignUpInWorker(email: string, password: string): Promise<PendingView> {
  const r = await call({ op: "startSignUp", baseUrl: location.origin, email, password, deviceName: deviceName() });
  if (r.op !== "startSignUp") throw new Error("unexpected worker answer");
  return r.pending;
}

export async function confirmSignUpInWorker(pending: PendingView, code: string, sendEmail: boolean): Promise<DeviceAccount> {
  const r = await call({ op: "confirmSignUp", baseUrl: location.origin, pendingId: pending.pendingId, code, sendEmail });
  if (r.op !== "confirmSignUp") throw new Error("unexpected worker answer");
  return r.account;
}

export async function signInInWorker(email: string, password: string, eakText: string, name = deviceName()): Promise<DeviceAccount> {
  const r = await call({
    op: "signIn",
    baseUrl: location.origin,
    email,
    password,
    eakText,
    deviceName: name.trim().slice(0, 100) || deviceName(),
  });
  if (r.op !== "signIn") throw new Error("unexpected worker answer");
  return r.account;
}

/** A new server session for this device (it was signed out), from its stored account key and the password. */
export async function signInAgainInWorker(meta: VaultMeta, password: string): Promise<SessionAnswer> {
  const r = await call({
    op: "signInAgain",
    baseUrl: meta.serverUrl,
    email: meta.email,
    accountId: meta.accountId,
    eak: meta.eak,
    password,
    deviceName: deviceName(),
  });
  if (r.op !== "signInAgain") throw new Error("unexpected worker answer");
  return r.session;
}

/**
 * Checks the password and keeps the keys in the worker for the vault opened next (`callVault("open", …)`);
 * `storeName` names that vault when it is opened next, so that its sealed index is read meanwhile.
 */
export async function unlockInWorker(accountId: string, eak: Uint8Array, password: string, storeName?: string): Promise<void> {
  const r = await call({ op: "unlock", accountId, eak, password, ...(storeName === undefined ? {} : { storeName }) });
  if (r.op !== "unlock") throw new Error("unexpected worker answer");
}

/** Calls the open vault in the worker. */
export async function callVault<K extends VaultMethod>(
  method: K,
  ...args: Parameters<VaultMethods[K]>
): Promise<Awaited<ReturnType<VaultMethods[K]>>> {
  const r = await call({ op: "vault", method, args } as AccountRequest);
  if (r.op !== "vault") throw new Error("unexpected worker answer");
  return r.value as Awaited<ReturnType<VaultMethods[K]>>;
}

/** The stored account and its password, for an action the worker signs after unlocking again. */
export function signerOf(meta: VaultMeta, password: string): Signer {
  return { baseUrl: meta.serverUrl, token: meta.sessionToken ?? "", accountId: meta.accountId, eak: meta.eak, password };
}

export async function changePasswordInWorker(
  signer: Signer,
  generation: number,
  newPassword: string,
  sendEmail: boolean,
): Promise<Extract<AccountResult, { op: "changePassword" }>> {
  const r = await call({ op: "changePassword", signer, generation, newPassword, sendEmail });
  if (r.op !== "changePassword") throw new Error("unexpected worker answer");
  return r;
}

export async function resetInWorker(
  signer: Signer,
  email: string,
  newPassword: string,
  sendEmail: boolean,
): Promise<Extract<AccountResult, { op: "reset" }>["account"]> {
  const r = await call({ op: "reset", signer, email, newPassword, sendEmail });
  if (r.op !== "reset") throw new Error("unexpected worker answer");
  return r.account;
}

/** Replaces the Account Key: the worker re-encrypts the vault in IndexedDB `storeName` (close the session first). */
export async function rotateInWorker(signer: Signer, storeName: string, sendEmail: boolean): Promise<number> {
  const r = await call({ op: "rotate", signer, storeName, sendEmail });
  if (r.op !== "rotate") throw new Error("unexpected worker answer");
  return r.eakGeneration;
}
