// Where a session's agent listens, and which home a command line names. Loaded by the client (client.ts) before
// anything else of the CLI, so it imports nothing of it but default-home.ts.
//
//   HOME/agent/                  0700, this user's: the only place a session token is ever sent
//   HOME/agent/<session id>.sock the socket of the agent holding that session (one agent per session)
//   HOME/agent/<session id>.start a client is starting that agent (kept < START_GRACE_MS; the agent removes it)
import { join, resolve } from "node:path";
import { defaultHome } from "../program/default-home.ts";

// getBuiltinModule, not an ES import: the facade of node:fs costs ~2 ms of the client's start
const { lstatSync } = process.getBuiltinModule("node:fs");

/** as vault/session.ts TOKEN_RE (that module loads core; a test keeps them alike): cxs1_<session id>_<key> */
export const TOKEN_RE = /^cxs1_([0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

export const agentDir = (home: string): string => join(home, "agent");
export const socketPath = (home: string, sessionId: string): string => join(agentDir(home), `${sessionId}.sock`);
export const startPath = (home: string, sessionId: string): string => join(agentDir(home), `${sessionId}.start`);

/** The session id of a well-formed token (trimmed, as vault/session.ts reads it), else undefined. */
export function sessionIdOf(token: string | undefined): string | undefined {
  return token ? TOKEN_RE.exec(token.trim())?.[1] : undefined;
}

/** A real folder (not a link) of this user that nobody else may enter: checked before a token is sent into it. */
export function isPrivateDir(dir: string): boolean {
  const st = lstatSync(dir, { throwIfNoEntry: false });
  if (!st?.isDirectory()) return false;
  if (process.platform === "win32") return true; // a Windows profile folder is private
  return st.uid === process.getuid!() && (st.mode & 0o077) === 0;
}

/**
 * The absolute home this command line uses, as program/context.ts resolves it (--home, CRYPTEX_HOME, the
 * platform's folder), or undefined for a line it would rather not guess (--home twice, a `--`, a value that
 * looks like a flag): then no agent is asked. The agent checks the home the command really opens as well.
 */
export function homeOf(argv: readonly string[], env: NodeJS.ProcessEnv, cwd: string): string | undefined {
  let home: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") return undefined;
    let value: string | undefined;
    if (a === "--home") value = argv[++i];
    else if (a.startsWith("--home=")) value = a.slice(7);
    else continue;
    if (home !== undefined || value === undefined || value.startsWith("-")) return undefined;
    home = value;
  }
  return resolve(cwd, home ?? env.CRYPTEX_HOME ?? defaultHome(env));
}
