// The command-line interface as data: every command, its flags and help text. Help, completion and the
// parser all read this table, and each command's code is loaded only when that command runs.
import { loadCommand } from "./load-command.ts";

export interface OptionSpec {
  readonly name: string;
  readonly type: "string" | "boolean";
  readonly multiple?: boolean;
  readonly short?: string;
  readonly value?: string; // placeholder shown in help
  readonly help: string;
}

export interface CommandSpec {
  readonly name: string; // "get", or "account qr" for subcommands
  readonly args: string; // positional synopsis, e.g. "ID_OR_TITLE"
  readonly minArgs: number;
  readonly maxArgs: number;
  readonly summary: string;
  readonly options: readonly OptionSpec[];
  readonly load: () => Promise<{ run: CommandRun }>;
}

export type CommandRun = (ctx: import("./context.ts").Context, args: ParsedArgs) => Promise<void>;

export interface ParsedArgs {
  /** the command name as in COMMANDS, e.g. "rm" or "account qr" */
  readonly command: string;
  readonly positionals: readonly string[];
  readonly values: Readonly<Record<string, string | boolean | string[] | undefined>>;
}

export const GLOBAL_OPTIONS: readonly OptionSpec[] = [
  { name: "home", type: "string", value: "DIR", help: "local vault folder (env CRYPTEX_HOME)" },
  { name: "json", type: "boolean", help: "print data as JSON (stable field names)" },
  { name: "password-stdin", type: "boolean", help: "read the Account Password (and other passwords, one a line) from stdin" },
  { name: "ca", type: "string", value: "FILE", help: "trust this PEM certificate for the server (or NODE_EXTRA_CA_CERTS)" },
  { name: "help", type: "boolean", short: "h", help: "show help" },
];

const o = (name: string, help: string, extra: Partial<OptionSpec> = {}): OptionSpec => ({
  name,
  type: extra.value ? "string" : "boolean",
  help,
  ...extra,
});
const SERVER = o("server", "server URL, https://…", { value: "URL" });
const EMAIL = o("email", "account e-mail address", { value: "E" });
const FIELD = o("field", "field value (repeatable)", { value: "NAME=VALUE", multiple: true });
const TAG = o("tag", "tag (repeatable)", { value: "T", multiple: true });
const FOLDER = o("folder", 'folder path, e.g. "Work/Dev" ("" for none)', { value: "PATH" });
const cmd = (m: string) => () => loadCommand(m);

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: "signup",
    args: "",
    minArgs: 0,
    maxArgs: 0,
    summary: "create an account: Account Key, encrypted key, QR code mail",
    options: [
      SERVER,
      EMAIL,
      o("no-email", "do not mail the QR code (keep the Emergency Kit instead); a confirmation code is mailed anyway"),
      o("emergency-kit", "write the Emergency Kit PNG (and its .txt) here", { value: "FILE.png" }),
      o("device-name", "name of this device on the server", { value: "NAME" }),
      o("code", "finish a sign-up kept by an earlier run with the code from the mail", { value: "CODE" }),
      o("folder", "no server: the account lives in this synced folder (then no mail; keep the Emergency Kit)", { value: "DIR" }),
      o("key-file", "with --folder: keep the encrypted Account Key in the folder, so a new device signs in without the QR code"),
    ],
    load: cmd("signup"),
  },
  {
    name: "signin",
    args: "",
    minArgs: 0,
    maxArgs: 0,
    summary: "sign in on a new device: QR code (image or text), or approval from a signed-in device",
    options: [
      SERVER,
      EMAIL,
      o("qr", "QR code image (PNG or JPEG)", { value: "IMAGE" }),
      o("qr-text", "the CRYPTEX:… text from the mail or kit; - reads it from stdin (first line)", { value: "EAK_TEXT" }),
      o("pair", "show a pairing code for a signed-in device to approve (cryptex device approve)"),
      o("pair-code", "the pairing code shown by a signed-in device (cryptex device add)", { value: "CODE" }),
      o("png", "with --pair, also write the pairing QR code as PNG", { value: "FILE" }),
      o("device-name", "name of this device on the server", { value: "NAME" }),
      o("folder", "an account without a server: sign in from its synced folder", { value: "DIR" }),
      o("key-file", "with --folder: use the account's key file in the folder instead of the QR code"),
    ],
    load: cmd("signin"),
  },
  {
    name: "unlock",
    args: "",
    minArgs: 0,
    maxArgs: 0,
    summary: "unlock and print a session token for CRYPTEX_SESSION",
    options: [o("raw", "print the bare token only"), o("minutes", "session lifetime (default 30)", { value: "N" })],
    load: cmd("unlock"),
  },
  { name: "lock", args: "", minArgs: 0, maxArgs: 0, summary: "end every session of this vault", options: [], load: cmd("lock") },
  { name: "status", args: "", minArgs: 0, maxArgs: 0, summary: "account, lock state, pending changes", options: [], load: cmd("status") },
  {
    name: "add",
    args: "TYPE",
    minArgs: 1,
    maxArgs: 1,
    summary: "add an item (fields by flags, or JSON on stdin)",
    options: [
      o("title", "item title", { value: "T" }),
      FIELD,
      TAG,
      o("favorite", "mark as favourite"),
      o("notes", "notes", { value: "TEXT" }),
      FOLDER,
    ],
    load: cmd("add"),
  },
  {
    name: "list",
    args: "",
    minArgs: 0,
    maxArgs: 0,
    summary: "list items",
    options: [
      o("type", "only this type", { value: "T" }),
      TAG,
      o("folder", "only this folder and the folders below it", { value: "PATH" }),
      o("favorite", "only favourites"),
      o("trash", "list the trash"),
    ],
    load: cmd("list"),
  },
  { name: "folders", args: "", minArgs: 0, maxArgs: 0, summary: "the folder tree with item counts", options: [], load: cmd("folders") },
  {
    name: "search",
    args: "QUERY",
    minArgs: 0,
    maxArgs: 1,
    summary: 'search titles, URLs, usernames, tags; type: tag: folder: url: is:favorite is:weak "phrase"',
    options: [
      o("deep", "also search notes and custom fields (keeps an encrypted index on this device)"),
      o("deep-off", "delete this device's deep-search index"),
    ],
    load: cmd("search"),
  },
  {
    name: "health",
    args: "",
    minArgs: 0,
    maxArgs: 0,
    summary: "password health: weak, reused, old, http:, no one-time code, breached",
    options: [
      o("breaches", "check passwords with Have I Been Pwned (only 5 hex characters of each SHA-1 leave)"),
      o("breach-endpoint", "Pwned Passwords range API or a mirror (implies --breaches)", { value: "URL" }),
    ],
    load: cmd("health"),
  },
  {
    name: "get",
    args: "ID_OR_TITLE",
    minArgs: 1,
    maxArgs: 1,
    summary: "show an item, or print one field's bare value",
    options: [o("field", "print only this field's value", { value: "NAME" }), o("reveal", "show hidden fields")],
    load: cmd("get"),
  },
  {
    name: "edit",
    args: "ID_OR_TITLE",
    minArgs: 1,
    maxArgs: 1,
    summary: "change fields, title, tags",
    options: [
      o("title", "new title", { value: "T" }),
      FIELD,
      TAG,
      o("favorite", "mark as favourite"),
      o("notes", "notes", { value: "TEXT" }),
      FOLDER,
      o("stdin", "read the changes as JSON from stdin (secrets stay off the command line)"),
    ],
    load: cmd("edit"),
  },
  { name: "rm", args: "ID_OR_TITLE", minArgs: 1, maxArgs: 1, summary: "move an item to the trash", options: [], load: cmd("trash") },
  {
    name: "restore",
    args: "ID_OR_TITLE",
    minArgs: 1,
    maxArgs: 1,
    summary: "restore an item from the trash",
    options: [],
    load: cmd("trash"),
  },
  {
    name: "purge",
    args: "ID_OR_TITLE",
    minArgs: 1,
    maxArgs: 1,
    summary: "delete a trashed item for good",
    options: [],
    load: cmd("trash"),
  },
  {
    name: "history",
    args: "ID_OR_TITLE [V2]",
    minArgs: 1,
    maxArgs: 2,
    summary: "saved versions of an item: list, compare, restore",
    options: [
      o("diff", "show the changes from version V1 to V2 (default: the current one)", { value: "V1" }),
      o("restore", "save version V's content as a new edit", { value: "V" }),
      o("reveal", "show secret values"),
    ],
    load: cmd("history"),
  },
  {
    name: "attach",
    args: "ID_OR_TITLE FILE",
    minArgs: 2,
    maxArgs: 2,
    summary: "attach a file to an item (encrypted on this device, uploaded with progress)",
    options: [o("name", "the name to keep (default: the file's name)", { value: "NAME" })],
    load: cmd("attach"),
  },
  {
    name: "attachment list",
    args: "ID_OR_TITLE",
    minArgs: 1,
    maxArgs: 1,
    summary: "the files attached to an item",
    options: [],
    load: cmd("attachment"),
  },
  {
    name: "attachment get",
    args: "ID_OR_TITLE NAME",
    minArgs: 2,
    maxArgs: 2,
    summary: "decrypt an attachment into a file (downloaded when not on this device)",
    options: [o("out", "the file to write", { value: "FILE" })],
    load: cmd("attachment"),
  },
  {
    name: "attachment rm",
    args: "ID_OR_TITLE NAME",
    minArgs: 2,
    maxArgs: 2,
    summary: "remove an attachment (its stored copy goes once the change has synced)",
    options: [],
    load: cmd("attachment"),
  },
  {
    name: "generate",
    args: "",
    minArgs: 0,
    maxArgs: 0,
    summary: "generate a password or passphrase",
    options: [
      o("length", "characters (default 20)", { value: "N" }),
      o("no-symbols", "letters and digits only"),
      o("words", "a passphrase of N words", { value: "N" }),
      o("separator", "between words (default -)", { value: "S" }),
    ],
    load: cmd("generate"),
  },
  {
    name: "totp",
    args: "ID_OR_TITLE",
    minArgs: 1,
    maxArgs: 1,
    summary: "current one-time code of an item",
    options: [],
    load: cmd("totp"),
  },
  {
    name: "sync",
    args: "",
    minArgs: 0,
    maxArgs: 0,
    summary: "pull then push changes",
    options: [
      o("watch", "stay connected and sync on every change"),
      o("attachments", "also download every attachment this device lacks (otherwise fetched when opened)"),
    ],
    load: cmd("sync"),
  },
  {
    name: "sync method",
    args: "[folder DIR | webdav URL | server | none]",
    minArgs: 0,
    maxArgs: 2,
    summary: "show or set how this device syncs items: the server, a synced folder, WebDAV, or none",
    options: [o("user", "WebDAV user name (the password is asked, or read from the next stdin line)", { value: "NAME" })],
    load: cmd("sync-method"),
  },
  {
    name: "account qr",
    args: "",
    minArgs: 0,
    maxArgs: 0,
    summary: "show the account QR code",
    options: [
      o("png", "write the bare QR code as PNG", { value: "FILE" }),
      o("kit", "write a new Emergency Kit (QR code, key text, instructions) and its .txt", { value: "FILE.png" }),
    ],
    load: cmd("account"),
  },
  { name: "account resend-email", args: "", minArgs: 0, maxArgs: 0, summary: "mail the QR code again", options: [], load: cmd("account") },
  {
    name: "account change-password",
    args: "",
    minArgs: 0,
    maxArgs: 0,
    summary: "change the Account Password",
    options: [o("no-email", "do not mail the new QR code")],
    load: cmd("account"),
  },
  {
    name: "account rotate-key",
    args: "",
    minArgs: 0,
    maxArgs: 0,
    summary: "replace the Account Key: re-encrypt every item, sign other devices out (resumes if interrupted)",
    options: [
      o("mail", "mail the new QR code to the account's address"),
      o("kit", "write the new Emergency Kit (QR code, key text, instructions) and its .txt", { value: "FILE.png" }),
    ],
    load: cmd("rotate-key"),
  },
  { name: "account devices", args: "", minArgs: 0, maxArgs: 0, summary: "list signed-in devices", options: [], load: cmd("account") },
  { name: "account revoke", args: "DEVICE", minArgs: 1, maxArgs: 1, summary: "sign a device out", options: [], load: cmd("account") },
  {
    name: "device approve",
    args: "CODE",
    minArgs: 1,
    maxArgs: 1,
    summary: "approve a new device that shows a pairing code",
    options: [o("yes", "approve without asking (you compared the comparison code yourself)")],
    load: cmd("device"),
  },
  {
    name: "device add",
    args: "",
    minArgs: 0,
    maxArgs: 0,
    summary: "show a pairing code for a new device, then approve it",
    options: [
      o("yes", "approve without asking (you compared the comparison code yourself)"),
      o("png", "also write the pairing QR code as PNG", { value: "FILE" }),
    ],
    load: cmd("device"),
  },
  {
    name: "account reset",
    args: "",
    minArgs: 0,
    maxArgs: 0,
    summary: "wipe the server copy; new Account Key",
    options: [o("confirm", "type RESET <email> to confirm", { value: "TEXT" }), o("no-email", "do not mail the new QR code")],
    load: cmd("account"),
  },
  {
    name: "account forgot",
    args: "",
    minArgs: 0,
    maxArgs: 0,
    summary: "forgotten password: erase the account by a mailed code, then sign up again",
    options: [SERVER, EMAIL, o("code", "the code from the mail (a second run, without a terminal)", { value: "CODE" })],
    load: cmd("account-forgot"),
  },
  {
    name: "export",
    args: "",
    minArgs: 0,
    maxArgs: 0,
    summary: "export every item: encrypted (default) or an open format",
    options: [
      o("out", "file to write", { value: "FILE" }),
      o("format", "cryptex (encrypted, default), json, bitwarden-json or csv", { value: "F" }),
      o("plaintext", "confirm an unencrypted format (asks the Account Password again)"),
    ],
    load: cmd("export"),
  },
  {
    name: "import",
    args: "FILE",
    minArgs: 1,
    maxArgs: 1,
    summary: "import another manager's export or a Cryptex export (docs/import.md)",
    options: [
      o("format", "the file's format (detected when absent)", { value: "NAME" }),
      o("dry-run", "show the report, save nothing"),
      o("skip-duplicates", "skip items already present (same title, username and URLs)"),
    ],
    load: cmd("import"),
  },
  {
    name: "completion",
    args: "bash|zsh",
    minArgs: 1,
    maxArgs: 1,
    summary: "print a shell completion script",
    options: [],
    load: cmd("completion"),
  },
];

export const EXIT_CODES_HELP = `Exit codes:
  0 success            1 internal error      2 usage error        3 not found
  4 ambiguous title    5 locked / session    6 wrong password     7 QR of another account
  8 unreadable QR      9 invalid or damaged data                  10 weak or mismatched password
  11 no vault here     12 network / TLS      13 server refused (sign in again)
  14 server error      15 password changed elsewhere              16 account reset elsewhere
  17 file error        18 pairing failed (code unknown, used, refused or expired)
  19 Account Key replaced elsewhere / rotation to finish     20 attachment not in the sync folder yet
  130 interrupted`;

export function findCommand(words: readonly string[]): { spec: CommandSpec; rest: string[] } | undefined {
  const [a, b] = words;
  if ((a === "account" || a === "device" || a === "attachment") && b !== undefined) {
    const spec = COMMANDS.find((c) => c.name === `${a} ${b}`);
    return spec && { spec, rest: words.slice(2) };
  }
  if (a === "sync" && b === "method") return { spec: COMMANDS.find((c) => c.name === "sync method")!, rest: words.slice(2) };
  const spec = COMMANDS.find((c) => c.name === a);
  return spec && { spec, rest: words.slice(1) };
}
