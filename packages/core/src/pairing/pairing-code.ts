// The one-time pairing secret and its text forms, and what both devices derive from it (docs/security.md
// "Approving a new device"): the relay channel id (the server sees only this), the Noise PSK and prologue.
//   QR code:  CRYPTEX-PAIR1:<28 base32 characters>@<server origin>
//   typed:    the 28 characters, in groups of four (case, spaces and dashes do not matter)

import { hkdfBytes } from "../crypto/hkdf.ts";
import { randomBytes } from "../crypto/random.ts";
import { base32Decode, base32Encode } from "../encoding/base32.ts";
import { b64uEncode } from "../encoding/base64.ts";
import { concat, utf8 } from "../encoding/bytes.ts";
import { CryptexError } from "../errors.ts";

export const PAIR_VERSION = 1;
export const PAIR_PREFIX = "CRYPTEX-PAIR1:";
const SECRET_BYTES = 16;
const CODE_CHARS = 28; // base32 of version ‖ secret (17 bytes)
const EMPTY = new Uint8Array(0);

export type PairingSecret = Uint8Array & { readonly __brand: "PairingSecret" };

export function newPairingSecret(): PairingSecret {
  return randomBytes(SECRET_BYTES) as PairingSecret;
}

/** The 28 characters to type, grouped by four: "AEXX-XXXX-…". */
export function pairingCodeText(secret: PairingSecret): string {
  return base32Encode(concat(Uint8Array.of(PAIR_VERSION), secret))
    .match(/.{1,4}/g)!
    .join("-");
}

/** The QR code's text: the code and the server it belongs to. */
export function pairingUri(secret: PairingSecret, origin: string): string {
  return `${PAIR_PREFIX}${pairingCodeText(secret).replaceAll("-", "")}@${origin}`;
}

/**
 * Reads a scanned or typed code. A QR text names its server: it must be ours (a code shown by a page of another
 * origin is refused before anything is sent). A typed code is taken to belong to our server.
 */
export function parsePairingCode(text: string, ourOrigin: string): PairingSecret {
  let code = text.trim();
  if (code.length > 400) throw new CryptexError("invalid_input", "this is not a Cryptex pairing code (too long)");
  if (code.toUpperCase().startsWith(PAIR_PREFIX)) {
    const at = code.indexOf("@");
    if (at < 0) throw new CryptexError("invalid_input", "this pairing code names no server");
    const origin = code.slice(at + 1);
    if (origin !== ourOrigin)
      throw new CryptexError("origin_mismatch", `this pairing code belongs to ${origin.slice(0, 200)}, not to ${ourOrigin}`);
    code = code.slice(PAIR_PREFIX.length, at);
  } else if (/^CRYPTEX:/i.test(code)) {
    throw new CryptexError("invalid_input", "this is an account QR code (CRYPTEX:…), not a pairing code");
  }
  const chars = code.toUpperCase().replace(/[\s-]/g, "");
  if (chars.length !== CODE_CHARS)
    throw new CryptexError("invalid_input", `a pairing code has ${CODE_CHARS} letters and digits; this one has ${chars.length}`);
  const bytes = /^[A-Z2-7]+$/.test(chars) ? base32Decode(chars) : undefined;
  if (!bytes) throw new CryptexError("invalid_input", "this pairing code has a character that is not in it (only A–Z and 2–7 are)");
  if (bytes[0] !== PAIR_VERSION)
    throw new CryptexError("unsupported_format", "this pairing code is mistyped or comes from another version of Cryptex");
  return bytes.slice(1) as PairingSecret;
}

export interface PairingKeys {
  /** the relay channel id, base64url of 16 bytes: all the server learns */
  readonly channel: string;
  readonly psk: Uint8Array;
  readonly prologue: Uint8Array;
}

const info = (what: string) => utf8(`cryptex/v1/pair/${what}`);

export async function pairingKeys(secret: PairingSecret, origin: string): Promise<PairingKeys> {
  return {
    channel: b64uEncode(await hkdfBytes(secret, EMPTY, info("cid"), 16)),
    psk: await hkdfBytes(secret, EMPTY, info("psk"), 32),
    prologue: concat(utf8("cryptex/v1/pair"), Uint8Array.of(0, PAIR_VERSION), utf8(origin)),
  };
}

/** The 6-digit comparison code both screens show, from the handshake hash (so a relay in the middle shows up). */
export async function comparisonCode(handshakeHash: Uint8Array): Promise<string> {
  const b = await hkdfBytes(handshakeHash, EMPTY, info("sas"), 4);
  const n = new DataView(b.buffer, b.byteOffset, 4).getUint32(0, false);
  return String(n % 1_000_000).padStart(6, "0");
}
