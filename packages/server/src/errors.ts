// The server's typed error: a stable API code (wire/api.ts ERROR_CODES) and a message safe to show.
// http/respond.ts turns it into a status and a JSON body in one place.
import type { ApiErrorCode } from "@cryptex/core/wire/api.ts";

export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly headers: Readonly<Record<string, string>>;
  constructor(code: ApiErrorCode, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.headers = headers;
  }
}
