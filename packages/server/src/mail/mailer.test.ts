// The mail transports for real: nodemailer against the in-process SMTP server (which offers no STARTTLS), and
// the outbox folder with its retention, also as the server process sees it at start-up.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { startSmtp } from "../testing/smtp.ts";
import { startServer } from "../testing/start-server.ts";
import { createMailer } from "./mailer.ts";
import { buildNoticeMail } from "./notice-mail.ts";

const mail = buildNoticeMail("a@example.org", { kind: "signup-code", code: "12345678" }, "https://localhost:8443");
const options = { from: "Cryptex <cryptex@example.org>", outboxDir: "/nonexistent", outboxRetentionMs: 3_600_000 };

test("SMTP without TLS is refused unless the URL allowed plain text", async () => {
  const smtp = await startSmtp();
  try {
    const url = smtp.url.replace("?plain=1", "");
    const strict = createMailer({ ...options, smtpUrl: url, smtpPlain: false });
    await assert.rejects(strict.send(mail), /STARTTLS|TLS/i);
    strict.close();
    assert.equal(smtp.messages.length, 0);
    const plain = createMailer({ ...options, smtpUrl: url, smtpPlain: true });
    await plain.send(mail);
    plain.close();
    assert.equal((await smtp.waitFor(1))[0]!.subject, "Cryptex: your code to confirm your e-mail address");
  } finally {
    await smtp.stop();
  }
});

test("outbox files are removed after the retention time", async () => {
  const dir = mkdtempSync(join(tmpdir(), "cryptex-outbox-"));
  try {
    const m = createMailer({ ...options, smtpUrl: undefined, smtpPlain: false, outboxDir: dir });
    await m.send(mail);
    await m.send(mail);
    assert.equal(m.sweep(Date.now()), 0, "fresh files stay");
    // a second past the retention: file times may be a fraction of a millisecond ahead of Date.now()
    assert.equal(m.sweep(Date.now() + 3_601_000), 2, "files older than the retention go");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the server says at start-up that the outbox is a development transport, and sweeps old files", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "cryptex-outbox-start-"));
  const outbox = join(dataDir, "outbox");
  mkdirSync(outbox, { recursive: true });
  const old = join(outbox, "2020-01-01T00-00-00-000Z-00000000.eml");
  const recent = join(outbox, "recent.eml");
  writeFileSync(old, "To: a@example.org\n\nold\n");
  writeFileSync(recent, "To: a@example.org\n\nrecent\n");
  const twoHoursAgo = (Date.now() - 2 * 3_600_000) / 1000;
  utimesSync(old, twoHoursAgo, twoHoursAgo);
  const srv = await startServer({ dataDir, env: { OUTBOX_RETENTION_HOURS: "1" } });
  try {
    assert.match(srv.logs(), /outbox folder, a development transport/);
    assert.equal(existsSync(old), false);
    assert.equal(existsSync(recent), true);
  } finally {
    await srv.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
