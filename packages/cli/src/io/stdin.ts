// Stdin read once, bounded, then handed out line by line (passwords) or as the rest (JSON input).
import { CliError } from "../errors/cli-error.ts";

const MAX_STDIN = 8 * 1024 * 1024;
let buffered: Promise<string> | undefined;
let offset = 0;

function readAll(): Promise<string> {
  buffered ??= (async () => {
    const chunks: Buffer[] = [];
    let n = 0;
    for await (const c of process.stdin) {
      n += (c as Buffer).length;
      if (n > MAX_STDIN) throw new CliError("usage", "stdin is larger than 8 MiB");
      chunks.push(c as Buffer);
    }
    return Buffer.concat(chunks).toString("utf8");
  })();
  return buffered;
}

/** The next line of stdin without its line ending, or undefined at the end. */
export async function readStdinLine(): Promise<string | undefined> {
  const all = await readAll();
  if (offset >= all.length) return undefined;
  const nl = all.indexOf("\n", offset);
  const end = nl < 0 ? all.length : nl;
  const line = all.slice(offset, end).replace(/\r$/, "");
  offset = end + 1;
  return line;
}

/** Everything not yet consumed. */
export async function readStdinRest(): Promise<string> {
  const all = await readAll();
  const rest = all.slice(offset);
  offset = all.length;
  return rest;
}
