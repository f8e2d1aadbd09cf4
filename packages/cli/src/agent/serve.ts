// The agent's socket: reads one bounded request per connection, runs it (one at a time) with the same code as
// a direct run — program/run-cli.ts with the client's argv, environment and terminal flags, its output captured
// in order — and replies with the bytes and the exit code. Anything it will not or cannot answer is DECLINEd,
// and the client runs the command itself. It stops (and wipes what it holds) when the session is over, after
// an idle time, when its socket or the CLI's code changes, and never prints or logs anything.
import { statSync, watch } from "node:fs";
import { createServer, type Socket } from "node:net";
import type { Io } from "../program/context.ts";
import { runCli } from "../program/run-cli.ts";
import { commandWord, HOT_COMMANDS } from "../startup/start-bundle.ts";
import { holdVault } from "../vault/unlock.ts";
import { type HeldVault, NotThisAgent } from "./held-vault.ts";
import { homeOf } from "./paths.ts";
import { type AgentRequest, DECLINE, ERR, EXIT, frame, LOCALE_KEYS, MAX_REQUEST_BYTES, OUT, parseRequest } from "./protocol.ts";

/** a client has this long to send its request */
const REQUEST_TIMEOUT_MS = 5_000;
const WATCH_MS = 1_000;

export interface AgentOptions {
  readonly socket: string;
  readonly idleMs: number;
  /** folders and files whose change means the CLI's code changed: the agent stops rather than answer as the old one */
  readonly code: readonly string[];
  /** false once the socket is no longer this agent's (another took its name) */
  readonly ownsSocket: () => boolean;
  /** called once listening, and once when stopping */
  readonly onListening: () => void;
  readonly onStop: () => void;
}

const decline = (reason: string): Buffer => frame(DECLINE, Buffer.from(reason, "latin1"));

export function serve(held: HeldVault, opts: AgentOptions): void {
  let stopped = false;
  let queue: Promise<Buffer[]> = Promise.resolve([]);
  let idle: NodeJS.Timeout | undefined;
  const watchers: Array<{ close(): void }> = [];

  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    clearTimeout(idle);
    clearInterval(tick);
    for (const w of watchers) w.close();
    holdVault(undefined);
    held.wipe();
    server.close();
    opts.onStop();
    // a reply being written gets a moment; nothing else is left to do
    setTimeout(() => process.exit(0), 200).unref();
  };
  const rearm = (): void => {
    clearTimeout(idle);
    idle = setTimeout(stop, opts.idleMs);
  };

  async function answer(req: AgentRequest): Promise<Buffer[]> {
    if (stopped) return [decline("stopping")];
    if (!held.isToken(req.token)) return [decline("token")];
    if (req.node !== process.version) return [decline("node")];
    if (!HOT_COMMANDS.has(commandWord(req.argv) ?? "")) return [decline("command")];
    if (homeOf(req.argv, req.env, req.cwd) !== held.home) return [decline("home")];
    for (const k of LOCALE_KEYS) if (req.env[k] !== process.env[k]) return [decline("locale")];
    if (!(await held.current())) {
      stop();
      return [decline("session")];
    }
    try {
      process.chdir(req.cwd); // relative paths in the command line mean what they mean to the client
    } catch {
      return [decline("cwd")];
    }
    const frames: Buffer[] = [];
    const io: Io = {
      env: { ...req.env, CRYPTEX_SESSION: req.token },
      stdinIsTty: req.stdinTty,
      stdoutIsTty: req.stdoutTty,
      stdout: (text) => void frames.push(frame(OUT, Buffer.from(text, "utf8"))),
      stderr: (text) => void frames.push(frame(ERR, Buffer.from(text, "utf8"))),
    };
    let other = false;
    holdVault(async (ctx) => {
      try {
        return held.vaultFor(ctx, req.cwd);
      } catch (e) {
        if (e instanceof NotThisAgent) other = true;
        throw e;
      }
    });
    try {
      const code = await runCli([...req.argv], io);
      return other ? [decline("home")] : [...frames, frame(EXIT, Uint8Array.of(code & 0xff))];
    } finally {
      holdVault(undefined);
      process.chdir("/");
    }
  }

  function onConnection(sock: Socket): void {
    sock.on("error", () => {});
    sock.setTimeout(REQUEST_TIMEOUT_MS, () => sock.destroy());
    const chunks: Buffer[] = [];
    let got = 0;
    let whole = false;
    const onData = (c: Buffer): void => {
      chunks.push(c);
      got += c.length;
      const all = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      if (got < 4) return;
      const size = all.readUInt32BE(0);
      if (size <= MAX_REQUEST_BYTES && got < 4 + size) return;
      whole = true;
      sock.off("data", onData);
      sock.setTimeout(0);
      if (size > MAX_REQUEST_BYTES) return void sock.end(decline("size"));
      const req = got === 4 + size ? parseRequest(all.subarray(4)) : undefined;
      if (!req) return void sock.end(decline("request"));
      rearm();
      // one command at a time: they share the process's working folder and the held vault
      queue = queue.then(() => answer(req)).catch(() => [decline("error")]);
      void queue.then((frames) => {
        rearm();
        if (!sock.destroyed) sock.end(Buffer.concat(frames));
      });
    };
    sock.on("data", onData);
    // the client stopped sending before its request was whole: nothing to answer
    sock.on("end", () => {
      if (!whole) sock.destroy();
    });
  }

  const server = createServer({ allowHalfOpen: true }, onConnection);
  server.on("error", () => stop());
  // between requests: the session's end (lock, expiry, a password change), the file replaced, the socket taken
  const tick = setInterval(() => {
    if (!held.stillValid() || !opts.ownsSocket()) stop();
  }, WATCH_MS);
  for (const path of opts.code) {
    try {
      watchers.push(watch(path, { recursive: statSync(path).isDirectory(), persistent: false }, () => stop()));
    } catch {
      // not there (an install without one of them): nothing to watch
    }
  }
  server.listen(opts.socket, () => {
    rearm();
    opts.onListening();
  });
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  process.on("uncaughtException", stop);
  process.on("unhandledRejection", stop);
}
