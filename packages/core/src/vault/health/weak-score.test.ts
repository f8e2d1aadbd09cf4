import assert from "node:assert/strict";
import { test } from "node:test";
import { checkPassword } from "../../keys/password-strength.ts";
import { passwordScore } from "./weak-score.ts";

test("the health report's zxcvbn gives the full check's scores on common and l33t passwords", () => {
  const samples = [
    "password1",
    "P@ssw0rd1",
    "$uperm@n123",
    "l3tm31n!",
    "Tr0ub4dor&3",
    "dr@g0nfly99",
    "m0nk3y!2020",
    "w1nt3r@2024",
    "p@$$w0rd!!",
    "4dm1n1str4t0r",
    "Summer2019!",
    "correct-Horse-battery-9-staple",
  ];
  // checkPassword adds "cryptex" as a user input; none of the samples contain it
  assert.deepEqual(
    samples.map(passwordScore),
    samples.map((p) => checkPassword(p).score),
  );
  assert.ok(passwordScore("P@ssw0rd1") < 3);
  assert.equal(passwordScore("x".repeat(10_000)).constructor, Number, "very long input is bounded");
});
