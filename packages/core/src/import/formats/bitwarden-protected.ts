// Bitwarden's password-protected JSON export: the plain JSON export, AES-256-CBC + HMAC-SHA256
// ("2.iv|data|mac" strings) under a key from the file password — PBKDF2-SHA256 over the salt text, or
// Argon2id over SHA-256(salt text), expanded with HKDF-Expand into "enc" and "mac" keys.
import { expand } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { argon2id } from "../../crypto/argon2.ts";
import { CryptexError } from "../../errors.ts";

type J = Record<string, unknown>;
const isObj = (v: unknown): v is J => typeof v === "object" && v !== null && !Array.isArray(v);
const enc = new TextEncoder();
const subtle = () => globalThis.crypto.subtle;

export const isBitwardenProtected = (j: unknown): j is J =>
  isObj(j) && j.encrypted === true && j.passwordProtected === true && typeof j.data === "string";

export interface BitwardenKdf {
  readonly kdfType: 0 | 1;
  readonly kdfIterations: number;
  readonly kdfMemory?: number;
  readonly kdfParallelism?: number;
}

function checkKdf(j: J): BitwardenKdf {
  const t = j.kdfType;
  const it = j.kdfIterations;
  const ok = (v: unknown, lo: number, hi: number): v is number => typeof v === "number" && Number.isInteger(v) && v >= lo && v <= hi;
  if (t === 0 && ok(it, 5000, 10_000_000)) return { kdfType: 0, kdfIterations: it };
  if (t === 1 && ok(it, 1, 20) && ok(j.kdfMemory, 15, 1024) && ok(j.kdfParallelism, 1, 16))
    return { kdfType: 1, kdfIterations: it, kdfMemory: j.kdfMemory, kdfParallelism: j.kdfParallelism };
  throw new CryptexError("kdf_params_rejected", "the Bitwarden export's key-derivation settings are out of range");
}

export async function bitwardenKeys(password: string, salt: string, kdf: BitwardenKdf): Promise<{ enc: Uint8Array; mac: Uint8Array }> {
  let key: Uint8Array;
  if (kdf.kdfType === 0) {
    const base = await subtle().importKey("raw", enc.encode(password), "PBKDF2", false, ["deriveBits"]);
    const bits = await subtle().deriveBits(
      { name: "PBKDF2", hash: "SHA-256", salt: enc.encode(salt), iterations: kdf.kdfIterations },
      base,
      256,
    );
    key = new Uint8Array(bits);
  } else {
    key = await argon2id(enc.encode(password), sha256(enc.encode(salt)), {
      m: kdf.kdfMemory! * 1024,
      t: kdf.kdfIterations,
      p: kdf.kdfParallelism!,
    });
  }
  return { enc: expand(sha256, key, enc.encode("enc"), 32), mac: expand(sha256, key, enc.encode("mac"), 32) };
}

const b64 = (s: string): Uint8Array => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

/** Opens one "2.iv|data|mac" string; undefined when the MAC does not verify (wrong key or altered). */
export async function openEncString(text: string, keys: { enc: Uint8Array; mac: Uint8Array }): Promise<Uint8Array | undefined> {
  const m = /^2\.([^|]+)\|([^|]+)\|([^|]+)$/.exec(text);
  if (!m) throw new CryptexError("unsupported_format", "unsupported Bitwarden encryption type");
  let iv: Uint8Array;
  let data: Uint8Array;
  let mac: Uint8Array;
  try {
    [iv, data, mac] = [b64(m[1]!), b64(m[2]!), b64(m[3]!)];
  } catch {
    throw new CryptexError("invalid_input", "the Bitwarden export is damaged (bad base64)");
  }
  const macKey = await subtle().importKey("raw", keys.mac as BufferSource, { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
  const signed = new Uint8Array(iv.length + data.length);
  signed.set(iv);
  signed.set(data, iv.length);
  if (!(await subtle().verify("HMAC", macKey, mac as BufferSource, signed))) return undefined;
  const aes = await subtle().importKey("raw", keys.enc as BufferSource, "AES-CBC", false, ["decrypt"]);
  return new Uint8Array(await subtle().decrypt({ name: "AES-CBC", iv: iv as BufferSource }, aes, data as BufferSource));
}

/** The plain Bitwarden JSON inside; a wrong password is `wrong_password`. */
export async function parseBitwardenProtected(j: J, password: string): Promise<unknown> {
  if (typeof j.salt !== "string" || typeof j.encKeyValidation_DO_NOT_EDIT !== "string" || j.salt.length > 1024)
    throw new CryptexError("invalid_input", "the Bitwarden export is damaged (no salt or validation string)");
  const keys = await bitwardenKeys(password, j.salt, checkKdf(j));
  if (!(await openEncString(j.encKeyValidation_DO_NOT_EDIT, keys)))
    throw new CryptexError("wrong_password", "wrong password for this Bitwarden export");
  const plain = await openEncString(j.data as string, keys);
  if (!plain) throw new CryptexError("tampered", "the Bitwarden export is damaged");
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(plain));
  } catch {
    throw new CryptexError("invalid_input", "the Bitwarden export holds no valid JSON");
  }
}
