// Account Password check (DESIGN.md §2): refuse a zxcvbn score below 3 or fewer than 10 characters.
// Heavy (dictionaries): import it only where a password is chosen, never on the unlock path.
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import * as en from "@zxcvbn-ts/language-en";
import { CryptexError } from "../errors.ts";

export const MIN_PASSWORD_LENGTH = 10;
export const MIN_PASSWORD_SCORE = 3;
const MAX_CHECKED_LENGTH = 256; // zxcvbn is super-linear; longer inputs are strong by length alone

export interface PasswordStrength {
  readonly score: 0 | 1 | 2 | 3 | 4;
  readonly length: number;
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

export function checkPassword(password: string, userInputs: readonly string[] = []): PasswordStrength {
  const length = [...password.normalize("NFKC")].length;
  const r = zxcvbn().check(password.slice(0, MAX_CHECKED_LENGTH), [...userInputs, "cryptex"]);
  const score = r.score as PasswordStrength["score"];
  const suggestions = [...r.feedback.suggestions];
  if (length < MIN_PASSWORD_LENGTH) suggestions.unshift(`Use at least ${MIN_PASSWORD_LENGTH} characters.`);
  if (suggestions.length === 0 && score < MIN_PASSWORD_SCORE) suggestions.push("Add a few uncommon words.");
  return {
    score,
    length,
    acceptable: length >= MIN_PASSWORD_LENGTH && score >= MIN_PASSWORD_SCORE,
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
