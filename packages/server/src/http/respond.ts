// Answers: JSON bodies, and the one place where error codes become HTTP statuses and `{code, message}`.
import type { ServerResponse } from "node:http";
import type { ApiErrorCode } from "@cryptex/core/wire/api.ts";
import { ApiError } from "../errors.ts";

export const STATUS: Readonly<Record<ApiErrorCode, number>> = {
  bad_request: 400,
  invalid_json: 400,
  too_large: 413,
  unsupported_media_type: 415,
  unauthorized: 401,
  account_reset: 401,
  key_rotated: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  email_taken: 409,
  code_invalid: 400,
  mail_failed: 503,
  challenge_invalid: 403,
  origin_mismatch: 400,
  revision_from_future: 400,
  rotation_incomplete: 409,
  rate_limited: 429,
  quota_exceeded: 413,
  internal: 500,
};

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const text = body === undefined ? "" : JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    ...(text ? { "content-type": "application/json; charset=utf-8" } : {}),
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
  });
  res.end(text);
}

/** Maps any thrown value to an answer; faults become a detail-free 500 (the cause is logged by the caller). */
export function sendError(res: ServerResponse, err: unknown): number {
  if (err instanceof ApiError) {
    const status = STATUS[err.code];
    sendJson(res, status, { code: err.code, message: err.message }, err.headers);
    return status;
  }
  sendJson(res, 500, { code: "internal", message: "internal server error" });
  return 500;
}
