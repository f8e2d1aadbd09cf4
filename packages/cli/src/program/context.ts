// What every command receives: the configuration parsed once at start-up, and the output streams.
import { homedir, hostname } from "node:os";
import { join } from "node:path";
import { isatty } from "node:tty";
import { CliError } from "../errors/cli-error.ts";
import { stripControls } from "../io/terminal-text.ts";

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
  out(text: string): void;
  /** messages and errors: control characters are stripped (they may quote a server) */
  err(text: string): void;
}

/** The platform's data folder: XDG on Linux, Application Support on macOS, %APPDATA% on Windows. */
export function defaultHome(env: NodeJS.ProcessEnv): string {
  if (process.platform === "win32") return join(env.APPDATA ?? join(homedir(), "AppData", "Roaming"), "cryptex");
  if (process.platform === "darwin") return join(homedir(), "Library", "Application Support", "cryptex");
  return join(env.XDG_DATA_HOME || join(homedir(), ".local", "share"), "cryptex");
}

/** CRYPTEX_HISTORY_KEEP: a whole number of versions, 0 to 500. */
function versionsKept(text: string | undefined): number | undefined {
  if (text === undefined || text === "") return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > 500) throw new CliError("usage", "CRYPTEX_HISTORY_KEEP must be a whole number from 0 to 500");
  return n;
}

export function createContext(values: Record<string, unknown>, env: NodeJS.ProcessEnv): Context {
  return Object.freeze({
    home: (values.home as string | undefined) ?? env.CRYPTEX_HOME ?? defaultHome(env),
    json: values.json === true,
    passwordStdin: values["password-stdin"] === true,
    caFile: values.ca as string | undefined,
    sessionToken: env.CRYPTEX_SESSION || undefined,
    deviceName: (env.CRYPTEX_DEVICE_NAME || `cryptex CLI on ${hostname()}`).slice(0, 100),
    versionsKept: versionsKept(env.CRYPTEX_HISTORY_KEEP),
    // not process.stdin.isTTY: that builds the stdin stream (up to ~15 ms when stdin is a file), unused by most commands
    stdinIsTty: isatty(0),
    stdoutIsTty: process.stdout.isTTY === true,
    out: (text: string) => {
      process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
    },
    err: (text: string) => {
      const safe = stripControls(text);
      process.stderr.write(safe.endsWith("\n") ? safe : `${safe}\n`);
    },
  });
}
