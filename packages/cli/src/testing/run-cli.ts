// Test helper: runs the real `cryptex` program as a child process (the Node running the tests), and reads
// the QR code PNG out of a server outbox mail.
//
//   await runCli(["list"], { home, stdin: `${password}\n` });
//   await runCliWithCode(["signup", "--server", url, "--email", e, "--password-stdin"], { home, stdin: `${pw}\n` },
//     () => outboxMailbox(srv.outboxDir).code(e, "signup"));   // the code is written as the next stdin line
import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CLI_BIN } from "./offline-vault.ts";

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  readonly home: string;
  readonly stdin?: string;
  /** leave stdin open after `stdin` (the test writes and ends it later) */
  readonly keepStdinOpen?: boolean;
  readonly env?: Record<string, string>;
}

export function spawnCli(args: readonly string[], opts: CliOptions, keepStdinOpen = false): ChildProcess {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: opts.home,
    CRYPTEX_HOME: opts.home,
    ...(process.env.NODE_COMPILE_CACHE ? { NODE_COMPILE_CACHE: process.env.NODE_COMPILE_CACHE } : {}),
    ...opts.env,
  };
  const child = spawn(process.execPath, [CLI_BIN, ...args], { env, stdio: ["pipe", "pipe", "pipe"] });
  if (keepStdinOpen || opts.keepStdinOpen) child.stdin!.write(opts.stdin ?? "");
  else child.stdin!.end(opts.stdin ?? "");
  return child;
}

export function collect(child: ChildProcess): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (c: Buffer) => {
    stdout += c.toString("utf8");
  });
  child.stderr!.on("data", (c: Buffer) => {
    stderr += c.toString("utf8");
  });
  return new Promise((resolve) => child.once("close", (code, signal) => resolve({ code, signal, stdout, stderr })));
}

export function runCli(args: readonly string[], opts: CliOptions): Promise<CliResult> {
  return collect(spawnCli(args, opts));
}

/**
 * Runs a command that asks for a mailed code after its first stdin lines (signup, account forgot): writes
 * `opts.stdin`, then the code from `code()` (read from the mail meanwhile) and `after`, then ends stdin.
 */
export async function runCliWithCode(
  args: readonly string[],
  opts: CliOptions,
  code: () => Promise<string>,
  after = "",
): Promise<CliResult> {
  const child = spawnCli(args, opts, true);
  const result = collect(child);
  const exited = result.then(() => "exited" as const);
  const pending = code();
  pending.catch(() => {}); // the command may exit before any mail (a refused password): not an error here
  const got = await Promise.race([pending, exited]);
  if (got !== "exited") child.stdin!.end(`${got}\n${after}`);
  return result;
}

/** The QR PNG attached to the newest outbox mail sent to `email`. */
export function qrPngFromOutbox(outboxDir: string, email: string): Uint8Array {
  const files = readdirSync(outboxDir)
    .filter((f) => f.endsWith(".eml"))
    .sort()
    .reverse();
  for (const f of files) {
    const eml = readFileSync(join(outboxDir, f), "utf8");
    if (!new RegExp(`^To: .*${email.replace(/[.+]/g, "\\$&")}`, "mi").test(eml)) continue;
    const at = eml.search(/Content-Type: image\/png/i);
    if (at < 0) continue;
    const body = eml.slice(at).split(/\r?\n\r?\n/)[1]!;
    const b64 = body.split(/\r?\n--/)[0]!.replace(/\s+/g, "");
    return new Uint8Array(Buffer.from(b64, "base64"));
  }
  throw new Error(`no QR mail to ${email} in ${outboxDir}`);
}
