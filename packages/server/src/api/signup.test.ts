// Sign-up confirmed by a mailed code, the forgotten-password erase and the notices, against the real server
// process: one plain address only, the same answer for taken addresses, pending sign-ups that never block the
// address, codes that die after a few guesses, a per-recipient mail limit, distinct subjects.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { parse } from "@cryptex/core/schema/shape.ts";
import { errorAnswer, signupAnswer } from "@cryptex/core/wire/api.ts";
import { authMessage, SIGNUP_CHALLENGE } from "@cryptex/core/wire/auth-message.ts";
import { ed25519 } from "@noble/curves/ed25519.js";
import { b64u, newKeyPair, randomEakText, signIn, signUp } from "../testing/accounts.ts";
import { request } from "../testing/https-client.ts";
import { outboxMailbox } from "../testing/mailbox.ts";
import { type RunningServer, startServer } from "../testing/start-server.ts";

let srv: RunningServer;
let strict: RunningServer; // real rate limits
before(async () => {
  [srv, strict] = await Promise.all([startServer(), startServer({ env: { RATE_LIMIT_SCALE: "1" } })]);
});
after(() => Promise.all([srv?.stop(), strict?.stop()]));

const api = (method: string, path: string, opts: Parameters<typeof request>[2] = {}, s = srv) =>
  request(method, `${s.url}/api/v1${path}`, { ca: s.caPem, ...opts });
function assertError(r: { status: number; json: unknown }, status: number, code: string) {
  assert.equal(r.status, status, JSON.stringify(r.json));
  assert.equal(parse(errorAnswer, r.json).code, code);
}

/** A well-formed, correctly signed sign-up body for `email`. */
function signupBody(email: string, s = srv) {
  const { publicKey, secretKey } = newKeyPair();
  const accountId = randomUUID();
  const origin = new URL(s.url).origin;
  return {
    accountId,
    email,
    authPublicKey: b64u(publicKey),
    signature: b64u(ed25519.sign(authMessage("signup", origin, accountId, SIGNUP_CHALLENGE, publicKey), secretKey)),
    verifier: "dg",
    wrappedEak: "dw",
    deviceName: "laptop",
  };
}
const newEmail = () => `u-${randomUUID().slice(0, 8)}@example.org`;

describe("sign-up", () => {
  test("only a single plain addr-spec is accepted", async () => {
    for (const email of [
      "x<victim@example.org",
      "a,victim@example.org",
      "Name <victim@example.org>",
      "victim@example.org, other@example.org",
      '"a b"@example.org',
      "a@b@example.org",
      "victim@example.org\r\nBcc: x@example.org",
      "victim@localhost",
      "a..b@example.org",
    ]) {
      assertError(await api("POST", "/accounts", { body: signupBody(email) }), 400, "bad_request");
      assertError(await api("POST", "/auth/forgot", { body: { email } }), 400, "bad_request");
    }
  });

  test("a bad proof of possession is refused", async () => {
    const body = signupBody(newEmail());
    assertError(await api("POST", "/accounts", { body: { ...body, accountId: randomUUID() } }), 403, "forbidden");
  });

  test("nothing exists until the mailed code is confirmed; the code works once", async () => {
    const email = newEmail();
    const body = signupBody(email);
    const r = await api("POST", "/accounts", { body });
    assert.equal(r.status, 202, r.text);
    parse(signupAnswer, r.json);
    // not an account yet: sign-in gets the fake id of an unknown address
    const ch = await api("POST", "/auth/challenge", { body: { email } });
    assert.notEqual(ch.json.accountId, body.accountId);
    const code = await outboxMailbox(srv.outboxDir).code(email, "signup");
    const wrong = code === "00000000" ? "11111111" : "00000000";
    assertError(
      await api("POST", "/accounts/confirm", { body: { pendingId: r.json.pendingId, code: wrong, sendEmail: false } }),
      400,
      "code_invalid",
    );
    const ok = await api("POST", "/accounts/confirm", { body: { pendingId: r.json.pendingId, code, sendEmail: false } });
    assert.equal(ok.status, 201, ok.text);
    assert.equal((await api("GET", "/account", { token: ok.json.token })).json.accountId, body.accountId);
    assertError(
      await api("POST", "/accounts/confirm", { body: { pendingId: r.json.pendingId, code, sendEmail: false } }),
      400,
      "code_invalid",
    );
  });

  test("a taken address gets the same answer; its owner gets a 'someone tried' mail and no code", async () => {
    const owner = await signUp(srv);
    const box = outboxMailbox(srv.outboxDir);
    const r = await api("POST", "/accounts", { body: signupBody(owner.email.toUpperCase()) });
    const fresh = await api("POST", "/accounts", { body: signupBody(newEmail()) });
    assert.equal(r.status, fresh.status);
    assert.deepEqual(Object.keys(r.json).sort(), Object.keys(fresh.json).sort());
    const mail = await box.next(owner.email, /someone tried to create an account/);
    assert.match(mail.text, /already has an account/);
    assert.doesNotMatch(mail.text, /\d{4} \d{4}/);
    for (const code of ["00000000", "12345678"])
      assertError(
        await api("POST", "/accounts/confirm", { body: { pendingId: r.json.pendingId, code, sendEmail: false } }),
        400,
        "code_invalid",
      );
  });

  test("pending sign-ups never block the address: the first confirmed wins", async () => {
    const email = newEmail();
    const box = outboxMailbox(srv.outboxDir);
    const squatter = await api("POST", "/accounts", { body: signupBody(email) });
    const squatterCode = await box.code(email, "signup");
    const owner = await api("POST", "/accounts", { body: signupBody(email) });
    const ownerCode = await box.code(email, "signup");
    assert.equal(
      (await api("POST", "/accounts/confirm", { body: { pendingId: owner.json.pendingId, code: ownerCode, sendEmail: false } })).status,
      201,
    );
    assertError(
      await api("POST", "/accounts/confirm", { body: { pendingId: squatter.json.pendingId, code: squatterCode, sendEmail: false } }),
      409,
      "email_taken",
    );
  });

  test("a code dies after 5 wrong guesses", async () => {
    const email = newEmail();
    const r = await api("POST", "/accounts", { body: signupBody(email) });
    const code = await outboxMailbox(srv.outboxDir).code(email, "signup");
    const wrong = code === "99999999" ? "99999998" : "99999999";
    for (let i = 0; i < 5; i++)
      await api("POST", "/accounts/confirm", { body: { pendingId: r.json.pendingId, code: wrong, sendEmail: false } });
    assertError(
      await api("POST", "/accounts/confirm", { body: { pendingId: r.json.pendingId, code, sendEmail: false } }),
      400,
      "code_invalid",
    );
  });

  test("the EAK text comes only with a mail request, and then the QR mail has its own subject", async () => {
    const email = newEmail();
    const box = outboxMailbox(srv.outboxDir);
    const r = await api("POST", "/accounts", { body: signupBody(email) });
    const code = await box.code(email, "signup");
    const eakText = randomEakText();
    const body = { pendingId: r.json.pendingId, code };
    assertError(await api("POST", "/accounts/confirm", { body: { ...body, sendEmail: false, eakText } }), 400, "bad_request");
    assertError(await api("POST", "/accounts/confirm", { body: { ...body, sendEmail: true } }), 400, "bad_request");
    assert.equal((await api("POST", "/accounts/confirm", { body: { ...body, sendEmail: true, eakText } })).status, 201);
    const mail = await box.next(email, /QR Code/);
    assert.equal(mail.subject, "IMPORTANT: Cryptex Account QR Code for your new account");
    assert.ok(mail.text.includes(eakText));
  });

  test("at most 5 code mails an hour reach one address, whoever asks", async () => {
    const email = newEmail();
    for (let i = 0; i < 5; i++) assert.equal((await api("POST", "/accounts", { body: signupBody(email, strict) }, strict)).status, 202);
    assertError(await api("POST", "/accounts", { body: signupBody(email, strict) }, strict), 429, "rate_limited");
    assertError(await api("POST", "/auth/forgot", { body: { email } }, strict), 429, "rate_limited");
    // another address is not affected
    assert.equal((await api("POST", "/accounts", { body: signupBody(newEmail(), strict) }, strict)).status, 202);
  });
});

describe("notices", () => {
  test("a new sign-in mails the device name and time", async () => {
    const a = await signUp(srv);
    await signIn(srv, a, "Kitchen\u001b[31m tablet");
    const mail = await outboxMailbox(srv.outboxDir).next(a.email, /a new device signed in/);
    assert.equal(mail.subject, "Cryptex: a new device signed in to your account");
    assert.match(mail.text, /A new device signed in: Kitchen \[31m tablet, \w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT/);
  });
});

describe("forgotten password", () => {
  test("unknown addresses get the same answer and no mail", async () => {
    const email = newEmail();
    const r = await api("POST", "/auth/forgot", { body: { email } });
    assert.equal(r.status, 202);
    await assert.rejects(outboxMailbox(srv.outboxDir).next(email, /./, 300));
    assertError(await api("POST", "/auth/forgot/confirm", { body: { email, code: "12345678" } }), 400, "code_invalid");
  });

  test("the mailed code erases the account; other devices are told account_reset; the address signs up again", async () => {
    const a = await signUp(srv);
    const phone = await signIn(srv, a, "phone");
    await api("POST", "/items", { token: a.token, body: { items: [{ id: randomUUID(), baseRevision: 0, data: "AAEC" }] } });
    const box = outboxMailbox(srv.outboxDir);
    assert.equal((await api("POST", "/auth/forgot", { body: { email: a.email } })).status, 202);
    const mail = await box.next(a.email, /reset your account/);
    assert.equal(mail.subject, "Cryptex: your code to reset your account (erases its data)");
    assert.match(mail.text, /No one can recover them/);
    const code = /(\d{4}) (\d{4})/.exec(mail.text)!.slice(1).join("");
    assertError(await api("POST", "/auth/forgot/confirm", { body: { email: newEmail(), code } }), 400, "code_invalid");
    assert.equal((await api("GET", "/account", { token: a.token })).status, 200, "a wrong address erased nothing");
    assert.equal((await api("POST", "/auth/forgot/confirm", { body: { email: a.email, code } })).status, 204);
    assertError(await api("GET", "/items", { token: a.token }), 401, "account_reset");
    assertError(await api("GET", "/account", { token: phone.token }), 401, "account_reset");
    assert.match((await box.next(a.email, /your account was erased/)).text, /cannot be recovered by anyone/);
    assertError(await api("POST", "/auth/forgot/confirm", { body: { email: a.email, code } }), 400, "code_invalid");
    const again = await signUp(srv, { email: a.email });
    const pull = await api("GET", "/items?since=0", { token: again.token });
    assert.deepEqual(pull.json.items, []);
  });
});
