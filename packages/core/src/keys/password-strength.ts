// Account Password check (docs/security.md): the EAK may be mailed, so the password alone must hold against offline
// guessing at the Argon2id cost. Accept an estimated 10^10 guesses or more (zxcvbn score 4) with at least 12
// characters, or a generated passphrase of 5+ distinct words of the generator's list. Heavy (dictionaries): import
// it only where a password is chosen, never on the unlock path.
import { wordlist } from "@scure/bip39/wordlists/english.js";
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import * as en from "@zxcvbn-ts/language-en";
import { CryptexError } from "../errors.ts";

// apps that load this module to judge a new password show the time to guess it with these
export { formatDuration, guessTime } from "./guess-time.ts";

export const MIN_PASSWORD_LENGTH = 12;
export const MIN_PASSWORD_SCORE = 4;
export const MIN_GUESSES = 1e10;
export const MIN_PASSPHRASE_WORDS = 5;
const MAX_CHECKED_LENGTH = 256; // zxcvbn is super-linear; longer inputs are strong by length alone

export interface PasswordStrength {
  readonly score: 0 | 1 | 2 | 3 | 4;
  readonly length: number;
  /** zxcvbn's estimate of the guesses an attacker needs (for a generated passphrase: 2048^words) */
  readonly guesses: number;
  /** a generated passphrase of 5+ distinct words of the generator's list */
  readonly passphrase: boolean;
  readonly acceptable: boolean;
  readonly warning: string;
  readonly suggestions: readonly string[];
  readonly crackTime: string;
}

let factory: ZxcvbnFactory | undefined;
function zxcvbn(): ZxcvbnFactory {
  factory ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...en.dictionary },
    graphs: common.adjacencyGraphs,
    translations: en.translations,
  });
  return factory;
}

let words: Set<string> | undefined;
/** Words of the passphrase generator (vault/generator.ts) split by one separator; undefined unless 5+ distinct list words. */
function passphraseWords(password: string): number | undefined {
  words ??= new Set(wordlist);
  const parts = password.trim().split(/[\s\-_.,+:;/]+/);
  if (parts.length < MIN_PASSPHRASE_WORDS || new Set(parts).size !== parts.length) return undefined;
  return parts.every((w) => words!.has(w.toLowerCase())) ? parts.length : undefined;
}

export function checkPassword(password: string, userInputs: readonly string[] = []): PasswordStrength {
  const length = [...password.normalize("NFKC")].length;
  const r = zxcvbn().check(password.slice(0, MAX_CHECKED_LENGTH), [...userInputs, "cryptex"]);
  const score = r.score as PasswordStrength["score"];
  const n = passphraseWords(password);
  const passphrase = n !== undefined;
  const guesses = Math.max(r.guesses, passphrase ? 2048 ** n : 0);
  const strong = length >= MIN_PASSWORD_LENGTH && score >= MIN_PASSWORD_SCORE && r.guesses >= MIN_GUESSES;
  const suggestions = [...r.feedback.suggestions];
  if (!strong && !passphrase) {
    if (length < MIN_PASSWORD_LENGTH) suggestions.unshift(`Use at least ${MIN_PASSWORD_LENGTH} characters.`);
    if (suggestions.length === 0) suggestions.push("Add a few uncommon words, or use a generated passphrase of 5 or more words.");
  }
  return {
    score,
    length,
    guesses,
    passphrase,
    acceptable: strong || passphrase,
    warning: r.feedback.warning ?? "",
    suggestions,
    crackTime: r.crackTimes.offlineSlowHashingXPerSecond.display,
  };
}

/** Throws `weak_password` with the reason and a suggestion. */
export function assertStrongPassword(password: string, userInputs: readonly string[] = []): PasswordStrength {
  const s = checkPassword(password, userInputs);
  if (!s.acceptable) {
    const reason =
      s.length < MIN_PASSWORD_LENGTH
        ? `The password is too short (${s.length} characters, at least ${MIN_PASSWORD_LENGTH}).`
        : `The password is too easy to guess${s.warning ? `: ${s.warning}` : "."}`;
    throw new CryptexError("weak_password", `${reason} ${s.suggestions[0] ?? ""}`.trim(), {
      score: s.score,
      suggestions: s.suggestions,
    });
  }
  return s;
}
