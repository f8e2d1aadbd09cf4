// What every command receives: the configuration parsed once at start-up, and the output streams.
import { homedir } from "node:os";
import { join } from "node:path";
import { stripControls } from "../io/terminal-text.ts";

export interface Context {
  readonly home: string;
  readonly json: boolean;
  readonly passwordStdin: boolean;
  readonly caFile: string | undefined;
  /** CRYPTEX_SESSION, read once here */
  readonly sessionToken: string | undefined;
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

export function createContext(values: Record<string, unknown>, env: NodeJS.ProcessEnv): Context {
  return Object.freeze({
    home: (values.home as string | undefined) ?? env.CRYPTEX_HOME ?? defaultHome(env),
    json: values.json === true,
    passwordStdin: values["password-stdin"] === true,
    caFile: values.ca as string | undefined,
    sessionToken: env.CRYPTEX_SESSION || undefined,
    stdinIsTty: process.stdin.isTTY === true,
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
