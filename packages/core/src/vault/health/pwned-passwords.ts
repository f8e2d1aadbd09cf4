// Breach check with the Pwned Passwords range API (k-anonymity): only the first 5 hex characters of a
// password's SHA-1 leave the device; the answer lists every known suffix under that prefix with its count,
// padded with random suffixes of count 0 (`Add-Padding: true`) so its size does not tell which prefix was asked.
// https://haveibeenpwned.com/API/v3#PwnedPasswords
import { sha1 } from "../../crypto/sha1.ts";
import { toHex, utf8 } from "../../encoding/bytes.ts";

export const DEFAULT_PWNED_ENDPOINT = "https://api.pwnedpasswords.com";

/** The HTTP GET the app gives (node:https in the CLI, fetch in a page). */
export type RangeFetch = (url: string, init: RequestInit) => Promise<Response>;

export type RangeResult =
  | { readonly ok: true; readonly counts: ReadonlyMap<string, number> }
  | { readonly ok: false; readonly message: string };

const MAX_BODY = 4 * 1024 * 1024; // real answers are ~40 KB; a hostile endpoint must not flood the device
const MAX_LINES = 100_000;
const LINE = /^([0-9A-F]{35}):(\d{1,12})$/;

/** The password's SHA-1 as the API spells it: 40 upper-case hex digits (prefix = first 5). */
export const pwnedHash = (password: string): string => toHex(sha1(utf8(password))).toUpperCase();

/** Checks an endpoint given by a user or config: https only, no query, fragment or credentials. */
export function parseEndpoint(text: string): string | undefined {
  let u: URL;
  try {
    u = new URL(text.trim());
  } catch {
    return undefined;
  }
  if (u.protocol !== "https:") return undefined;
  if (u.search || u.hash || u.username || u.password) return undefined;
  return `${u.origin}${u.pathname.replace(/\/+$/, "")}`;
}

/** Parses a range answer: `SUFFIX:COUNT` lines (CRLF or LF); padding lines (count 0) are dropped. */
export function parseRangeBody(body: string): RangeResult {
  const counts = new Map<string, number>();
  const lines = body.split(/\r?\n/);
  if (lines.length > MAX_LINES) return { ok: false, message: "the breach endpoint sent too many lines" };
  for (const raw of lines) {
    const line = raw.trim();
    if (line === "") continue;
    const m = LINE.exec(line);
    if (!m) return { ok: false, message: "the breach endpoint sent an answer that is not a Pwned Passwords range" };
    const n = Number(m[2]);
    if (n > 0) counts.set(m[1]!, n);
  }
  return { ok: true, counts };
}

async function readBounded(res: Response): Promise<string | undefined> {
  if (!res.body) return "";
  const reader = res.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > MAX_BODY) {
      await reader.cancel();
      return undefined;
    }
    parts.push(value);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return new TextDecoder().decode(all);
}

/** Asks one prefix (5 upper-case hex digits). */
export async function fetchRange(fetch: RangeFetch, endpoint: string, prefix: string, signal?: AbortSignal): Promise<RangeResult> {
  if (!/^[0-9A-F]{5}$/.test(prefix)) throw new RangeError("prefix must be 5 upper-case hex digits");
  let res: Response;
  try {
    res = await fetch(`${endpoint}/range/${prefix}`, {
      method: "GET",
      headers: { "Add-Padding": "true", Accept: "text/plain" },
      ...(signal ? { signal } : {}),
    });
  } catch (e) {
    return {
      ok: false,
      message: `the breach endpoint ${endpoint} could not be reached${e instanceof Error ? ` (${e.message.slice(0, 120)})` : ""}`,
    };
  }
  if (res.status !== 200) {
    await res.body?.cancel();
    return { ok: false, message: `the breach endpoint ${endpoint} answered HTTP ${res.status}` };
  }
  const body = await readBounded(res);
  if (body === undefined) return { ok: false, message: "the breach endpoint sent an answer over 4 MB" };
  return parseRangeBody(body);
}
