// Encrypted Account Key (docs/security.md §1), format version 1. Binary layout (big-endian):
//   0  magic "CXEK" (4) | 4 version = 1 | 5 account id (16) | 21 kdf = 1 (Argon2id v1.3)
//  22  m KiB (u32) | 26 t (u32) | 30 p (u8) | 31 salt (16)            -> header, 47 bytes = the AAD
//  47  nonce (12) | 59 AES-256-GCM(KEK, AK) (46 + 16 tag)              -> body, 121 bytes
// 121  checksum = SHA-256(body)[0..4]                                  -> 125 bytes
// The checksum is not security (GCM is); it tells a mistyped or damaged text apart from a wrong password.
// Text form: "CRYPTEX:" + base32 (RFC 4648, no padding): QR alphanumeric mode, 208 characters.
import { NONCE_BYTES, open, seal } from "../crypto/aead.ts";
import { randomBytes } from "../crypto/random.ts";
import { sha256 } from "../crypto/sha256.ts";
import { base32Decode, base32Encode } from "../encoding/base32.ts";
import { concat, equalBytes, fromUtf8, readU32be, u32be, utf8 } from "../encoding/bytes.ts";
import { CryptexError } from "../errors.ts";
import { ACCOUNT_KEY_LENGTH, type AccountKey, isAccountKey } from "../keys/account-key.ts";
import { deriveKek } from "../keys/derive.ts";
import { type AccountId, bytesToUuid, uuidToBytes } from "../keys/ids.ts";
import { checkKdfParams, KDF_DEFAULT, type KdfParams, SALT_BYTES, stretchPassword } from "../keys/kdf.ts";

export const EAK_TEXT_PREFIX = "CRYPTEX:";
const MAGIC = utf8("CXEK");
const HEADER_BYTES = 47;
const BODY_BYTES = HEADER_BYTES + NONCE_BYTES + ACCOUNT_KEY_LENGTH + 16;
const CHECKSUM_BYTES = 4;
export const EAK_BYTES = BODY_BYTES + CHECKSUM_BYTES;
const KDF_ARGON2ID = 1;

export interface EakHeader {
  readonly version: 1;
  readonly accountId: AccountId;
  readonly kdf: KdfParams;
  readonly salt: Uint8Array;
}

export interface Eak {
  readonly header: EakHeader;
  readonly bytes: Uint8Array;
}

function encodeHeader(h: EakHeader): Uint8Array {
  return concat(
    MAGIC,
    new Uint8Array([1]),
    uuidToBytes(h.accountId),
    new Uint8Array([KDF_ARGON2ID]),
    u32be(h.kdf.m),
    u32be(h.kdf.t),
    new Uint8Array([h.kdf.p]),
    h.salt,
  );
}

export interface CreatedEak {
  readonly eak: Eak;
  /** S, returned so sign-up can derive the auth key without a second Argon2id run. */
  readonly stretched: Uint8Array;
}

export async function createEak(
  password: string,
  accountKey: AccountKey,
  accountId: AccountId,
  kdf: KdfParams = KDF_DEFAULT,
): Promise<CreatedEak> {
  checkKdfParams(kdf);
  if (!isAccountKey(accountKey)) throw new CryptexError("invalid_input", "not a Cryptex Account Key");
  const header: EakHeader = { version: 1, accountId, kdf, salt: randomBytes(SALT_BYTES) };
  const headerBytes = encodeHeader(header);
  const stretched = await stretchPassword(password, header.salt, kdf);
  const kek = await deriveKek(stretched, accountId);
  const body = concat(headerBytes, await seal(kek, utf8(accountKey), headerBytes));
  const bytes = concat(body, sha256(body).subarray(0, CHECKSUM_BYTES));
  return { eak: { header, bytes }, stretched };
}

/** Parses the binary EAK: shape, magic, version, checksum and KDF bounds, before any key work. */
export function parseEak(bytes: Uint8Array): Eak {
  if (bytes.length < 5 || !equalBytes(bytes.subarray(0, 4), MAGIC)) {
    throw new CryptexError("unsupported_format", "this is not a Cryptex encrypted account key");
  }
  const version = bytes[4];
  switch (version) {
    case 1:
      break;
    default:
      throw new CryptexError("unsupported_format", `unsupported encrypted account key version ${version}`);
  }
  if (bytes.length !== EAK_BYTES) throw new CryptexError("tampered", "the encrypted account key is damaged (wrong length)");
  const body = bytes.subarray(0, BODY_BYTES);
  if (!equalBytes(sha256(body).subarray(0, CHECKSUM_BYTES), bytes.subarray(BODY_BYTES))) {
    throw new CryptexError("tampered", "the encrypted account key is damaged or altered (checksum mismatch)");
  }
  if (bytes[21] !== KDF_ARGON2ID) throw new CryptexError("unsupported_format", "unsupported key derivation function");
  const kdf = { m: readU32be(bytes, 22), t: readU32be(bytes, 26), p: bytes[30]! };
  checkKdfParams(kdf);
  const header: EakHeader = {
    version: 1,
    accountId: bytesToUuid(bytes.subarray(5, 21)) as AccountId,
    kdf,
    salt: bytes.slice(31, 47),
  };
  return { header, bytes: bytes.slice() };
}

export function eakToText(eak: Eak): string {
  return EAK_TEXT_PREFIX + base32Encode(eak.bytes);
}

/** Accepts the text as pasted from a mail: case, spaces, line breaks and dashes between groups are ignored. */
export function parseEakText(text: string): Eak {
  if (typeof text !== "string" || text.length > 4096) throw new CryptexError("invalid_input", "encrypted account key text is too long");
  const compact = text.replace(/[\s-]+/g, "").toUpperCase();
  if (!compact.startsWith(EAK_TEXT_PREFIX)) {
    throw new CryptexError("unsupported_format", `encrypted account key text must start with ${EAK_TEXT_PREFIX}`);
  }
  const bytes = base32Decode(compact.slice(EAK_TEXT_PREFIX.length));
  if (!bytes) throw new CryptexError("tampered", "the encrypted account key text is damaged (not base32)");
  return parseEak(bytes);
}

export interface OpenedEak {
  readonly accountKey: AccountKey;
  readonly stretched: Uint8Array;
}

/**
 * Decrypts the Account Key. The account check comes first, so a QR code of another account is reported
 * as such (`foreign_key`) without spending an Argon2id run; a GCM failure then means `wrong_password`.
 */
export async function openEak(eak: Eak, password: string, expectedAccountId?: AccountId): Promise<OpenedEak> {
  const { header } = eak;
  if (expectedAccountId !== undefined && header.accountId !== expectedAccountId) {
    throw new CryptexError("foreign_key", "this encrypted account key belongs to another account");
  }
  checkKdfParams(header.kdf);
  const stretched = await stretchPassword(password, header.salt, header.kdf);
  const kek = await deriveKek(stretched, header.accountId);
  const headerBytes = eak.bytes.subarray(0, HEADER_BYTES);
  let plain: Uint8Array;
  try {
    plain = await open(kek, eak.bytes.subarray(HEADER_BYTES, BODY_BYTES), headerBytes);
  } catch {
    throw new CryptexError("wrong_password", "wrong account password");
  }
  let ak: string;
  try {
    ak = fromUtf8(plain);
  } catch {
    throw new CryptexError("invalid_input", "the encrypted account key holds no valid key");
  }
  if (!isAccountKey(ak)) throw new CryptexError("invalid_input", "the encrypted account key holds no valid key");
  return { accountKey: ak, stretched };
}
