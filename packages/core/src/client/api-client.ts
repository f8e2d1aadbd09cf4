// Typed client of /api/v1 (docs/api.md). Every answer is hostile until validated with the wire shapes;
// sizes are bounded before parsing. The fetch function is a port: Node callers pass one that trusts a CA.
import { CryptexError } from "../errors.ts";
import { type Infer, parseJson, type Shape } from "../schema/shape.ts";
import {
  type AccountAnswer,
  API_PREFIX,
  accountAnswer,
  accountEvent,
  actionChallengeAnswer,
  type BlobStateAnswer,
  blobStateAnswer,
  type ChallengeAnswer,
  type ChangePasswordRequest,
  type ConfirmSignupRequest,
  type ConflictAnswer,
  challengeAnswer,
  conflictAnswer,
  endSessionsAnswer,
  errorAnswer,
  manifestsAnswer,
  type PullAnswer,
  type PushAnswer,
  type PushItem,
  pullAnswer,
  pushAnswer,
  type ResetRequest,
  type RotationCommitRequest,
  type RotationStageRequest,
  revisionEvent,
  rotationIncompleteAnswer,
  type SessionAnswer,
  type SessionsAnswer,
  type SigninRequest,
  type SignupAnswer,
  type SignupRequest,
  sessionAnswer,
  sessionsAnswer,
  signupAnswer,
  syncProfileAnswer,
} from "../wire/api.ts";

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** An HTTP answer that is not a success: `code` is the server's stable code, or a client-side one. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
  }
}

const MAX_ANSWER_CHARS = 48 * 1024 * 1024;
const MAX_ERROR_CHARS = 64 * 1024;

export type LiveEvent = { type: "revision"; revision: number } | { type: "account"; eakGeneration: number; resetEpoch: number };

export interface ApiClientOptions {
  baseUrl: string;
  token?: string | undefined;
  fetch?: FetchLike | undefined;
  /** per-request timeout, ms (not applied to the live channel) */
  timeoutMs?: number;
}

export type RotationResult = { ok: true; account: AccountAnswer } | { ok: false; items: readonly string[] };

export type PushResult = { ok: true; answer: PushAnswer } | { ok: false; conflicts: ConflictAnswer["conflicts"] };

export interface ApiClient {
  readonly baseUrl: string;
  readonly origin: string;
  token: string | undefined;
  /** Starts a sign-up: the account exists only after confirmSignup with the mailed code. */
  signup(req: SignupRequest): Promise<SignupAnswer>;
  confirmSignup(req: ConfirmSignupRequest): Promise<SessionAnswer>;
  /** Forgotten password: mails a reset code to the address if it has an account (the answer is the same either way). */
  forgot(email: string): Promise<void>;
  /** Wipes the account's server copy when the code is right; the address can then sign up again. */
  forgotConfirm(email: string, code: string): Promise<void>;
  challenge(email: string): Promise<ChallengeAnswer>;
  signin(req: SigninRequest): Promise<SessionAnswer>;
  signout(): Promise<void>;
  account(): Promise<AccountAnswer>;
  sessions(): Promise<SessionsAnswer>;
  revokeSession(id: string): Promise<void>;
  /** Signs out every other device of the account (this session stays); the number ended. */
  endOtherSessions(): Promise<number>;
  actionChallenge(): Promise<Infer<typeof actionChallengeAnswer>>;
  changePassword(req: ChangePasswordRequest): Promise<AccountAnswer>;
  resendMail(eakText: string): Promise<void>;
  reset(req: ResetRequest): Promise<AccountAnswer>;
  deleteAccount(req: { challenge: string; signature: string; confirm: string }): Promise<void>;
  /** Account Key rotation: stage re-encrypted copies, drop them, or switch to them in one step. */
  stageRotation(req: RotationStageRequest): Promise<void>;
  discardRotation(): Promise<void>;
  commitRotation(req: RotationCommitRequest): Promise<RotationResult>;
  pull(since: number, limit?: number): Promise<PullAnswer>;
  push(items: readonly PushItem[]): Promise<PushResult>;
  manifests(): Promise<Infer<typeof manifestsAnswer>>;
  putManifest(deviceId: string, data: string): Promise<void>;
  /** The account's sealed sync profile (sync/log/sync-profile.ts), null when none was stored. */
  syncProfile(): Promise<Infer<typeof syncProfileAnswer>>;
  putSyncProfile(data: string): Promise<void>;
  /** An attachment blob's upload state, or undefined when the server holds none under this id. */
  blobState(id: string): Promise<BlobStateAnswer | undefined>;
  /** Sends bytes [offset, offset + piece.length) of a blob of `size` bytes (the server must be at `offset`). */
  putBlob(id: string, offset: number, size: number, piece: Uint8Array): Promise<BlobStateAnswer>;
  /** The blob's bytes from `offset`, as they arrive; at most `maxBytes` are read (a longer answer is an error). */
  getBlob(id: string, offset: number, maxBytes: number): AsyncIterable<Uint8Array>;
  /** false when the server held no such blob */
  deleteBlob(id: string): Promise<boolean>;
  /** The live channel: yields events until `signal` aborts or the server closes the stream. */
  events(signal: AbortSignal): AsyncIterable<LiveEvent>;
}

export function createApiClient(opts: ApiClientOptions): ApiClient {
  const base = opts.baseUrl.replace(/\/+$/, "");
  let parsed: URL;
  try {
    parsed = new URL(base);
  } catch {
    throw new CryptexError("invalid_input", `invalid server URL: ${base.slice(0, 200)}`);
  }
  if (parsed.protocol !== "https:") throw new CryptexError("invalid_input", "the server URL must start with https://");
  const doFetch: FetchLike = opts.fetch ?? ((url, init) => globalThis.fetch(url, init));
  const timeoutMs = opts.timeoutMs ?? 60_000;

  async function send(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<Response> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (client.token) headers.authorization = `Bearer ${client.token}`;
    const raw = body instanceof Uint8Array;
    if (body !== undefined) headers["content-type"] = raw ? "application/octet-stream" : "application/json";
    try {
      return await doFetch(base + API_PREFIX + path, {
        method,
        headers,
        ...(body !== undefined ? { body: raw ? (body as BufferSource) : JSON.stringify(body) } : {}),
        signal: signal ?? AbortSignal.timeout(timeoutMs),
      });
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      throw new ApiError(0, "network", `cannot reach ${parsed.origin}: ${why.slice(0, 200)}`);
    }
  }

  /** Reads the body counting bytes as they arrive: a chunked answer without a length is cut off at `max`. */
  async function readText(res: Response, max: number): Promise<string> {
    const tooLarge = () => new ApiError(res.status, "answer_too_large", "the server's answer is too large");
    const declared = Number(res.headers.get("content-length") ?? "0");
    if (declared > max) {
      await res.body?.cancel().catch(() => {});
      throw tooLarge();
    }
    if (!res.body) return "";
    const reader = res.body.getReader();
    const parts: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > max) {
        await reader.cancel().catch(() => {});
        throw tooLarge();
      }
      parts.push(value);
    }
    const all = new Uint8Array(size);
    let at = 0;
    for (const p of parts) {
      all.set(p, at);
      at += p.byteLength;
    }
    return new TextDecoder().decode(all);
  }

  async function fail(res: Response): Promise<never> {
    let code = "http_error";
    let message = `the server answered ${res.status}`;
    try {
      const e = parseJson(errorAnswer, await readText(res, MAX_ERROR_CHARS), MAX_ERROR_CHARS);
      code = e.code;
      message = e.message;
    } catch {
      // a non-JSON or unknown error body: keep the status only
    }
    throw new ApiError(res.status, code, message);
  }

  async function call<T>(method: string, path: string, shape: Shape<T>, body?: unknown, okStatus = [200, 201]): Promise<T> {
    const res = await send(method, path, body);
    if (!okStatus.includes(res.status)) return fail(res);
    try {
      return parseJson(shape, await readText(res, MAX_ANSWER_CHARS), MAX_ANSWER_CHARS);
    } catch (e) {
      if (e instanceof ApiError) throw e;
      throw new ApiError(res.status, "bad_answer", `the server sent an invalid answer (${(e as Error).message.slice(0, 200)})`);
    }
  }

  async function parseAnswer<T>(res: Response, shape: Shape<T>): Promise<T> {
    try {
      return parseJson(shape, await readText(res, MAX_ERROR_CHARS), MAX_ERROR_CHARS);
    } catch (e) {
      if (e instanceof ApiError) throw e;
      throw new ApiError(res.status, "bad_answer", `the server sent an invalid answer (${(e as Error).message.slice(0, 200)})`);
    }
  }

  async function callEmpty(method: string, path: string, body?: unknown): Promise<void> {
    const res = await send(method, path, body);
    if (res.status < 200 || res.status > 299) return fail(res);
    await res.body?.cancel();
  }

  const client: ApiClient = {
    baseUrl: base,
    origin: parsed.origin,
    token: opts.token,
    signup: (req) => call("POST", "/accounts", signupAnswer, req, [202]),
    confirmSignup: (req) => call("POST", "/accounts/confirm", sessionAnswer, req),
    forgot: (email) => callEmpty("POST", "/auth/forgot", { email }),
    forgotConfirm: (email, code) => callEmpty("POST", "/auth/forgot/confirm", { email, code }),
    challenge: (email) => call("POST", "/auth/challenge", challengeAnswer, { email }),
    signin: (req) => call("POST", "/auth/signin", sessionAnswer, req),
    signout: () => callEmpty("POST", "/auth/signout"),
    account: () => call("GET", "/account", accountAnswer),
    sessions: () => call("GET", "/sessions", sessionsAnswer),
    revokeSession: (id) => callEmpty("DELETE", `/sessions/${encodeURIComponent(id)}`),
    endOtherSessions: async () => (await call("DELETE", "/sessions", endSessionsAnswer)).ended,
    actionChallenge: () => call("POST", "/account/challenge", actionChallengeAnswer),
    changePassword: (req) => call("POST", "/account/password", accountAnswer, req),
    resendMail: (eakText) => callEmpty("POST", "/account/mail", { eakText }),
    reset: (req) => call("POST", "/account/reset", accountAnswer, req),
    deleteAccount: (req) => callEmpty("DELETE", "/account", req),
    stageRotation: (req) => callEmpty("PUT", "/account/rotation/items", req),
    discardRotation: () => callEmpty("DELETE", "/account/rotation"),
    async commitRotation(req) {
      const res = await send("POST", "/account/rotation", req);
      if (res.status === 409) {
        const text = await readText(res, MAX_ERROR_CHARS);
        let items: readonly string[] | undefined;
        try {
          items = parseJson(rotationIncompleteAnswer, text, MAX_ERROR_CHARS).items;
        } catch {
          // another 409 (a stale generation): reported as the error it is below
        }
        if (items) return { ok: false, items };
        let code = "conflict";
        let message = "the server answered 409";
        try {
          ({ code, message } = parseJson(errorAnswer, text, MAX_ERROR_CHARS));
        } catch {
          // keep the status only
        }
        throw new ApiError(409, code, message);
      }
      if (res.status !== 200) return fail(res);
      try {
        return { ok: true, account: parseJson(accountAnswer, await readText(res, MAX_ANSWER_CHARS), MAX_ANSWER_CHARS) };
      } catch (e) {
        if (e instanceof ApiError) throw e;
        throw new ApiError(200, "bad_answer", `the server sent an invalid answer (${(e as Error).message.slice(0, 200)})`);
      }
    },
    pull: (since, limit = 1000) => call("GET", `/items?since=${since}&limit=${limit}`, pullAnswer),
    async push(items) {
      const res = await send("POST", "/items", { items });
      if (res.status === 409) {
        try {
          const c = parseJson(conflictAnswer, await readText(res, MAX_ANSWER_CHARS), MAX_ANSWER_CHARS);
          return { ok: false, conflicts: c.conflicts };
        } catch (e) {
          throw new ApiError(409, "bad_answer", `the server sent an invalid conflict answer (${(e as Error).message.slice(0, 200)})`);
        }
      }
      if (res.status !== 200) return fail(res);
      try {
        return { ok: true, answer: parseJson(pushAnswer, await readText(res, MAX_ANSWER_CHARS), MAX_ANSWER_CHARS) };
      } catch (e) {
        throw new ApiError(200, "bad_answer", `the server sent an invalid answer (${(e as Error).message.slice(0, 200)})`);
      }
    },
    manifests: () => call("GET", "/manifests", manifestsAnswer),
    putManifest: (deviceId, data) => callEmpty("PUT", `/manifests/${encodeURIComponent(deviceId)}`, { data }),
    syncProfile: () => call("GET", "/sync-profile", syncProfileAnswer),
    putSyncProfile: (data) => callEmpty("PUT", "/sync-profile", { data }),
    async blobState(id) {
      const res = await send("GET", `/blobs/${encodeURIComponent(id)}/state`);
      if (res.status === 404) {
        await res.body?.cancel().catch(() => {});
        return undefined;
      }
      if (res.status !== 200) return fail(res);
      return parseAnswer(res, blobStateAnswer);
    },
    async putBlob(id, offset, size, piece) {
      const res = await send("PUT", `/blobs/${encodeURIComponent(id)}?offset=${offset}&size=${size}`, piece);
      if (res.status !== 200) return fail(res);
      return parseAnswer(res, blobStateAnswer);
    },
    getBlob: (id, offset, maxBytes) => readBlob(send, fail, `/blobs/${encodeURIComponent(id)}?offset=${offset}`, maxBytes),
    async deleteBlob(id) {
      const res = await send("DELETE", `/blobs/${encodeURIComponent(id)}`);
      if (res.status === 404) {
        await res.body?.cancel().catch(() => {});
        return false;
      }
      if (res.status !== 204) return fail(res);
      return true;
    },
    events: (signal) => readEvents(send, fail, signal),
  };
  return client;
}

/** A blob download may take long: it is bounded by this, not by the per-request timeout. */
const BLOB_TIMEOUT_MS = 60 * 60 * 1000;

/** Streams a blob's bytes, refusing more than `maxBytes` (a server cannot make a device store more than it expects). */
async function* readBlob(
  send: (m: string, p: string, b?: unknown, s?: AbortSignal) => Promise<Response>,
  fail: (res: Response) => Promise<never>,
  path: string,
  maxBytes: number,
): AsyncIterable<Uint8Array> {
  const res = await send("GET", path, undefined, AbortSignal.timeout(BLOB_TIMEOUT_MS));
  if (res.status !== 200) await fail(res);
  if (!res.body) return;
  if (Number(res.headers.get("content-length") ?? "0") > maxBytes) {
    await res.body.cancel().catch(() => {});
    throw new ApiError(200, "answer_too_large", "the server sent more bytes than the attachment has");
  }
  const reader = res.body.getReader();
  let size = 0;
  try {
    for (;;) {
      let step: ReadableStreamReadResult<Uint8Array>;
      try {
        step = await reader.read();
      } catch (e) {
        throw new ApiError(0, "network", `the download was interrupted: ${(e instanceof Error ? e.message : String(e)).slice(0, 200)}`);
      }
      if (step.done) return;
      size += step.value.byteLength;
      if (size > maxBytes) throw new ApiError(200, "answer_too_large", "the server sent more bytes than the attachment has");
      yield step.value;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}

const MAX_EVENT_CHARS = 4096;

/** Reads text/event-stream: bounded lines, unknown events ignored, malformed data dropped. */
async function* readEvents(
  send: (m: string, p: string, b?: unknown, s?: AbortSignal) => Promise<Response>,
  fail: (res: Response) => Promise<never>,
  signal: AbortSignal,
): AsyncIterable<LiveEvent> {
  const res = await send("GET", "/events", undefined, signal);
  if (res.status !== 200) await fail(res);
  if (!res.body) return;
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = "";
  let event = "message";
  let data = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buf += value;
      if (buf.length > MAX_EVENT_CHARS * 4 && !buf.includes("\n")) throw new ApiError(200, "bad_answer", "live channel line too long");
      let nl = buf.indexOf("\n");
      while (nl >= 0) {
        const line = buf.slice(0, nl).replace(/\r$/, "");
        buf = buf.slice(nl + 1);
        nl = buf.indexOf("\n");
        if (line === "") {
          const ev = toEvent(event, data);
          event = "message";
          data = "";
          if (ev) yield ev;
        } else if (line.startsWith("event:")) event = line.slice(6).trim();
        else if (line.startsWith("data:") && data.length < MAX_EVENT_CHARS) data += line.slice(5).trim();
      }
    }
  } finally {
    reader.releaseLock();
  }
}

function toEvent(type: string, data: string): LiveEvent | undefined {
  try {
    if (type === "revision") return { type, ...parseJson(revisionEvent, data, MAX_EVENT_CHARS) };
    if (type === "account") return { type, ...parseJson(accountEvent, data, MAX_EVENT_CHARS) };
  } catch {
    // a malformed event is dropped; the next sync asks the server anyway
  }
  return undefined;
}
