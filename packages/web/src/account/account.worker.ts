// Web Worker running core's account flows, whose Argon2id runs would otherwise freeze the page for a second,
// and the open vault (vault-host.ts). The Account Key, the stretched password and every key derived from them
// never leave it: the page gets results, list rows and items. A signed action unlocks again here from the
// stored EAK and the password.
import { measureGuessSeconds } from "@cryptex/core";
import type { AccountKey } from "@cryptex/core/account-key.ts";
import type { AccountKeys } from "@cryptex/core/account-keys.ts";
import {
  changePassword,
  confirmSignUp,
  type OpenedAccount,
  type PendingSignUp,
  resetAccount,
  signIn,
  signInAgain,
  startSignUp,
  type Unlocked,
  unlockWithPassword,
} from "@cryptex/core/client/account.ts";
import { ApiError, createApiClient } from "@cryptex/core/client/api-client.ts";
import { CryptexError } from "@cryptex/core/errors.ts";
import { setArgon2idBackend } from "@cryptex/core/ports.ts";
import { deriveLocalKeys } from "@cryptex/core/vault/health/health-keys.ts";
import type { AccountRequest, AccountResponse, AccountResult, DeviceAccount, KdfBackendName, Signer } from "./account-protocol.ts";
import { argon2idInTurn } from "./argon2/argon2-lanes.ts";
import { laneBackendIfIsolated } from "./argon2/lane-backend.ts";
import { dropAhead, flushVaultEvents, holdKeys, onVaultEvent, readAhead, transfersOf, vaultHost } from "./vault-host.ts";

// Argon2id's four lanes in parallel workers where the page is cross-origin isolated (docs/web.md); otherwise,
// or once the lane workers have failed (an error, or no answer within LANE_TIMEOUT_MS), core's single-threaded
// WebAssembly. The run that failed is done again here on one thread with the same kernel (same bytes, tested),
// so the user's sign-in or unlock goes on instead of failing or hanging.
let kdfBackend: KdfBackendName = "single";
const lanes = laneBackendIfIsolated();
if (lanes) {
  kdfBackend = "lanes";
  const onLanes: typeof lanes = async (input) => {
    try {
      return await lanes(input);
    } catch {
      kdfBackend = "single";
      setArgon2idBackend(undefined);
      return argon2idInTurn(input);
    }
  };
  setArgon2idBackend(onLanes);
  // Warm up while the user types: start the lane workers and run a tiny Argon2id (2 MiB, one pass), so that
  // the first unlock neither waits for workers to start nor runs the kernel before V8 optimised it.
  onLanes({ password: new Uint8Array(0), salt: new Uint8Array(16), params: { m: 2048, t: 1, p: 4 }, length: 32 }).catch(() => undefined);
}

/** sign-ups waiting for their mailed code, by pending id: their keys stay here until confirmed */
const pendings = new Map<string, PendingSignUp>();

/** Keeps the derived keys here for the vault the page opens next. */
async function hold(accountKey: AccountKey, keys: AccountKeys): Promise<void> {
  holdKeys(keys, await deriveLocalKeys(accountKey, keys.accountId));
}

async function forPage({ accountKey, keys, ...account }: OpenedAccount): Promise<DeviceAccount> {
  await hold(accountKey, keys);
  return account;
}

const unlockSigner = (s: Signer): Promise<Unlocked> => unlockWithPassword({ accountId: s.accountId, eak: s.eak }, s.password);
const signerApi = (s: Signer) => createApiClient({ baseUrl: s.baseUrl, token: s.token });

async function run(req: AccountRequest): Promise<AccountResult> {
  switch (req.op) {
    case "startSignUp": {
      const api = createApiClient({ baseUrl: req.baseUrl });
      const p = await startSignUp({ api, email: req.email, password: req.password, deviceName: req.deviceName });
      pendings.clear(); // one sign-up at a time: starting again drops the earlier one
      pendings.set(p.pendingId, p);
      const pending = {
        accountId: p.accountId,
        eak: p.eak,
        eakText: p.eakText,
        email: p.email,
        pendingId: p.pendingId,
        expiresAt: p.expiresAt,
      };
      return { op: "startSignUp", pending };
    }
    case "confirmSignUp": {
      const pending = pendings.get(req.pendingId);
      if (!pending) throw new CryptexError("invalid_input", "this sign-up was started in another tab or before a reload: start again");
      const api = createApiClient({ baseUrl: req.baseUrl });
      const account = await forPage(await confirmSignUp(api, pending, req.code, req.sendEmail));
      pendings.delete(req.pendingId);
      return { op: "confirmSignUp", account };
    }
    case "signIn": {
      const api = createApiClient({ baseUrl: req.baseUrl });
      const opened = await signIn({ api, email: req.email, password: req.password, eakText: req.eakText, deviceName: req.deviceName });
      return { op: "signIn", account: await forPage(opened) };
    }
    case "measure":
      return { op: "measure", seconds: await measureGuessSeconds() };
    case "kdfBackend":
      return { op: "kdfBackend", backend: kdfBackend };
    case "unlock": {
      if (req.storeName !== undefined) readAhead(req.storeName); // the sealed index, while Argon2id runs
      try {
        const u = await unlockWithPassword({ accountId: req.accountId, eak: req.eak }, req.password);
        await hold(u.accountKey, u.keys);
      } catch (e) {
        if (req.storeName !== undefined) dropAhead();
        throw e;
      }
      return { op: "unlock" };
    }
    case "signInAgain": {
      // a signed-out device keeps its vault: only its server session is new
      const unlocked = await unlockWithPassword({ accountId: req.accountId, eak: req.eak }, req.password);
      const api = createApiClient({ baseUrl: req.baseUrl });
      return { op: "signInAgain", session: await signInAgain(api, req.email, unlocked, req.deviceName) };
    }
    case "changePassword": {
      const unlocked = await unlockSigner(req.signer);
      const r = await changePassword(signerApi(req.signer), unlocked, req.generation, req.newPassword, req.sendEmail);
      return { op: "changePassword", eak: r.eak.bytes, eakText: r.eakText, eakGeneration: r.eakGeneration, account: r.account };
    }
    case "reset": {
      const unlocked = await unlockSigner(req.signer);
      const r = await resetAccount(signerApi(req.signer), unlocked, req.email, req.newPassword, req.sendEmail);
      return { op: "reset", account: { eak: r.eak.bytes, eakGeneration: r.eakGeneration, resetEpoch: r.resetEpoch } };
    }
    case "rotate": {
      const unlocked = await unlockSigner(req.signer);
      const [{ rotateAccountKey }, { openIdbStore }] = await Promise.all([
        import("@cryptex/core/sync/rotate-key.ts"),
        import("../store/idb-store.ts"),
      ]);
      const store = await openIdbStore(req.storeName);
      try {
        const r = await rotateAccountKey({
          api: signerApi(req.signer),
          store,
          unlocked,
          password: req.signer.password,
          sendEmail: req.sendEmail,
        });
        return { op: "rotate", eakGeneration: r.eakGeneration };
      } finally {
        await store.close();
      }
    }
    case "vault": {
      const fn = vaultHost[req.method] as (...args: unknown[]) => Promise<unknown>;
      return { op: "vault", value: await fn(...req.args) };
    }
  }
}

onVaultEvent((event, transfer = []) => (self as unknown as Worker).postMessage({ id: 0, event } satisfies AccountResponse, transfer));

self.onmessage = async (ev: MessageEvent<AccountRequest & { id: number }>) => {
  const { id } = ev.data;
  let res: AccountResponse;
  try {
    res = { id, ok: true, result: await run(ev.data) };
  } catch (e) {
    if (e instanceof CryptexError) res = { id, ok: false, kind: "core", code: e.code, status: 0, message: e.message };
    else if (e instanceof ApiError) res = { id, ok: false, kind: "api", code: e.code, status: e.status, message: e.message };
    else res = { id, ok: false, kind: "other", code: "internal", status: 0, message: e instanceof Error ? e.message : "failed" };
  }
  flushVaultEvents(); // what the call changed reaches the page before its answer
  (self as unknown as Worker).postMessage(res, res.ok && res.result.op === "vault" ? transfersOf(res.result.value) : []);
};
