import assert from "node:assert/strict";
import { test } from "node:test";
import { assertStrongPassword, checkPassword } from "./password-strength.ts";

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
  assert.match(s.suggestions[0]!, /at least 10/);
});

test("strong passwords pass", () => {
  for (const pw of ["correct horse battery staple orbit", "vG7#kq2!Lm9@wz", "tangerine-Quartz-velvet-42-moor"]) {
    assert.ok(assertStrongPassword(pw).score >= 3, pw);
  }
});

test("the e-mail address counts as a guessable input", () => {
  assert.equal(checkPassword("jonathan.smithers@example.com", ["jonathan.smithers@example.com"]).acceptable, false);
});
