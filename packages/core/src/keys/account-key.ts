// The Account Key (docs/security.md §1): 46 characters drawn uniformly from 64 unambiguous symbols.
import { randomIndices } from "../crypto/random.ts";
import { CryptexError } from "../errors.ts";

/** 24 upper (no I, O) + 23 lower (no i, l, o) + 8 digits (no 0, 1) + 9 symbols = 64, so 6 bits a character. */
export const ACCOUNT_KEY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789#$%&*+=?@";
export const ACCOUNT_KEY_LENGTH = 46;

export type AccountKey = string & { readonly __brand: "AccountKey" };

export function generateAccountKey(): AccountKey {
  let key = "";
  for (const i of randomIndices(ACCOUNT_KEY_LENGTH, ACCOUNT_KEY_ALPHABET.length)) key += ACCOUNT_KEY_ALPHABET[i];
  return key as AccountKey;
}

export function isAccountKey(s: string): s is AccountKey {
  if (s.length !== ACCOUNT_KEY_LENGTH) return false;
  for (const c of s) if (!ACCOUNT_KEY_ALPHABET.includes(c)) return false;
  return true;
}

export function parseAccountKey(s: string): AccountKey {
  if (!isAccountKey(s)) throw new CryptexError("invalid_input", "not a Cryptex Account Key");
  return s;
}

export function accountKeyEntropyBits(): number {
  return ACCOUNT_KEY_LENGTH * Math.log2(ACCOUNT_KEY_ALPHABET.length);
}

/** The seed's illustration: years to try every key, and the average, at a given guessing rate. */
export function exhaustionYears(guessesPerSecond = 360e9): { all: number; average: number } {
  const secondsPerYear = 365.25 * 24 * 3600;
  const all = ACCOUNT_KEY_ALPHABET.length ** ACCOUNT_KEY_LENGTH / guessesPerSecond / secondsPerYear;
  return { all, average: all / 2 };
}
