// Stdin read as it arrives, bounded, handed out line by line (passwords, the mailed sign-up code, which a
// script writes only after the mail came) or as the rest (JSON input).
import { StringDecoder } from "node:string_decoder";
import { CliError } from "../errors/cli-error.ts";

const MAX_STDIN = 8 * 1024 * 1024;
let text = "";
let offset = 0;
let size = 0;
let ended = false;
let failure: Error | undefined;
let started = false;
const waiters: (() => void)[] = [];

function start(): void {
  if (started) return;
  started = true;
  const decoder = new StringDecoder("utf8");
  const wake = () => {
    for (const w of waiters.splice(0)) w();
  };
  process.stdin.on("data", (c: Buffer) => {
    size += c.length;
    if (size > MAX_STDIN) {
      failure = new CliError("usage", "stdin is larger than 8 MiB");
      process.stdin.destroy();
    } else text += decoder.write(c);
    wake();
  });
  process.stdin.on("end", () => {
    text += decoder.end();
    ended = true;
    wake();
  });
  process.stdin.on("error", (e) => {
    failure ??= e;
    wake();
  });
}

/** Waits until `ready()` or the end of stdin; stdin is paused in between so it keeps no process alive. */
async function until(ready: () => boolean): Promise<void> {
  start();
  while (!ready() && !ended && !failure) {
    process.stdin.resume();
    await new Promise<void>((r) => waiters.push(r));
  }
  if (!ended) process.stdin.pause();
  if (failure) throw failure;
}

/** The next line of stdin without its line ending, or undefined at the end. */
export async function readStdinLine(): Promise<string | undefined> {
  await until(() => text.indexOf("\n", offset) >= 0);
  if (offset >= text.length) return undefined;
  const nl = text.indexOf("\n", offset);
  const end = nl < 0 ? text.length : nl;
  const line = text.slice(offset, end).replace(/\r$/, "");
  offset = end + 1;
  return line;
}

/** Everything not yet consumed. */
export async function readStdinRest(): Promise<string> {
  await until(() => false);
  const rest = text.slice(offset);
  offset = text.length;
  return rest;
}
