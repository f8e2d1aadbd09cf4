// Test harness: a real SMTP server in-process (smtp-server) that parses every message (mailparser).
//
//   const smtp = await startSmtp();          // smtp.url = smtp://127.0.0.1:PORT?plain=1 (no TLS, no auth: loopback only)
//   await startServer({ env: { SMTP_URL: smtp.url } });
//   const [mail] = await smtp.waitFor(1);    // { raw, subject, to, text, html, attachments: [{ filename, contentType, content, cid }] }
//   await smtp.stop();
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  readonly raw: string;
  readonly subject: string;
  readonly to: string;
  readonly text: string;
  readonly html: string;
  readonly attachments: { filename: string; contentType: string; content: Uint8Array; cid?: string }[];
}

export interface RunningSmtp {
  readonly url: string;
  readonly messages: ReceivedMail[];
  waitFor(n: number, ms?: number): Promise<ReceivedMail[]>;
  stop(): Promise<void>;
}

export async function startSmtp(): Promise<RunningSmtp> {
  const messages: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    size: 10 * 1024 * 1024,
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then(
          (m) => {
            const to = Array.isArray(m.to) ? m.to.map((a) => a.text).join(", ") : (m.to?.text ?? "");
            messages.push({
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
            });
            callback();
          },
          (e: Error) => callback(e),
        );
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.server.address() as { port: number }).port;
  return {
    url: `smtp://127.0.0.1:${port}?plain=1`,
    messages,
    async waitFor(n, ms = 10_000) {
      const deadline = Date.now() + ms;
      while (messages.length < n) {
        if (Date.now() > deadline) throw new Error(`expected ${n} mail(s), got ${messages.length}`);
        await new Promise((r) => setTimeout(r, 25));
      }
      return messages.slice(0, n);
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
