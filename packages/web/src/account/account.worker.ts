// Web Worker running core's account flows, whose Argon2id runs would otherwise freeze the page for a second.
// Results (CryptoKeys, bytes) come back by structured clone; nothing leaves the device.
import { measureGuessSeconds } from "@cryptex/core";
import {
  changePassword,
  confirmSignUp,
  resetAccount,
  signIn,
  signInAgain,
  startSignUp,
  unlockWithPassword,
} from "@cryptex/core/client/account.ts";
import { ApiError, createApiClient } from "@cryptex/core/client/api-client.ts";
import { CryptexError } from "@cryptex/core/errors.ts";
import type { AccountRequest, AccountResponse, AccountResult } from "./account-protocol.ts";

async function run(req: AccountRequest): Promise<AccountResult> {
  switch (req.op) {
    case "startSignUp": {
      const api = createApiClient({ baseUrl: req.baseUrl });
      return {
        op: "startSignUp",
        pending: await startSignUp({ api, email: req.email, password: req.password, deviceName: req.deviceName }),
      };
    }
    case "confirmSignUp": {
      const api = createApiClient({ baseUrl: req.baseUrl });
      return { op: "confirmSignUp", account: await confirmSignUp(api, req.pending, req.code, req.sendEmail) };
    }
    case "signIn": {
      const api = createApiClient({ baseUrl: req.baseUrl });
      return {
        op: "signIn",
        account: await signIn({ api, email: req.email, password: req.password, eakText: req.eakText, deviceName: req.deviceName }),
      };
    }
    case "measure":
      return { op: "measure", seconds: await measureGuessSeconds() };
    case "unlock":
      return { op: "unlock", unlocked: await unlockWithPassword({ accountId: req.accountId, eak: req.eak }, req.password) };
    case "signInAgain": {
      // a signed-out device keeps its vault: only its server session is new
      const unlocked = await unlockWithPassword({ accountId: req.accountId, eak: req.eak }, req.password);
      const api = createApiClient({ baseUrl: req.baseUrl });
      return { op: "signInAgain", session: await signInAgain(api, req.email, unlocked, req.deviceName) };
    }
    case "changePassword": {
      const api = createApiClient({ baseUrl: req.baseUrl, token: req.token });
      const r = await changePassword(api, req.unlocked, req.generation, req.newPassword, req.sendEmail);
      return { op: "changePassword", eak: r.eak.bytes, eakText: r.eakText, eakGeneration: r.eakGeneration, account: r.account };
    }
    case "reset": {
      const api = createApiClient({ baseUrl: req.baseUrl, token: req.token });
      const r = await resetAccount(api, req.unlocked, req.email, req.newPassword, req.sendEmail);
      return { op: "reset", account: { ...r, eak: r.eak.bytes } };
    }
  }
}

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
  (self as unknown as Worker).postMessage(res);
};
