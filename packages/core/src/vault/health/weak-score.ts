// zxcvbn score of a saved password for the health report. Same dictionaries as the Account Password check,
// but at most 2 l33t substitution variants are tried instead of 100: that enumeration is most of zxcvbn's
// time on long random passwords (about 15x here), and common l33t passwords (P@ssw0rd1, Tr0ub4dor&3, …)
// still get the same scores (weak-score.test.ts).
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import * as en from "@zxcvbn-ts/language-en";

const MAX_CHECKED_LENGTH = 128; // zxcvbn is super-linear; longer inputs are strong by length alone

let factory: ZxcvbnFactory | undefined;

/** 0..4 (zxcvbn); below 3 is reported as weak. */
export function passwordScore(password: string): number {
  factory ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...en.dictionary },
    graphs: common.adjacencyGraphs,
    translations: en.translations,
    l33tMaxSubstitutions: 2,
  });
  return factory.check(password.slice(0, MAX_CHECKED_LENGTH)).score;
}
