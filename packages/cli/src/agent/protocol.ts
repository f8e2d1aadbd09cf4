// The agent's wire format on its Unix socket. One request per connection, one reply.
//
//   request: 4-byte big-endian length, then JSON (AgentRequest), at most MAX_REQUEST_BYTES
//   reply:   frames of [kind: 1 byte][length: 4 bytes BE][bytes], in the order the command wrote them:
//            OUT (stdout bytes), ERR (stderr bytes), then EXIT ([exit code]) or DECLINE ([reason, ASCII])
//
// The client prints nothing before EXIT has arrived: a reply cut short, or a DECLINE, leaves the command to run
// directly, as if there were no agent.

/** bumped with any change of the request or the reply */
export const PROTOCOL = 1;
export const MAX_REQUEST_BYTES = 64 * 1024;
const MAX_ARGS = 64;
const MAX_ARG_CHARS = 8 * 1024;

export const OUT = 1;
export const ERR = 2;
export const EXIT = 3;
export const DECLINE = 4;

/**
 * The client's environment an agent passes to the command (what program/context.ts reads), and the locale
 * variables, which must equal the agent's own (they decide how titles sort) or the command runs directly.
 */
export const ENV_KEYS = ["CRYPTEX_HOME", "XDG_DATA_HOME", "HOME", "CRYPTEX_HISTORY_KEEP", "CRYPTEX_DEVICE_NAME"] as const;
export const LOCALE_KEYS = ["LC_ALL", "LC_COLLATE", "LC_MESSAGES", "LANG"] as const;

export interface AgentRequest {
  readonly v: number;
  /** the client's Node: the agent declines another (its output could differ) */
  readonly node: string;
  /** CRYPTEX_SESSION as the client has it */
  readonly token: string;
  readonly argv: readonly string[];
  readonly cwd: string;
  /** ENV_KEYS and LOCALE_KEYS the client has set */
  readonly env: Readonly<Record<string, string>>;
  readonly stdinTty: boolean;
  readonly stdoutTty: boolean;
}

export function encodeRequest(req: AgentRequest): Buffer {
  const body = Buffer.from(JSON.stringify(req), "utf8");
  const head = Buffer.alloc(4);
  head.writeUInt32BE(body.length);
  return Buffer.concat([head, body]);
}

export function frame(kind: number, bytes: Uint8Array): Buffer {
  const head = Buffer.alloc(5);
  head[0] = kind;
  head.writeUInt32BE(bytes.length, 1);
  return Buffer.concat([head, bytes]);
}

const isString = (x: unknown, max: number): x is string => typeof x === "string" && x.length <= max;
const ALLOWED_ENV: ReadonlySet<string> = new Set([...ENV_KEYS, ...LOCALE_KEYS]);
const REQUEST_KEYS = ["argv", "cwd", "env", "node", "stdinTty", "stdoutTty", "token", "v"].join();

/** The request in `body` (the bytes after the length), or undefined for anything but exactly its shape. */
export function parseRequest(body: Uint8Array): AgentRequest | undefined {
  let x: Record<string, unknown>;
  try {
    x = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("utf8"));
  } catch {
    return undefined;
  }
  if (typeof x !== "object" || x === null || Array.isArray(x) || Object.keys(x).sort().join() !== REQUEST_KEYS) return undefined;
  const { v, node, token, argv, cwd, env, stdinTty, stdoutTty } = x;
  if (v !== PROTOCOL || !isString(node, 32) || !isString(token, 256) || !isString(cwd, 4096) || !cwd.startsWith("/")) return undefined;
  if (typeof stdinTty !== "boolean" || typeof stdoutTty !== "boolean") return undefined;
  if (!Array.isArray(argv) || argv.length > MAX_ARGS || !argv.every((a) => isString(a, MAX_ARG_CHARS))) return undefined;
  if (typeof env !== "object" || env === null || Array.isArray(env)) return undefined;
  for (const [k, val] of Object.entries(env)) if (!ALLOWED_ENV.has(k) || !isString(val, 4096)) return undefined;
  return { v, node, token, argv, cwd, env: env as Record<string, string>, stdinTty, stdoutTty };
}
