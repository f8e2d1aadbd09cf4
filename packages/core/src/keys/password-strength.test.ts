import assert from "node:assert/strict";
import { test } from "node:test";
import { generatePassphrase } from "../vault/generator.ts";
import { formatDuration, GPU_FARM_PCS, guessTime, PC_PARALLEL_GUESSES } from "./guess-time.ts";
import { assertStrongPassword, checkPassword, MIN_GUESSES } from "./password-strength.ts";

test("weak passwords are refused with a reason and a suggestion", () => {
  for (const pw of ["password", "password123", "qwertyuiop", "Summer2024!", "short1!A"]) {
    assert.throws(
      () => assertStrongPassword(pw),
      (e: { code: string; message: string }) => e.code === "weak_password" && e.message.length > 20,
      pw,
    );
  }
  const s = checkPassword("abc");
  assert.equal(s.acceptable, false);
  assert.match(s.suggestions[0]!, /at least 12/);
});

test("the floor: about 10^8 guesses (zxcvbn score 3) is refused, and so are fewer than 12 characters", () => {
  // rated at about 10^8 guesses: a few thousand core-hours of Argon2id against a mailed EAK
  for (const pw of ["Summer2024!x", "letmein-please", "alice2024!!"]) {
    const s = checkPassword(pw);
    assert.equal(s.acceptable, false, pw);
    assert.ok(s.guesses < MIN_GUESSES, pw);
  }
  assert.equal(checkPassword("vG7#kq2!Lm9").acceptable, false, "11 random characters: too short");
  assert.equal(checkPassword("vG7#kq2!Lm9@").acceptable, true, "12 random characters");
});

test("strong passwords pass", () => {
  for (const pw of ["correct horse battery staple orbit", "vG7#kq2!Lm9@wz", "tangerine-Quartz-velvet-42-moor"]) {
    const s = assertStrongPassword(pw);
    assert.ok(s.score === 4 && s.guesses >= MIN_GUESSES, pw);
  }
});

test("a generated passphrase of 5+ distinct list words passes; repeats or other words do not count as one", () => {
  for (let i = 0; i < 20; i++) {
    const p = generatePassphrase({ words: 5 });
    if (new Set(p.split("-")).size < 5) continue; // a repeated word: not counted as a generated phrase
    const s = checkPassword(p);
    assert.ok(s.acceptable && s.passphrase && s.guesses >= 2048 ** 5, p);
  }
  assert.equal(checkPassword("abandon abandon abandon abandon abandon").passphrase, false);
  assert.equal(checkPassword("abandon ability able about").passphrase, false, "four words");
  assert.equal(checkPassword("abandon ability able about xqzw").passphrase, false, "a word not on the list");
});

test("the e-mail address counts as a guessable input", () => {
  assert.equal(checkPassword("jonathan.smithers@example.com", ["jonathan.smithers@example.com"]).acceptable, false);
});

test("time to guess: one PC and a GPU farm at the measured cost, rounded down", () => {
  const t = guessTime(1e10, 0.5);
  assert.equal(t.onePc, (1e10 * 0.5) / PC_PARALLEL_GUESSES);
  assert.equal(t.gpuFarm, t.onePc / GPU_FARM_PCS);
  assert.equal(formatDuration(t.onePc), "9 years");
  assert.equal(formatDuration(t.gpuFarm), "1 hour");
  assert.equal(formatDuration(0.2), "less than a second");
  assert.equal(formatDuration(3 * 86400 + 5), "3 days");
  assert.equal(formatDuration(2.5e3 * 365.25 * 86400), "2 thousand years");
  assert.equal(formatDuration(Number.POSITIVE_INFINITY), "more than a billion years");
});
