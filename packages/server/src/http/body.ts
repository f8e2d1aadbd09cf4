// Request bodies: JSON only, size-bounded while streaming, validated against a strict wire shape.
// Any bad body is a typed 4xx before a handler sees it, so nothing is stored on a rejected request.
import type { IncomingMessage } from "node:http";
import { parse, type Shape } from "@cryptex/core/schema/shape.ts";
import { LIMITS } from "@cryptex/core/wire/api.ts";
import { ApiError } from "../errors.ts";

/** Routes anyone can call before signing in read at most this much: a stranger cannot make us buffer megabytes. */
export const UNAUTHENTICATED_BODY = 16 * 1024;

const utf8 = new TextDecoder("utf-8", { fatal: true });

async function readText(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limit) {
    // A moderately oversized body is drained so the client can read the 413 instead of a reset; a huge one
    // closes the connection rather than reading it.
    req.resume();
    throw new ApiError("too_large", `request body is larger than ${limit} bytes`, declared <= 2 * limit ? {} : { connection: "close" });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new ApiError("too_large", `request body is larger than ${limit} bytes`, { connection: "close" });
    chunks.push(chunk);
  }
  try {
    return utf8.decode(Buffer.concat(chunks));
  } catch {
    throw new ApiError("invalid_json", "request body is not valid UTF-8");
  }
}

function isJson(req: IncomingMessage): boolean {
  const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  return type === "application/json";
}

export async function readJson<T>(req: IncomingMessage, shape: Shape<T>, limit = LIMITS.body): Promise<T> {
  if (!isJson(req)) {
    req.resume();
    throw new ApiError("unsupported_media_type", "send the body as application/json");
  }
  const text = await readText(req, limit);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ApiError("invalid_json", "request body is not valid JSON");
  }
  try {
    return parse(shape, value);
  } catch (e) {
    throw new ApiError("bad_request", e instanceof Error ? e.message.slice(0, 300) : "invalid request");
  }
}

/** For calls without a body: accepts nothing, or `{}`. */
export async function readNoBody(req: IncomingMessage): Promise<void> {
  const text = (await readText(req, 1024)).trim();
  if (text === "") return;
  if (!isJson(req)) throw new ApiError("unsupported_media_type", "send the body as application/json");
  if (text !== "{}") throw new ApiError("bad_request", "this call takes no body");
}
