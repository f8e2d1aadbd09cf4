// Sends mail with nodemailer: over SMTP when SMTP_URL is set, otherwise as .eml files in DATA_DIR/outbox
// (written to a temp name and renamed, so a reader never sees half a message).
import { randomBytes } from "node:crypto";
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import nodemailer from "nodemailer";
import type { QrMail } from "./qr-mail.ts";

export interface Mailer {
  readonly transport: "smtp" | "outbox";
  send(mail: QrMail): Promise<void>;
  close(): void;
}

export function createMailer(opts: { smtpUrl: string | undefined; from: string; outboxDir: string }): Mailer {
  const message = (m: QrMail) => ({
    from: opts.from,
    to: m.to,
    subject: m.subject,
    text: m.text,
    html: m.html,
    attachments: [{ filename: "cryptex-account-qr.png", content: Buffer.from(m.png), contentType: "image/png", cid: m.cid }],
  });
  if (opts.smtpUrl) {
    const t = nodemailer.createTransport(opts.smtpUrl);
    return {
      transport: "smtp",
      async send(m) {
        await t.sendMail(message(m));
      },
      close: () => t.close(),
    };
  }
  const t = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  return {
    transport: "outbox",
    async send(m) {
      const info = await t.sendMail(message(m));
      mkdirSync(opts.outboxDir, { recursive: true, mode: 0o700 });
      const name = `${new Date().toISOString().replace(/[:.]/g, "-")}-${randomBytes(4).toString("hex")}.eml`;
      const tmp = join(opts.outboxDir, `.${name}.tmp`);
      writeFileSync(tmp, info.message as Buffer, { mode: 0o600 });
      renameSync(tmp, join(opts.outboxDir, name));
    },
    close: () => t.close(),
  };
}
