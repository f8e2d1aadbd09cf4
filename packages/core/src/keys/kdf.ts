// Password stretching (docs/security.md §1): S = Argon2id(NFKC(P), salt, m, t, p), with a floor and a ceiling
// that clients enforce whatever a server, file or QR code says.
import { argon2id } from "../crypto/argon2.ts";
import { utf8 } from "../encoding/bytes.ts";
import { CryptexError } from "../errors.ts";

export interface KdfParams {
  readonly m: number; // KiB
  readonly t: number;
  readonly p: number;
}

export const KDF_DEFAULT: KdfParams = Object.freeze({ m: 65536, t: 3, p: 4 });
export const KDF_FLOOR = Object.freeze({ m: 65536, t: 3, p: 1 });
/** Ceiling: a hostile header must not make a device spend gigabytes or minutes. */
export const KDF_CEILING = Object.freeze({ m: 1048576, t: 16, p: 16, work: 4 * 1048576 });
export const SALT_BYTES = 16;

export function checkKdfParams(k: KdfParams): void {
  const ok =
    Number.isInteger(k.m) &&
    Number.isInteger(k.t) &&
    Number.isInteger(k.p) &&
    k.m >= KDF_FLOOR.m &&
    k.t >= KDF_FLOOR.t &&
    k.p >= KDF_FLOOR.p &&
    k.m <= KDF_CEILING.m &&
    k.t <= KDF_CEILING.t &&
    k.p <= KDF_CEILING.p &&
    k.m * k.t <= KDF_CEILING.work &&
    k.m >= 8 * k.p;
  if (!ok) {
    throw new CryptexError(
      "kdf_params_rejected",
      `key derivation parameters m=${k.m} KiB, t=${k.t}, p=${k.p} are outside the accepted range`,
    );
  }
}

export async function stretchPassword(password: string, salt: Uint8Array, params: KdfParams): Promise<Uint8Array> {
  checkKdfParams(params);
  if (salt.length !== SALT_BYTES) throw new CryptexError("invalid_input", "salt must be 16 bytes");
  return argon2id(utf8(password.normalize("NFKC")), salt, params, 32);
}
