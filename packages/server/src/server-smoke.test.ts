// The minimal life cycle against the real server process: sign up (outbox mail), sign in, account, push, pull.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { readdirSync } from "node:fs";
import { after, before, test } from "node:test";
import { decodeQrImage } from "@cryptex/core/formats/qr-decode.ts";
import { signIn, signUp } from "./testing/accounts.ts";
import { request } from "./testing/https-client.ts";
import { outboxMailbox } from "./testing/mailbox.ts";
import { type RunningServer, startServer } from "./testing/start-server.ts";

let srv: RunningServer;
before(async () => {
  srv = await startServer();
});
after(() => srv?.stop());

test("sign up, sign in, account, push and pull; the QR mail lands in the outbox", async () => {
  const a = await signUp(srv, { sendEmail: true });
  assert.equal(readdirSync(srv.outboxDir).filter((f) => f.endsWith(".eml")).length, 2, "the confirmation code, then the QR mail");
  const mail = await outboxMailbox(srv.outboxDir).next(a.email, /QR Code/);
  assert.equal(mail.subject, "IMPORTANT: Cryptex Account QR Code for your new account");
  assert.ok(mail.text.includes(a.eakText));
  const png = mail.attachments.find((x) => x.contentType === "image/png");
  assert.ok(png);
  assert.equal(decodeQrImage(new Uint8Array(png.content)), a.eakText);
  const s = await signIn(srv, a);
  const acc = await request("GET", `${srv.url}/api/v1/account`, { ca: srv.caPem, token: s.token });
  assert.equal(acc.status, 200);
  assert.deepEqual(
    { ...acc.json, createdAt: 0 },
    {
      accountId: a.accountId,
      email: a.email,
      verifier: a.verifier,
      wrappedEak: a.wrappedEak,
      eakGeneration: 0,
      resetEpoch: 0,
      revision: 0,
      emailEnabled: true,
      createdAt: 0,
    },
  );
  const id = randomUUID();
  const push = await request("POST", `${srv.url}/api/v1/items`, {
    ca: srv.caPem,
    token: a.token,
    body: { items: [{ id, baseRevision: 0, data: "AAECAw" }] },
  });
  assert.equal(push.status, 200, push.text);
  assert.deepEqual(push.json, { revision: 1, items: [{ id, revision: 1 }] });
  const pull = await request("GET", `${srv.url}/api/v1/items?since=0`, { ca: srv.caPem, token: s.token });
  assert.deepEqual(pull.json, { items: [{ id, revision: 1, data: "AAECAw" }], revision: 1, more: false, next: 1 });
});
