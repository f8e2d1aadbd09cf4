// KeePass databases through kdbxweb: KDBX 4 (Argon2d/Argon2id or AES-KDF; AES or ChaCha20) and KDBX 3.1,
// and KeePass 2's XML export. Groups become folders, the recycle bin the trash; custom strings custom
// fields (protected ones hidden); `otp` and `TimeOtp-*` TOTP; every history version's password.

import { argon2d, argon2id } from "hash-wasm";
import * as kdbxNs from "kdbxweb";
import { CryptexError } from "../../errors.ts";
import { type ParseResult, ParseSink } from "../imported-item.ts";
import { keepassOtp } from "../otp.ts";

// kdbxweb ships as a UMD bundle: in ESM the API is the default export
const kdbxweb = ((kdbxNs as unknown as { default?: typeof kdbxNs }).default ?? kdbxNs) as typeof kdbxNs;

let patched = false;
/** Far above what KeePass/KeePassXC choose for a second of work on fast machines, far below a hang. */
const MAX_AES_ROUNDS = 500_000_000;
const MAX_ARGON2_KIB = 1024 * 1024;
const MAX_ARGON2_T = 1000;
const tooMuchWork = () =>
  new CryptexError("kdf_params_rejected", "the KeePass database asks for more key-derivation work than Cryptex allows");
/**
 * kdbxweb deletes control characters from the XML before parsing, TAB included, which would change notes
 * and custom fields with a TAB in them. A TAB written as the character reference "&#9;" survives the
 * deletion and the XML parser turns it back into a TAB.
 */
function setUp(): void {
  setArgon2();
  if (patched) return;
  patched = true;
  const xml = kdbxweb.XmlUtils as { parse: (xml: string) => Document };
  const parse = xml.parse;
  xml.parse = (text: string) => parse(text.replace(/\t/g, "&#9;"));
  // A hostile file could ask for any work: key derivation is bounded before it starts.
  const aes = kdbxweb.KeyEncryptorAes as { encrypt: (key: Uint8Array, salt: Uint8Array, rounds: number) => Promise<Uint8Array> };
  const aesEncrypt = aes.encrypt;
  aes.encrypt = (key, salt, rounds) => {
    if (rounds > MAX_AES_ROUNDS) return Promise.reject(tooMuchWork());
    return aesEncrypt(key, salt, rounds);
  };
}

export const isKdbx = (b: Uint8Array): boolean =>
  b.length > 12 &&
  b[0] === 0x03 &&
  b[1] === 0xd9 &&
  b[2] === 0xa2 &&
  b[3] === 0x9a &&
  b[4] === 0x67 &&
  b[5] === 0xfb &&
  b[6] === 0x4b &&
  b[7] === 0xb5;

/** Argon2 from hash-wasm (kdbxweb has none), bounded; set on every import (cheap), so no other setting stays. */
function setArgon2(): void {
  kdbxweb.CryptoEngine.setArgon2Impl(async (password, salt, memory, iterations, length, parallelism, type) => {
    if (memory > MAX_ARGON2_KIB || iterations > MAX_ARGON2_T || parallelism > 64 || length > 64) throw tooMuchWork();
    const opts = {
      password: new Uint8Array(password),
      salt: new Uint8Array(salt),
      memorySize: memory,
      iterations,
      hashLength: length,
      parallelism,
      outputType: "binary" as const,
    };
    const out = type === kdbxweb.CryptoEngine.Argon2TypeArgon2id ? await argon2id(opts) : await argon2d(opts);
    return out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength) as ArrayBuffer;
  });
}

const credentials = (password: string) => new kdbxweb.Credentials(kdbxweb.ProtectedValue.fromString(password));

export async function parseKdbx(bytes: Uint8Array, password: string): Promise<ParseResult> {
  setUp();
  let db: kdbxNs.Kdbx;
  try {
    db = await kdbxweb.Kdbx.load(bytes.slice().buffer as ArrayBuffer, credentials(password));
  } catch (e) {
    throw kdbxError(e);
  }
  return fromDatabase(db);
}

export const isKeepassXml = (text: string | null): boolean => !!text && /^\s*(<\?xml[^>]*>\s*)?<KeePassFile[\s>]/.test(text);

export async function parseKeepassXml(text: string): Promise<ParseResult> {
  setUp();
  let db: kdbxNs.Kdbx;
  try {
    db = await kdbxweb.Kdbx.loadXml(text, credentials(""));
  } catch (e) {
    throw kdbxError(e);
  }
  return fromDatabase(db);
}

function kdbxError(e: unknown): CryptexError {
  if (e instanceof CryptexError) return e;
  const code = (e as { code?: string }).code;
  if (code === kdbxweb.Consts.ErrorCodes.InvalidKey) return new CryptexError("wrong_password", "wrong password for this KeePass database");
  if (code === kdbxweb.Consts.ErrorCodes.InvalidVersion || code === kdbxweb.Consts.ErrorCodes.Unsupported)
    return new CryptexError("unsupported_format", `unsupported KeePass database: ${(e as Error).message.slice(0, 200)}`);
  return new CryptexError("invalid_input", `the KeePass file is damaged: ${(e as Error).message?.slice(0, 200) ?? "unreadable"}`);
}

const STANDARD = new Set(["Title", "UserName", "Password", "URL", "Notes"]);
const text = (v: kdbxNs.KdbxEntryField | undefined): string => (v === undefined ? "" : typeof v === "string" ? v : v.getText());

function fromDatabase(db: kdbxNs.Kdbx): ParseResult {
  const sink = new ParseSink();
  const bin = db.meta.recycleBinUuid?.id;
  const walk = (group: kdbxNs.KdbxGroup, path: string[], trashed: boolean) => {
    for (const entry of group.entries) {
      const f = entry.fields;
      const title = text(f.get("Title")) || "(untitled)";
      const b = sink.item("login", title);
      b.set("username", text(f.get("UserName")))
        .set("password", text(f.get("Password")))
        .url(text(f.get("URL")));
      b.notes(text(f.get("Notes")))
        .folder(path.join("/"))
        .trashed(trashed);
      const attrs = new Map([...f].map(([k, v]) => [k, text(v)]));
      const otp = keepassOtp(attrs);
      const used = new Set(otp?.used ?? []);
      if (otp) b.set("totp", otp.value);
      for (const [k, v] of f) {
        if (STANDARD.has(k) || used.has(k)) continue;
        if (/^KP2A_URL/.test(k) || /^URL_\d+$/.test(k)) b.set("url", text(v), "Website", "url");
        else b.custom(k, text(v), typeof v === "string" ? "text" : "hidden");
      }
      b.tag(...entry.tags);
      b.times(entry.times.creationTime?.getTime(), entry.times.lastModTime?.getTime());
      if (entry.times.expires && entry.times.expiryTime && !Number.isNaN(entry.times.expiryTime.getTime()))
        b.extra("Expires", entry.times.expiryTime.toISOString().slice(0, 10), "date");
      const current = text(f.get("Password"));
      const seen = new Set([current]);
      for (const old of [...entry.history].reverse()) {
        const pw = text(old.fields.get("Password"));
        if (pw && !seen.has(pw)) {
          seen.add(pw);
          b.history(pw, old.times.lastModTime?.getTime());
        }
      }
      const files = [...entry.binaries.keys()];
      if (files.length) b.lost(`attachment(s) ${files.join(", ")}`);
    }
    for (const g of group.groups) {
      const inBin = trashed || (bin !== undefined && g.uuid.id === bin);
      walk(g, inBin && !trashed ? path : [...path, g.name ?? ""], inBin);
    }
  };
  walk(db.getDefaultGroup(), [], false);
  return sink.result();
}
