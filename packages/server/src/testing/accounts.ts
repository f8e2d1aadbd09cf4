// Test helper: accounts made the way a client makes them, without the client's Argon2id cost: a random
// Ed25519 auth key, random opaque verifier / wrapped-EAK bytes, and signatures over wire/auth-message.ts.
//
//   const a = await signUp(srv);                       // { accountId, email, token, sessionId, publicKey, sign, eakText, ... }
//                                                      // (confirmed with the code from srv.outboxDir, or over.mailbox)
//   const t = await signIn(srv, a, "phone");           // a new session token for the same account
//   const c = await actionChallenge(srv, a.token);     // bytes + text of a fresh /account/challenge
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { authMessage, SIGNUP_CHALLENGE } from "@cryptex/core/wire/auth-message.ts";
import { ed25519 } from "@noble/curves/ed25519.js";
import { request } from "./https-client.ts";
import { type Mailbox, outboxMailbox } from "./mailbox.ts";

export interface TestAccount {
  readonly accountId: string;
  readonly email: string;
  readonly token: string;
  readonly sessionId: string;
  readonly secretKey: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly eakText: string;
  readonly verifier: string;
  readonly wrappedEak: string;
  sign(message: Uint8Array): Uint8Array;
}

interface Srv {
  readonly url: string;
  readonly caPem: string;
  readonly outboxDir: string;
}

export const b64u = (b: Uint8Array) => Buffer.from(b).toString("base64url");
/** The kit fingerprint a client sends with a new EAK (core's kitFingerprint): 16 bytes of SHA-256 of the text. */
export const kitOf = (eakText: string) => createHash("sha256").update(eakText).digest().subarray(0, 16).toString("base64url");
const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
export const randomEakText = () => `CRYPTEX:${Array.from(randomBytes(120), (x) => BASE32[x & 31]).join("")}`;

export function newKeyPair() {
  const secretKey = ed25519.utils.randomSecretKey();
  return { secretKey, publicKey: ed25519.getPublicKey(secretKey) };
}

export async function signUp(
  srv: Srv,
  over: { email?: string; sendEmail?: boolean; deviceName?: string; mailbox?: Mailbox } = {},
): Promise<TestAccount> {
  const accountId = randomUUID();
  const email = over.email ?? `user-${randomUUID().slice(0, 8)}@example.org`;
  const { secretKey, publicKey } = newKeyPair();
  const origin = new URL(srv.url).origin;
  const eakText = randomEakText();
  const verifier = b64u(randomBytes(60));
  const wrappedEak = b64u(randomBytes(150));
  const r = await request("POST", `${srv.url}/api/v1/accounts`, {
    ca: srv.caPem,
    body: {
      accountId,
      email,
      authPublicKey: b64u(publicKey),
      signature: b64u(ed25519.sign(authMessage("signup", origin, accountId, SIGNUP_CHALLENGE, publicKey), secretKey)),
      verifier,
      wrappedEak,
      deviceName: over.deviceName ?? "laptop",
    },
  });
  if (r.status !== 202) throw new Error(`sign-up failed: ${r.status} ${r.text}`);
  const code = await (over.mailbox ?? outboxMailbox(srv.outboxDir)).code(email, "signup");
  const sendEmail = over.sendEmail ?? false;
  const c = await request("POST", `${srv.url}/api/v1/accounts/confirm`, {
    ca: srv.caPem,
    body: { pendingId: r.json.pendingId, code, sendEmail, kit: kitOf(eakText), ...(sendEmail ? { eakText } : {}) },
  });
  if (c.status !== 201) throw new Error(`sign-up confirmation failed: ${c.status} ${c.text}`);
  return {
    accountId,
    email,
    token: c.json.token,
    sessionId: c.json.sessionId,
    secretKey,
    publicKey,
    eakText,
    verifier,
    wrappedEak,
    sign: (m) => ed25519.sign(m, secretKey),
  };
}

export async function signIn(
  srv: Srv,
  a: Pick<TestAccount, "email" | "sign">,
  deviceName = "phone",
): Promise<{ token: string; sessionId: string }> {
  const c = await request("POST", `${srv.url}/api/v1/auth/challenge`, { ca: srv.caPem, body: { email: a.email } });
  if (c.status !== 200) throw new Error(`challenge failed: ${c.status} ${c.text}`);
  const challenge = new Uint8Array(Buffer.from(c.json.challenge, "base64url"));
  const r = await request("POST", `${srv.url}/api/v1/auth/signin`, {
    ca: srv.caPem,
    body: {
      accountId: c.json.accountId,
      challenge: c.json.challenge,
      signature: b64u(a.sign(authMessage("signin", c.json.origin, c.json.accountId, challenge))),
      deviceName,
    },
  });
  if (r.status !== 200) throw new Error(`sign-in failed: ${r.status} ${r.text}`);
  return { token: r.json.token, sessionId: r.json.sessionId };
}

export async function actionChallenge(srv: Srv, token: string): Promise<{ text: string; bytes: Uint8Array; origin: string }> {
  const r = await request("POST", `${srv.url}/api/v1/account/challenge`, { ca: srv.caPem, token });
  if (r.status !== 200) throw new Error(`action challenge failed: ${r.status} ${r.text}`);
  return { text: r.json.challenge, bytes: new Uint8Array(Buffer.from(r.json.challenge, "base64url")), origin: r.json.origin };
}
