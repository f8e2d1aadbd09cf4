// Core's real client flows (Argon2id, EAK, verifier, auth key) against the real server with real SMTP:
// sign up, the QR mail, a new device signs in from the mailed QR code, change password, sync.
// Then the leak scan: the planted Account Password and Account Key, the session tokens and the EAK text
// appear nowhere in the server's database or logs (the EAK is allowed in mail only, by design).
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { changePassword, signIn, signUp, unlockWithPassword } from "@cryptex/core/client/account.ts";
import { createApiClient, type FetchLike } from "@cryptex/core/client/api-client.ts";
import { decodeQrImage } from "@cryptex/core/formats/qr-decode.ts";
import { request } from "../packages/server/src/testing/https-client.ts";
import { smtpMailbox } from "../packages/server/src/testing/mailbox.ts";
import { type RunningSmtp, startSmtp } from "../packages/server/src/testing/smtp.ts";
import { type RunningServer, startServer } from "../packages/server/src/testing/start-server.ts";

let srv: RunningServer;
let smtp: RunningSmtp;
before(async () => {
  smtp = await startSmtp();
  srv = await startServer({ env: { SMTP_URL: smtp.url, MAIL_FROM: "Cryptex <noreply@example.org>" } });
});
after(async () => {
  await srv?.stop();
  await smtp?.stop();
});

/** fetch over node:https trusting the test server's certificate (Node's fetch takes no CA per call). */
const fetchWithCa: FetchLike = async (url, init) => {
  const r = await request(init.method ?? "GET", url, {
    ca: srv.caPem,
    headers: Object.fromEntries(Object.entries((init.headers ?? {}) as Record<string, string>)),
    ...(typeof init.body === "string" ? { rawBody: init.body } : {}),
  });
  const headers = new Headers();
  for (const [k, v] of Object.entries(r.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(", ") : v);
  return new Response(r.status === 204 ? null : r.text, { status: r.status, headers });
};

test("core client flows work against the server, and no secret reaches its database, logs or mail", async () => {
  const password = "correct horse battery staple 7!";
  const email = "alice@example.org";
  const laptopApi = createApiClient({ baseUrl: srv.url, fetch: fetchWithCa });
  const box = smtpMailbox(smtp);
  const laptop = await signUp({
    api: laptopApi,
    email,
    password,
    deviceName: "laptop",
    sendEmail: true,
    readCode: () => box.code(email, "signup"),
  });

  const mail = await box.next(email, /QR Code/);
  assert.equal(mail!.subject, "IMPORTANT: Cryptex Account QR Code for your new account");
  assert.equal(mail!.to, email);
  assert.ok(mail!.text.includes(laptop.eakText));
  const png = mail!.attachments.find((a) => a.contentType === "image/png");
  assert.ok(png?.cid, "the QR code is an inline image");
  const fromQr = decodeQrImage(png.content);
  assert.equal(fromQr, laptop.eakText);

  // a new device: e-mail + password + the QR code from the mail
  const phoneApi = createApiClient({ baseUrl: srv.url, fetch: fetchWithCa });
  const phone = await signIn({ api: phoneApi, email, password, eakText: fromQr, deviceName: "phone" });
  assert.equal(phone.accountId, laptop.accountId);
  assert.equal(phone.accountKey, laptop.accountKey);

  const push = await laptopApi.push([{ id: crypto.randomUUID(), baseRevision: 0, data: "c2VhbGVk" }]);
  assert.ok(push.ok);
  assert.equal((await phoneApi.pull(0)).items.length, 1);

  // change password on the laptop (signed by the current key); the phone signs in again with the new one
  const newPassword = "another long passphrase 42?";
  const unlocked = await unlockWithPassword({ accountId: laptop.accountId, eak: laptop.eak.bytes }, password);
  const changed = await changePassword(laptopApi, unlocked, 0, newPassword, true);
  assert.equal(changed.account.eakGeneration, 1);
  const second = await box.next(email, /QR Code after your password change/);
  // the Account Key did not change, so the mail must not claim the old QR code stopped working
  assert.doesNotMatch(second.text, /no longer works/);
  assert.match(second.text, /an older QR code\s+opens the account only with the old password\. Your Account Key did not change\./);
  assert.equal(decodeQrImage(second!.attachments.find((a) => a.contentType === "image/png")!.content), changed.eakText);
  const again = await signIn({
    api: createApiClient({ baseUrl: srv.url, fetch: fetchWithCa }),
    email,
    password: newPassword,
    eakText: changed.eakText,
    deviceName: "tablet",
  });
  assert.equal(again.accountKey, laptop.accountKey);
  await assert.rejects(
    signIn({ api: createApiClient({ baseUrl: srv.url, fetch: fetchWithCa }), email, password, eakText: laptop.eakText, deviceName: "old" }),
  );
  const tokens = [laptop.session.token, phone.session.token, again.session.token];

  // ---- leak scan ----
  const files = readdirSync(srv.dataDir).filter((f) => f.startsWith("cryptex.db"));
  const db = Buffer.concat(files.map((f) => readFileSync(join(srv.dataDir, f))));
  const logs = srv.logs();
  for (const [name, secret] of [
    ["password", password],
    ["new password", newPassword],
    ["account key", laptop.accountKey],
    ["eak text", laptop.eakText],
    ["new eak text", changed.eakText],
    ...tokens.map((t, i) => [`token ${i}`, t] as const),
  ] as const) {
    assert.ok(!db.includes(Buffer.from(secret)), `${name} is in the database`);
    assert.ok(!logs.includes(secret), `${name} is in the logs`);
  }
  assert.ok(!db.includes(Buffer.from(laptop.eak.bytes)), "the EAK (binary) is in the database");
  assert.ok(!db.includes(Buffer.from(changed.eak.bytes)), "the new EAK (binary) is in the database");
  for (const m of smtp.messages) {
    assert.ok(!m.raw.includes(password) && !m.raw.includes(newPassword), "a password is in a mail");
    assert.ok(!m.raw.includes(laptop.accountKey), "the account key is in a mail");
  }
});
