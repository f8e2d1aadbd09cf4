// Password and passphrase generator: uniform choices by rejection sampling from the platform CSPRNG.
import { wordlist } from "@scure/bip39/wordlists/english.js";
import { randomBelow, randomIndices } from "../crypto/random.ts";
import { CryptexError } from "../errors.ts";

const LOWER = "abcdefghijkmnopqrstuvwxyz";
const UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ";
const DIGITS = "23456789";
const SYMBOLS = "!#$%&*+-=?@^_~";

export interface CharOptions {
  length?: number;
  symbols?: boolean;
  digits?: boolean;
}

/** A random password with at least one character of each enabled class. */
export function generatePassword(opts: CharOptions = {}): string {
  const length = opts.length ?? 20;
  const classes = [LOWER, UPPER];
  if (opts.digits ?? true) classes.push(DIGITS);
  if (opts.symbols ?? true) classes.push(SYMBOLS);
  if (!Number.isInteger(length) || length < classes.length || length > 1024) {
    throw new CryptexError("invalid_input", `length must be ${classes.length}..1024`);
  }
  const all = classes.join("");
  for (;;) {
    let out = "";
    for (const i of randomIndices(length, all.length)) out += all[i];
    // Resample rather than patch in characters: patching would bias positions.
    if (classes.every((c) => [...out].some((ch) => c.includes(ch)))) return out;
  }
}

export interface WordOptions {
  words?: number;
  separator?: string;
}

/** A passphrase from the BIP-39 English list (2,048 words, 11 bits each). */
export function generatePassphrase(opts: WordOptions = {}): string {
  const n = opts.words ?? 6;
  if (!Number.isInteger(n) || n < 3 || n > 64) throw new CryptexError("invalid_input", "words must be 3..64");
  const sep = opts.separator ?? "-";
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    // 2048 = 8 × 256: a uniform high part and a uniform byte make a uniform index.
    out.push(wordlist[randomBelow(8) * 256 + randomBelow(256)]!);
  }
  return out.join(sep);
}

export function passwordEntropyBits(opts: CharOptions = {}): number {
  let size = LOWER.length + UPPER.length;
  if (opts.digits ?? true) size += DIGITS.length;
  if (opts.symbols ?? true) size += SYMBOLS.length;
  return (opts.length ?? 20) * Math.log2(size);
}
