// Codes mailed to prove an address (sign-up, forgotten password): 8 random digits, kept only as a hash bound
// to the code's id. At most MAX_CODE_ATTEMPTS guesses per code (store), so a guess succeeds 1 in 20 million.
import { createHash, randomInt } from "node:crypto";

/** How long a mailed code, and so a pending sign-up, lives. */
export const MAIL_CODE_TTL_MS = 24 * 3600 * 1000;

export const newMailCode = (): string => String(randomInt(0, 100_000_000)).padStart(8, "0");

export const hashMailCode = (id: string, code: string): Uint8Array =>
  new Uint8Array(createHash("sha256").update(`cryptex mail code\0${id}\0${code}`).digest());
