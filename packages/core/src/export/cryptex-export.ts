// The encrypted Cryptex export file, format version 1 (docs/import.md), written and read by every app. Binary, big-endian:
//   0 magic "CXEX" (4) | 4 version = 1 | 5 export id (16) | 21 kdf = 1 (Argon2id) | 22 m KiB (u32) | 26 t (u32)
//  30 p (u8) | 31 salt (16)                                      -> header, 47 bytes, all of it in the AAD
//  47 envelope: version ‖ nonce ‖ AES-256-GCM(key, JSON payload) ‖ tag
// key = HKDF-SHA256(Argon2id(NFKC(password), salt, m, t, p), salt = export id, info "cryptex/v1/export");
// AAD = aad("export", export id, undefined, header). A file's own password, independent of the account.
import { hkdfAesKey } from "../crypto/hkdf.ts";
import { randomBytes } from "../crypto/random.ts";
import { concat, equalBytes, fromUtf8, readU32be, u32be, utf8 } from "../encoding/bytes.ts";
import { CryptexError } from "../errors.ts";
import { aad } from "../formats/aad.ts";
import { openEnvelope, sealEnvelope } from "../formats/envelope.ts";
import { type AccountId, bytesToUuid, newUuid, uuidToBytes } from "../keys/ids.ts";
import { checkKdfParams, KDF_DEFAULT, type KdfParams, SALT_BYTES, stretchPassword } from "../keys/kdf.ts";
import { arr, int, literal, obj, parseJson } from "../schema/shape.ts";
import { type Item, itemShape } from "../vault/item.ts";

const MAGIC = utf8("CXEX");
const HEADER_BYTES = 47;
export const MAX_EXPORT_BYTES = 512 * 1024 * 1024;
const MAX_ITEMS = 1_000_000;

const payloadShape = obj({
  format: literal("cryptex-export"),
  version: literal(1),
  exportedAt: int(0, 8.64e15),
  items: arr(itemShape, MAX_ITEMS),
});

async function fileKey(password: string, exportId: string, salt: Uint8Array, kdf: KdfParams): Promise<CryptoKey> {
  const s = await stretchPassword(password, salt, kdf);
  return hkdfAesKey(s, uuidToBytes(exportId), utf8("cryptex/v1/export"));
}

export async function writeExport(items: readonly Item[], password: string, kdf: KdfParams = KDF_DEFAULT): Promise<Uint8Array> {
  const exportId = newUuid();
  const salt = randomBytes(SALT_BYTES);
  const header = concat(
    MAGIC,
    new Uint8Array([1]),
    uuidToBytes(exportId),
    new Uint8Array([1]),
    u32be(kdf.m),
    u32be(kdf.t),
    new Uint8Array([kdf.p]),
    salt,
  );
  const payload = utf8(JSON.stringify({ format: "cryptex-export", version: 1, exportedAt: Date.now(), items }));
  const key = await fileKey(password, exportId, salt, kdf);
  return concat(header, await sealEnvelope(key, payload, aad("export", exportId as AccountId, undefined, header)));
}

export async function readExport(bytes: Uint8Array, password: string): Promise<Item[]> {
  if (bytes.length < 5 || !equalBytes(bytes.subarray(0, 4), MAGIC))
    throw new CryptexError("unsupported_format", "this is not a cryptex export file");
  switch (bytes[4]) {
    case 1:
      break;
    default:
      throw new CryptexError("unsupported_format", `unsupported export file version ${bytes[4]}`);
  }
  if (bytes.length < HEADER_BYTES + 30 || bytes[21] !== 1) throw new CryptexError("tampered", "the export file is damaged");
  const header = bytes.subarray(0, HEADER_BYTES);
  const exportId = bytesToUuid(bytes.subarray(5, 21));
  const kdf = { m: readU32be(bytes, 22), t: readU32be(bytes, 26), p: bytes[30]! };
  checkKdfParams(kdf);
  const key = await fileKey(password, exportId, bytes.slice(31, 47), kdf);
  let plain: Uint8Array;
  try {
    plain = await openEnvelope(key, bytes.subarray(HEADER_BYTES), aad("export", exportId as AccountId, undefined, header));
  } catch (e) {
    if (e instanceof CryptexError && e.code === "unsupported_format") throw e;
    throw new CryptexError("wrong_password", "wrong export password, or the file was altered");
  }
  let text: string;
  try {
    text = fromUtf8(plain);
  } catch {
    throw new CryptexError("invalid_input", "the export holds no valid text");
  }
  return parseJson(payloadShape, text, MAX_EXPORT_BYTES).items as Item[];
}
