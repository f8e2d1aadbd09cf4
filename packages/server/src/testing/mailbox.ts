// Test helper: reads the mails a running server sent, from its outbox folder or from the in-process SMTP
// server, and takes the codes out of them (sign-up confirmation, forgotten password).
//
//   const box = outboxMailbox(srv.outboxDir);        // or smtpMailbox(smtp)
//   const mail = await box.next("a@example.org", /confirm your e-mail/);   // oldest unread match, waits up to 10 s
//   const code = await box.code("a@example.org", "signup");                 // "12345678"
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { simpleParser } from "mailparser";
import type { ReceivedMail, RunningSmtp } from "./smtp.ts";

export interface Mailbox {
  /** The oldest mail to `to` whose subject matches and that no earlier call returned; waits for it. */
  next(to: string, subject: RegExp, ms?: number): Promise<ReceivedMail>;
  /** The 8-digit code of the next sign-up or forgotten-password mail to `to`. */
  code(to: string, kind: "signup" | "forgot", ms?: number): Promise<string>;
}

const CODE_SUBJECT = { signup: /confirm your e-mail address/, forgot: /reset your account/ };

/** `seen` is shared by every mailbox over the same source, so each mail is handed out once per test process. */
function mailbox(read: () => Promise<{ key: string; mail: ReceivedMail }[]>, seen: Set<string>): Mailbox {
  const box: Mailbox = {
    async next(to, subject, ms = 10_000) {
      const deadline = Date.now() + ms;
      for (;;) {
        for (const { key, mail } of await read()) {
          if (seen.has(key) || !mail.to.toLowerCase().includes(to.toLowerCase()) || !subject.test(mail.subject)) continue;
          seen.add(key);
          return mail;
        }
        if (Date.now() > deadline) throw new Error(`no mail to ${to} matching ${subject}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async code(to, kind, ms) {
      const mail = await box.next(to, CODE_SUBJECT[kind], ms);
      const m = /code[^:\n]*: (\d{4}) (\d{4})/.exec(mail.text);
      if (!m) throw new Error(`no code in the mail to ${to}`);
      return m[1]! + m[2]!;
    },
  };
  return box;
}

const parsedFiles = new Map<string, ReceivedMail>();
const seenInOutbox = new Map<string, Set<string>>();
const seenOverSmtp = new WeakMap<RunningSmtp, Set<string>>();

/** Mails in a server's outbox folder, in the order they were written (file names start with the time). */
export function outboxMailbox(outboxDir: string): Mailbox {
  const seen = seenInOutbox.get(outboxDir) ?? new Set<string>();
  seenInOutbox.set(outboxDir, seen);
  return mailbox(async () => {
    let names: string[];
    try {
      names = readdirSync(outboxDir).filter((f) => f.endsWith(".eml"));
    } catch {
      return [];
    }
    const out: { key: string; mail: ReceivedMail }[] = [];
    for (const name of names.sort()) {
      const file = join(outboxDir, name);
      let mail = parsedFiles.get(file);
      if (!mail) {
        const raw = readFileSync(file);
        const m = await simpleParser(raw);
        const to = Array.isArray(m.to) ? m.to.map((a) => a.text).join(", ") : (m.to?.text ?? "");
        mail = {
          raw: raw.toString("utf8"),
          subject: m.subject ?? "",
          to,
          text: m.text ?? "",
          html: typeof m.html === "string" ? m.html : "",
          attachments: m.attachments.map((a) => ({
            filename: a.filename ?? "",
            contentType: a.contentType,
            content: new Uint8Array(a.content),
            ...(a.cid ? { cid: a.cid } : {}),
          })),
        };
        parsedFiles.set(file, mail);
      }
      out.push({ key: file, mail });
    }
    return out;
  }, seen);
}

/** Mails the in-process SMTP server received, in arrival order. */
export function smtpMailbox(smtp: RunningSmtp): Mailbox {
  const seen = seenOverSmtp.get(smtp) ?? new Set<string>();
  seenOverSmtp.set(smtp, seen);
  return mailbox(async () => smtp.messages.map((mail, i) => ({ key: String(i), mail })), seen);
}
