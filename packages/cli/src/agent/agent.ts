// Entry of an agent process: `node agent.ts`, started in the background by a read command that ran with a valid
// session and found no agent (client.ts startAgent). It reads { token, home } from stdin (never from its
// arguments or environment, which other processes can see), opens the session as a command would, and serves
// that session's read commands on HOME/agent/<session id>.sock until the session ends, it idles
// (CRYPTEX_AGENT_IDLE_SECONDS, default 600) or the CLI's code changes. It prints nothing: any failure just
// means no agent, and the commands run directly as before. docs/cli.md "Agent".
import { chmodSync, existsSync, mkdirSync, rmSync, statSync } from "node:fs";
import { connect } from "node:net";
import { fileURLToPath } from "node:url";
import { setArgon2idBackend } from "@cryptex/core/ports.ts";
import { hasNativeArgon2id, nativeArgon2id } from "../crypto/native-argon2.ts";
import { vaultPath } from "../vault/home.ts";
import { HeldVault } from "./held-vault.ts";
import { agentDir, isPrivateDir, sessionIdOf, socketPath, startPath } from "./paths.ts";
import { serve } from "./serve.ts";

const MAX_INPUT = 4096;
const DEFAULT_IDLE_S = 600;
/** the CLI's code: a change to any of it stops the agent (the next command starts a current one) */
const CODE = ["../../src", "../../../core/src", "../../../../node_modules/.package-lock.json"].map((p) =>
  fileURLToPath(new URL(p, import.meta.url)),
);

async function readInput(): Promise<{ token: string; home: string } | undefined> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of process.stdin as AsyncIterable<Buffer>) {
    n += c.length;
    if (n > MAX_INPUT) return undefined;
    chunks.push(c);
  }
  try {
    const x = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { token?: unknown; home?: unknown };
    return typeof x.token === "string" && typeof x.home === "string" && x.home.startsWith("/")
      ? { token: x.token, home: x.home }
      : undefined;
  } catch {
    return undefined;
  }
}

/** True when another agent answers on `socket`; a socket file nobody listens on is removed. */
function someoneListens(socket: string): Promise<boolean> {
  if (!existsSync(socket)) return Promise.resolve(false);
  return new Promise((resolve) => {
    const s = connect(socket);
    s.on("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.on("error", () => {
      rmSync(socket, { force: true });
      resolve(false);
    });
  });
}

/** The idle time in ms from CRYPTEX_AGENT_IDLE_SECONDS (1 to 86,400), else the default. */
function idleMs(text: string | undefined): number {
  const n = Number(text);
  return (text && /^\d+$/.test(text) && n >= 1 && n <= 86_400 ? n : DEFAULT_IDLE_S) * 1000;
}

async function main(): Promise<void> {
  process.umask(0o077);
  process.chdir("/");
  const input = await readInput();
  const id = sessionIdOf(input?.token);
  if (!input || !id || !existsSync(vaultPath(input.home))) return;
  const { home } = input;
  const dir = agentDir(home);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.platform !== "win32" && statSync(dir).uid === process.getuid!()) chmodSync(dir, 0o700);
  if (!isPrivateDir(dir)) return;
  const start = startPath(home, id);
  if (hasNativeArgon2id()) setArgon2idBackend(nativeArgon2id);
  let held: HeldVault;
  try {
    held = await HeldVault.open(home, id, input.token.trim());
  } catch {
    rmSync(start, { force: true });
    return; // the session does not open this vault: nothing to serve
  }
  const socket = socketPath(home, id);
  if (await someoneListens(socket)) {
    held.wipe();
    rmSync(start, { force: true });
    return;
  }
  let mine: bigint | undefined;
  const socketId = () => statSync(socket, { throwIfNoEntry: false, bigint: true })?.ino;
  serve(held, {
    socket,
    idleMs: idleMs(process.env.CRYPTEX_AGENT_IDLE_SECONDS),
    code: CODE.filter((p) => existsSync(p)),
    ownsSocket: () => mine !== undefined && socketId() === mine,
    onListening: () => {
      mine = socketId();
      rmSync(start, { force: true });
    },
    onStop: () => {
      if (mine !== undefined && socketId() === mine) rmSync(socket, { force: true });
      rmSync(start, { force: true });
    },
  });
}

await main().catch(() => {
  process.exitCode = 1;
});
