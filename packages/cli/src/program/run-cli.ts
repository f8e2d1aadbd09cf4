// The `cryptex` command as a function: parse argv against the command table, load only the command that runs,
// and turn any error into one line of text (or JSON) and a documented exit code. main.ts calls it for the
// process, and an agent (agent/serve.ts) for a client, with the client's environment and its output captured.
import { parseArgs } from "node:util";
import { setArgon2idBackend } from "@cryptex/core/ports.ts";
import { hasNativeArgon2id, nativeArgon2id } from "../crypto/native-argon2.ts";
import { toExitInfo } from "../errors/exit-codes.ts";
import { createContext, type Io, processIo } from "./context.ts";
import { COMMANDS, type CommandSpec, EXIT_CODES_HELP, findCommand, GLOBAL_OPTIONS, type OptionSpec } from "./spec.ts";

function usageError(message: string): Error & { code: string } {
  return Object.assign(new Error(message), { code: "usage" });
}

function optionsFor(spec: CommandSpec | undefined) {
  const all: OptionSpec[] = [...GLOBAL_OPTIONS, ...(spec?.options ?? [])];
  const out: Record<string, { type: "string" | "boolean"; multiple?: boolean; short?: string }> = {};
  for (const opt of all) {
    out[opt.name] = { type: opt.type, ...(opt.multiple ? { multiple: true } : {}), ...(opt.short ? { short: opt.short } : {}) };
  }
  return out;
}

function optionLines(opts: readonly OptionSpec[]): string {
  return opts
    .map((x) => {
      const left = `  --${x.name}${x.value ? ` ${x.value}` : ""}`;
      return `${left.padEnd(30)} ${x.help}`;
    })
    .join("\n");
}

export function mainHelp(): string {
  const lines = COMMANDS.map((c) => `  ${`${c.name} ${c.args}`.padEnd(30)} ${c.summary}`);
  return `cryptex — zero-knowledge password manager

Usage: cryptex <command> [options]

Commands:
${lines.join("\n")}

Global options:
${optionLines(GLOBAL_OPTIONS)}

Environment: CRYPTEX_HOME (vault folder), CRYPTEX_SESSION (token from \`cryptex unlock\`; get, list, search
and totp then go to the session's agent), CRYPTEX_AGENT=0 (no agent), NODE_EXTRA_CA_CERTS (trust a
self-signed server). Passwords are never taken from arguments.

${EXIT_CODES_HELP}
`;
}

function commandHelp(spec: CommandSpec): string {
  return `Usage: cryptex ${spec.name}${spec.args ? ` ${spec.args}` : ""} [options]

${spec.summary}

Options:
${optionLines(spec.options)}
${optionLines(GLOBAL_OPTIONS)}

${EXIT_CODES_HELP}
`;
}

/** The first two non-flag words, skipping the values of global flags given before the command. */
function commandWords(argv: readonly string[]): string[] {
  const takesValue = new Set(GLOBAL_OPTIONS.filter((o) => o.type === "string").map((o) => `--${o.name}`));
  const words: string[] = [];
  for (let i = 0; i < argv.length && words.length < 2; i++) {
    const a = argv[i]!;
    if (takesValue.has(a)) i++;
    else if (!a.startsWith("-")) words.push(a);
  }
  return words;
}

async function main(argv: string[], io: Io): Promise<number> {
  // every file this process creates (vault, -wal, -shm, kit, export) is private to the user
  if (process.platform !== "win32") process.umask(0o077);
  // The command words come first; flags may appear anywhere after them.
  const words = commandWords(argv);
  const found = words.length > 0 ? findCommand(words) : undefined;
  const spec = found?.spec;
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options: optionsFor(spec), allowPositionals: true, strict: true });
  } catch (e) {
    throw usageError((e as Error).message.split("\n")[0]!.replace(/\. To specify.*$/, ""));
  }
  const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
  if (!spec) {
    if (values.help || argv.length === 0) {
      io.stdout(mainHelp());
      return argv.length === 0 ? 2 : 0;
    }
    if (argv[0] === "--version") {
      io.stdout("cryptex 0.1.0\n");
      return 0;
    }
    throw usageError(`unknown command "${words.join(" ")}"; see cryptex --help`);
  }
  if (values.help) {
    io.stdout(commandHelp(spec));
    return 0;
  }
  const positionals = parsed.positionals.slice(spec.name.split(" ").length);
  if (positionals.length < spec.minArgs || positionals.length > spec.maxArgs) {
    throw usageError(`usage: cryptex ${spec.name} ${spec.args}`.trim());
  }
  const ctx = createContext(values, io);
  if (hasNativeArgon2id()) setArgon2idBackend(nativeArgon2id);
  const mod = await spec.load();
  await mod.run(ctx, { command: spec.name, positionals, values });
  return 0;
}

/** Runs one command line; resolves to the process's exit code (errors are printed here, never thrown). */
export async function runCli(argv: string[], io: Io = processIo()): Promise<number> {
  try {
    return await main(argv, io);
  } catch (e) {
    const info = toExitInfo(e);
    // an error message may quote a server: no terminal escapes reach the screen
    const { oneLine } = await import("../io/terminal-text.ts");
    const message = oneLine(info.message);
    if (argv.includes("--json")) io.stderr(`${JSON.stringify({ error: { code: info.code, message } })}\n`);
    else io.stderr(`cryptex: ${message}\n`);
    if (info.exit === 1 && io.env.CRYPTEX_DEBUG) console.error(e);
    return info.exit;
  }
}
