// What every command receives: the configuration parsed once at start-up, and the output streams.
import { hostname } from "node:os";
import { isatty } from "node:tty";
import { CliError } from "../errors/cli-error.ts";
import { stripControls } from "../io/terminal-text.ts";
import { defaultHome } from "./default-home.ts";

export interface Context {
  readonly home: string;
  readonly json: boolean;
  readonly passwordStdin: boolean;
  readonly caFile: string | undefined;
  /** CRYPTEX_SESSION, read once here */
  readonly sessionToken: string | undefined;
  /** the name stamped on the item versions this device saves (CRYPTEX_DEVICE_NAME, else the host's name) */
  readonly deviceName: string;
  /** how many earlier versions an item keeps when this device saves it (CRYPTEX_HISTORY_KEEP, default 50) */
  readonly versionsKept: number | undefined;
  readonly stdinIsTty: boolean;
  readonly stdoutIsTty: boolean;
  /** a line of output (a newline is added when missing) */
  out(text: string): void;
  /** output exactly as given (a bare value for a pipe) */
  write(text: string): void;
  /** messages and errors: control characters are stripped (they may quote a server) */
  err(text: string): void;
}

/**
 * What a command run is given of its process: the environment, whether stdin and stdout are terminals, and where
 * its output goes. The process's own by default; an agent (agent/) runs a command for a client with the client's
 * environment and terminal flags and captures what it writes.
 */
export interface Io {
  readonly env: NodeJS.ProcessEnv;
  readonly stdinIsTty: boolean;
  readonly stdoutIsTty: boolean;
  stdout(text: string): void;
  stderr(text: string): void;
}

export function processIo(): Io {
  return {
    env: process.env,
    // not process.stdin.isTTY: that builds the stdin stream (up to ~15 ms when stdin is a file), unused by most commands
    stdinIsTty: isatty(0),
    stdoutIsTty: process.stdout.isTTY === true,
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
  };
}

/** CRYPTEX_HISTORY_KEEP: a whole number of versions, 0 to 500. */
function versionsKept(text: string | undefined): number | undefined {
  if (text === undefined || text === "") return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > 500) throw new CliError("usage", "CRYPTEX_HISTORY_KEEP must be a whole number from 0 to 500");
  return n;
}

export function createContext(values: Record<string, unknown>, io: Io): Context {
  const env = io.env;
  return Object.freeze({
    home: (values.home as string | undefined) ?? env.CRYPTEX_HOME ?? defaultHome(env),
    json: values.json === true,
    passwordStdin: values["password-stdin"] === true,
    caFile: values.ca as string | undefined,
    sessionToken: env.CRYPTEX_SESSION || undefined,
    deviceName: (env.CRYPTEX_DEVICE_NAME || `cryptex CLI on ${hostname()}`).slice(0, 100),
    versionsKept: versionsKept(env.CRYPTEX_HISTORY_KEEP),
    stdinIsTty: io.stdinIsTty,
    stdoutIsTty: io.stdoutIsTty,
    out: (text: string) => io.stdout(text.endsWith("\n") ? text : `${text}\n`),
    write: (text: string) => io.stdout(text),
    err: (text: string) => {
      const safe = stripControls(text);
      io.stderr(safe.endsWith("\n") ? safe : `${safe}\n`);
    },
  });
}
