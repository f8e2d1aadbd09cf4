// Structured logs: one JSON line per event on stdout. Callers pass only safe fields — never bodies,
// tokens, EAK text, e-mail contents or query strings (docs/server.md lists what is logged).
import type { LogLevel } from "./config.ts";

const RANK: Record<LogLevel, number> = { silent: 0, error: 1, warn: 2, info: 3, debug: 4 };
export type LogFields = Record<string, string | number | boolean | undefined>;

export interface Logger {
  error(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  debug(msg: string, fields?: LogFields): void;
}

export function createLogger(level: LogLevel, write: (line: string) => void = (l) => process.stdout.write(l)): Logger {
  const at = (l: Exclude<LogLevel, "silent">) => (msg: string, fields?: LogFields) => {
    if (RANK[l] > RANK[level]) return;
    write(`${JSON.stringify({ time: new Date().toISOString(), level: l, msg, ...fields })}\n`);
  };
  return { error: at("error"), warn: at("warn"), info: at("info"), debug: at("debug") };
}
