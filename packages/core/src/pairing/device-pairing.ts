// The two ends of "approve a new device from one you already have": the approving device sends the account's
// current EAK (never the Account Key) after its user confirms; the new device then runs the ordinary sign-in
// (account check → Argon2id → challenge sign-in → verifier → newest EAK), so the password stays required.

import type { OpenedAccount } from "../client/account.ts";
import type { ApiClient } from "../client/api-client.ts";
import { CryptexError, isCryptexError } from "../errors.ts";
import { eakToText } from "../formats/eak.ts";
import { unwrapEak } from "../formats/wrapped-eak.ts";
import type { AccountKeys } from "../keys/derive.ts";
import type { PairingChannel } from "./pairing-channel.ts";
import { type PairAnswer, type PairRequest, pairAnswer, pairDone, pairRequest } from "./pairing-messages.ts";

export interface PairingRequestView {
  readonly deviceName: string;
  readonly platform: string;
  readonly email: string;
  /** must equal the code the new device shows */
  readonly comparison: string;
}

/** The account's current EAK as the server holds it, opened: encrypted text, safe to send to the new device. */
export interface CurrentEak {
  readonly accountId: string;
  readonly eakGeneration: number;
  readonly eakText: string;
}

/** The server's current EAK, not the one this device last saw: a password changed elsewhere is honoured. */
export async function currentEak(api: ApiClient, keys: AccountKeys): Promise<CurrentEak> {
  const account = await api.account();
  if (account.accountId !== keys.accountId) throw new CryptexError("foreign_key", "the server answered with another account");
  const eak = await unwrapEak(keys, account.wrappedEak, account.eakGeneration);
  return { accountId: keys.accountId, eakGeneration: account.eakGeneration, eakText: eakToText(eak) };
}

export interface ApproveInput {
  /** signed in to the account (its session sees the current wrapped EAK) */
  readonly api: ApiClient;
  /** the account's keys, or a call that runs `currentEak` where they live (the web app's worker) */
  readonly keys: AccountKeys | (() => Promise<CurrentEak>);
  /** this account's e-mail address */
  readonly email: string;
  readonly channel: PairingChannel;
  /** asks the user "Approve DEVICE for E-MAIL?" with the comparison code; false refuses */
  readonly confirm: (request: PairingRequestView) => Promise<boolean>;
}

export type ApproveOutcome =
  | { readonly approved: false; readonly request: PairRequest }
  | { readonly approved: true; readonly request: PairRequest; readonly signedIn: boolean; readonly reason?: string };

const refusal: PairAnswer = { v: 1, approved: false };

export async function approveDevice(input: ApproveInput): Promise<ApproveOutcome> {
  const { channel, api, keys } = input;
  const request = await channel.receive("request", pairRequest);
  if (request.email.trim().toLowerCase() !== input.email.trim().toLowerCase()) {
    await channel.send("answer", refusal);
    throw new CryptexError("pair_rejected", `the new device asks for another account (${request.email.slice(0, 254)}); nothing was sent`);
  }
  const ok = await input.confirm({
    deviceName: request.deviceName,
    platform: request.platform,
    email: request.email,
    comparison: channel.comparison,
  });
  if (!ok) {
    await channel.send("answer", refusal);
    return { approved: false, request };
  }
  const eak = typeof keys === "function" ? await keys() : await currentEak(api, keys);
  await channel.send("answer", {
    v: 1,
    approved: true,
    accountId: eak.accountId,
    email: input.email,
    origin: api.origin,
    eakGeneration: eak.eakGeneration,
    eakText: eak.eakText,
  } satisfies PairAnswer);
  const done = await channel.receive("done", pairDone);
  return { approved: true, request, signedIn: done.ok, ...(done.reason ? { reason: done.reason } : {}) };
}

export interface RequestInput<A extends SignedIn = OpenedAccount> {
  /** the server origin the pairing code belongs to */
  readonly origin: string;
  readonly channel: PairingChannel;
  readonly email: string;
  readonly deviceName: string;
  readonly platform: string;
  /** the ordinary new-device sign-in with the EAK text received (client/account.ts signIn, or a worker running it) */
  readonly signIn: (eakText: string) => Promise<A>;
}

/** What the pairing checks of a signed-in account: a worker may return less than OpenedAccount (no keys). */
export type SignedIn = Pick<OpenedAccount, "accountId" | "eakGeneration">;

/** The new device's side: ask, wait for the answer, then sign in with the EAK it carries (the caller's signIn). */
export async function signInByPairing<A extends SignedIn = OpenedAccount>(input: RequestInput<A>): Promise<A> {
  const { channel } = input;
  await channel.send("request", { v: 1, deviceName: input.deviceName, platform: input.platform, email: input.email } satisfies PairRequest);
  const answer = await channel.receive("answer", pairAnswer);
  if (!answer.approved || answer.eakText === undefined)
    throw new CryptexError("pair_rejected", "the other device did not approve this sign-in");
  let account: A;
  try {
    if (answer.origin !== input.origin)
      throw new CryptexError("origin_mismatch", `the approving device uses ${answer.origin?.slice(0, 200)}`);
    if (answer.email?.trim().toLowerCase() !== input.email.trim().toLowerCase())
      throw new CryptexError("foreign_key", "the approving device is signed in to another account");
    account = await input.signIn(answer.eakText);
    if (account.accountId !== answer.accountId) throw new CryptexError("foreign_key", "the approving device sent another account's key");
    // signIn adopts the server's newest authentic EAK; one older than the approver saw means a server rollback.
    if (account.eakGeneration < (answer.eakGeneration ?? 0))
      throw new CryptexError("rollback", "the server's key is older than the approving device's");
  } catch (e) {
    const reason = isCryptexError(e) ? e.code : ((e as { code?: string }).code ?? "failed");
    await channel.send("done", { v: 1, ok: false, reason: String(reason).slice(0, 60) }).catch(() => {});
    throw e;
  }
  await channel.send("done", { v: 1, ok: true }).catch(() => {});
  return account;
}
