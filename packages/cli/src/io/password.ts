// Reads passwords without echo from the terminal, or one a line from stdin with --password-stdin.
// Passwords never come from argv (visible to every user in `ps`).
import { CliError } from "../errors/cli-error.ts";
import type { Context } from "../program/context.ts";
import { readStdinLine } from "./stdin.ts";

export async function askPassword(ctx: Context, prompt: string): Promise<string> {
  if (ctx.passwordStdin) {
    const line = await readStdinLine();
    if (line === undefined || line === "") throw new CliError("usage", `--password-stdin: expected a line for "${prompt}" on stdin`);
    return line;
  }
  if (!ctx.stdinIsTty) throw new CliError("locked", "no terminal to ask for the password: use --password-stdin or CRYPTEX_SESSION");
  return readHidden(prompt);
}

/** Asks twice (on a terminal); with --password-stdin one line is taken as confirmed. */
export async function askNewPassword(ctx: Context, prompt: string, check?: (p: string) => void): Promise<string> {
  for (;;) {
    const p = await askPassword(ctx, prompt);
    if (check) {
      try {
        check(p);
      } catch (e) {
        if (ctx.passwordStdin) throw e;
        ctx.err((e as Error).message);
        continue;
      }
    }
    if (ctx.passwordStdin) return p;
    const again = await readHidden("Repeat it: ");
    if (again === p) return p;
    ctx.err("The two entries differ; try again.");
  }
}

function readHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let value = "";
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding("utf8");
    const done = (err?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off("data", onData);
      process.stderr.write("\n");
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === "\r" || ch === "\n") return done();
        if (ch === "\u0003") return done(new CliError("interrupted", "interrupted"));
        if (ch === "\u0004" && value === "") return done(new CliError("interrupted", "no password given"));
        if (ch === "\u007f" || ch === "\b") value = value.slice(0, -1);
        else if (ch >= " ") value += ch;
      }
    };
    stdin.on("data", onData);
  });
}

/** Yes/no on the terminal; scripts (no TTY) must pass an explicit confirmation flag instead. */
export async function askLine(prompt: string): Promise<string> {
  const { createInterface } = await import("node:readline/promises");
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await rl.question(prompt);
  } finally {
    rl.close();
  }
}
