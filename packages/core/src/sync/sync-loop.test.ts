import assert from "node:assert/strict";
import { test } from "node:test";
import { ApiError } from "../client/api-client.ts";
import { CryptexError } from "../errors.ts";
import { classifySyncError } from "./sync-loop.ts";

test("a sync error becomes a status and a stable code", () => {
  const table: [unknown, string, string][] = [
    [new ApiError(0, "network", "down"), "offline", "network"],
    [new ApiError(401, "unauthorized", "no"), "signed-out", "signed_out"],
    [new ApiError(401, "key_rotated", "new key"), "signed-out", "key_rotated"],
    [new ApiError(410, "account_reset", "gone"), "error", "account_erased"],
    [new CryptexError("account_reset", "reset"), "error", "account_reset"],
    [new CryptexError("rollback", "older"), "error", "rollback"],
    [new CryptexError("foreign_key", "other"), "error", "foreign_key"],
    [new CryptexError("rotation_pending", "finish"), "error", "rotation_pending"],
    [new CryptexError("tampered", "bad"), "error", "integrity"],
    [new ApiError(500, "internal", "boom"), "error", "failed"],
    [new Error("x".repeat(500)), "error", "failed"],
    ["a string", "error", "failed"],
  ];
  for (const [e, status, code] of table) {
    const r = classifySyncError(e);
    assert.deepEqual([r.status, r.code], [status, code], String(e));
  }
  assert.equal(classifySyncError(new Error("x".repeat(500))).detail?.length, 200, "a message is bounded");
});
