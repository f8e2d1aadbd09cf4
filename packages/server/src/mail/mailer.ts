// Sends mail with nodemailer: over SMTP when SMTP_URL is set (TLS required: smtps://, or smtp:// with
// STARTTLS; plain only when the URL says plain=1), otherwise as .eml files in DATA_DIR/outbox, a development
// transport whose files are written to a temp name and renamed (a reader never sees half a message) and
// removed after the retention time.
import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import nodemailer from "nodemailer";

export interface Mail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** an inline image (the QR code), referenced from the HTML as cid:… */
  readonly image?: { readonly filename: string; readonly png: Uint8Array; readonly cid: string };
}

export interface Mailer {
  readonly transport: "smtp" | "outbox";
  send(mail: Mail): Promise<void>;
  /** Removes outbox files older than the retention time; returns how many. */
  sweep(now: number): number;
  close(): void;
}

export interface MailerOptions {
  readonly smtpUrl: string | undefined;
  /** the URL asked for plain SMTP (a loopback test server): no TLS required */
  readonly smtpPlain: boolean;
  readonly from: string;
  readonly outboxDir: string;
  readonly outboxRetentionMs: number;
}

export function createMailer(opts: MailerOptions): Mailer {
  const message = (m: Mail) => ({
    from: opts.from,
    to: m.to,
    subject: m.subject,
    text: m.text,
    html: m.html,
    attachments: m.image
      ? [{ filename: m.image.filename, content: Buffer.from(m.image.png), contentType: "image/png", cid: m.image.cid }]
      : [],
  });
  if (opts.smtpUrl) {
    const secure = new URL(opts.smtpUrl).protocol === "smtps:";
    // requireTLS: STARTTLS or fail, never a silent fall-back to clear text (the QR mail carries the EAK).
    const t = nodemailer.createTransport({ url: opts.smtpUrl, requireTLS: !secure && !opts.smtpPlain, ignoreTLS: opts.smtpPlain });
    return {
      transport: "smtp",
      async send(m) {
        await t.sendMail(message(m));
      },
      sweep: () => 0,
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
    sweep(now) {
      let removed = 0;
      let names: string[];
      try {
        names = readdirSync(opts.outboxDir);
      } catch {
        return 0; // no outbox yet
      }
      for (const name of names) {
        if (!name.endsWith(".eml") && !name.endsWith(".tmp")) continue;
        const file = join(opts.outboxDir, name);
        try {
          if (now - statSync(file).mtimeMs >= opts.outboxRetentionMs) {
            rmSync(file, { force: true });
            removed++;
          }
        } catch {
          // gone meanwhile
        }
      }
      return removed;
    },
    close: () => t.close(),
  };
}
