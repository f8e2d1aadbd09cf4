// The client side of the agent, used by bin/cryptex.js for the hot read commands when CRYPTEX_SESSION is set:
// send the command line to the session's agent and print its reply, or say it could not (then the command runs
// directly, as if there were no agent). After a direct run that worked, it starts the agent in the background.
// Loaded before anything else of the CLI: it uses only Node's fs, net and child_process, and paths.ts.
import { agentDir, homeOf, isPrivateDir, sessionIdOf, socketPath, startPath } from "./paths.ts";
import { DECLINE, ENV_KEYS, ERR, EXIT, encodeRequest, LOCALE_KEYS, OUT, PROTOCOL } from "./protocol.ts";

// getBuiltinModule, not ES imports: the facades of node:fs and node:tty cost ~4 ms of a start
const { closeSync, existsSync, mkdirSync, openSync, rmSync, statSync, writeSync } = process.getBuiltinModule("node:fs");
const { isatty } = process.getBuiltinModule("node:tty");
const { fileURLToPath } = process.getBuiltinModule("node:url");

/** a connection that takes longer is an agent that is not answering */
const CONNECT_TIMEOUT_MS = 1_000;
/** no reply within this: the command runs directly (the agent is stuck, or busy with a long one) */
const REPLY_TIMEOUT_MS = 60_000;
/** a start file younger than this means another command is starting the agent */
const START_GRACE_MS = 10_000;
const MAX_REPLY_BYTES = 1 << 30;
const AGENT = fileURLToPath(new URL("./agent.ts", import.meta.url));

/** What the agent did: "served" (the output is printed, `code` is the exit code), or why the command runs directly. */
export type AgentOutcome = { readonly served: true; readonly code: number } | { readonly served: false; readonly why: string };

interface Target {
  readonly home: string;
  readonly id: string;
  readonly socket: string;
}

/** The session's agent this command line may go to, or undefined (not wanted, not possible, not private). */
function target(argv: readonly string[], env: NodeJS.ProcessEnv, cwd: string): Target | undefined {
  if (env.CRYPTEX_AGENT === "0" || env.CRYPTEX_DEBUG || process.platform === "win32") return undefined;
  const id = sessionIdOf(env.CRYPTEX_SESSION);
  const home = id && homeOf(argv, env, cwd);
  return id && home ? { home, id, socket: socketPath(home, id) } : undefined;
}

/** Runs the command on the agent and prints its output; resolves to why not when it was not served. Never throws. */
export async function runOnAgent(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<AgentOutcome> {
  let reply: Buffer | string;
  try {
    reply = await ask(argv, env);
  } catch {
    return { served: false, why: "error" }; // a working folder that is gone, an unreadable home…: the direct run says
  }
  if (typeof reply === "string") return { served: false, why: reply };
  // the whole reply is here: only now is anything printed
  let at = 0;
  while (at + 5 <= reply.length) {
    const kind = reply[at]!;
    const len = reply.readUInt32BE(at + 1);
    const body = reply.subarray(at + 5, at + 5 + len);
    at += 5 + len;
    if (kind === OUT) writeAll(1, body);
    else if (kind === ERR) writeAll(2, body);
    else if (kind === EXIT) return { served: true, code: body[0]! };
  }
  return { served: false, why: "reply" };
}

/** The agent's reply to this command line, or why there is none. */
async function ask(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<Buffer | string> {
  const cwd = process.cwd();
  const t = target(argv, env, cwd);
  if (!t) return "off";
  if (!existsSync(t.socket)) return "none";
  // the token goes only into a folder of this user that nobody else may enter
  if (!isPrivateDir(agentDir(t.home))) return "not private";
  const pick = (keys: readonly string[]) => Object.fromEntries(keys.flatMap((k) => (env[k] === undefined ? [] : [[k, env[k]!]])));
  const request = encodeRequest({
    v: PROTOCOL,
    node: process.version,
    token: env.CRYPTEX_SESSION!,
    argv,
    cwd,
    env: { ...pick(ENV_KEYS), ...pick(LOCALE_KEYS) },
    stdinTty: isatty(0),
    stdoutTty: isatty(1),
  });
  return exchange(t.socket, request);
}

/** The reply's frames, up to and with EXIT; or why there is none ("none": no agent listens, "declined: …"). */
function exchange(socket: string, request: Buffer): Promise<Buffer | string> {
  const { connect } = process.getBuiltinModule("node:net");
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const s = connect(socket);
    const done = (r: Buffer | string): void => {
      clearTimeout(timer);
      s.destroy();
      resolve(r);
    };
    let timer = setTimeout(() => done("timeout"), CONNECT_TIMEOUT_MS);
    s.on("connect", () => {
      clearTimeout(timer);
      timer = setTimeout(() => done("timeout"), REPLY_TIMEOUT_MS);
      s.end(request);
    });
    s.on("error", (e: NodeJS.ErrnoException) => done(e.code === "ECONNREFUSED" || e.code === "ENOENT" ? "none" : "error"));
    let next = 0; // where the next frame starts in the reply
    s.on("data", (c: Buffer) => {
      chunks.push(c);
      size += c.length;
      if (size > MAX_REPLY_BYTES) return done("too large");
      // joined once per frame, not per chunk: a list of 100,000 items comes in hundreds of chunks
      while (size >= next + 5) {
        const all = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
        chunks.length = 0;
        chunks.push(all);
        const kind = all[next]!;
        const end = next + 5 + all.readUInt32BE(next + 1);
        if (kind === EXIT || kind === DECLINE) {
          if (end > size) return; // the rest of it comes with the next chunk
          return done(kind === EXIT ? all.subarray(0, end) : `declined: ${all.subarray(next + 5, end).toString("latin1")}`);
        }
        next = end;
      }
    });
    s.on("end", () => done("reply"));
  });
}

/** Writes all of `bytes` to fd 1 or 2 (a non-blocking pipe may take it in parts). */
function writeAll(fd: number, bytes: Uint8Array): void {
  let at = 0;
  while (at < bytes.length) {
    try {
      at += writeSync(fd, bytes, at);
    } catch (e) {
      // the reader left (EPIPE, as `cryptex list | head -1` does) or the stream is closed: the rest has nowhere to go
      if ((e as NodeJS.ErrnoException).code !== "EAGAIN") return;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    }
  }
}

/**
 * Starts the session's agent in the background, unless one runs (a socket that answered) or another command is
 * starting it. Called by bin/cryptex.js after a direct run that succeeded, so the session is known to open the
 * vault; the agent checks it again anyway. The token is handed over a pipe, never as an argument.
 */
export function startAgent(argv: readonly string[], env: NodeJS.ProcessEnv, outcome: AgentOutcome): void {
  if (outcome.served || (outcome.why !== "none" && outcome.why !== "reply")) return;
  try {
    const t = target(argv, env, process.cwd());
    if (!t) return;
    const dir = agentDir(t.home);
    if (!existsSync(dir)) mkdirSync(dir, { mode: 0o700 });
    if (!isPrivateDir(dir)) return;
    const start = startPath(t.home, t.id);
    const since = statSync(start, { throwIfNoEntry: false })?.mtimeMs;
    if (since !== undefined) {
      if (Date.now() - since < START_GRACE_MS) return;
      rmSync(start, { force: true });
    }
    closeSync(openSync(start, "wx"));
    const { CRYPTEX_SESSION: _token, ...rest } = env;
    const { spawn } = process.getBuiltinModule("node:child_process");
    const child = spawn(process.execPath, [AGENT], { detached: true, stdio: ["pipe", "ignore", "ignore"], cwd: "/", env: rest });
    child.on("error", () => rmSync(start, { force: true }));
    child.stdin!.on("error", () => {});
    child.stdin!.end(JSON.stringify({ token: env.CRYPTEX_SESSION!.trim(), home: t.home }));
    child.unref();
  } catch {
    // no agent then: commands keep running directly
  }
}
