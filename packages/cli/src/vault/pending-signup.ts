// A sign-up waiting for its mailed code, kept in the home between two runs (`cryptex signup`, then
// `cryptex signup --code CODE`): the EAK (encrypted under the password) and the server's pending id, 0600.
import { existsSync, mkdirSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import type { SavedSignUp } from "@cryptex/core/client/account.ts";
import { b64uDecode, b64uEncode } from "@cryptex/core/encoding/base64.ts";
import { CliError } from "../errors/cli-error.ts";
import { readBounded, writePrivateAtomic } from "../io/files.ts";
import type { Context } from "../program/context.ts";

export interface PendingFile extends SavedSignUp {
  readonly server: string;
}

const pathOf = (ctx: Context) => join(ctx.home, "signup-pending.json");

export function savePendingSignUp(ctx: Context, p: PendingFile): string {
  mkdirSync(ctx.home, { recursive: true, mode: 0o700 });
  const json = JSON.stringify({ ...p, eak: b64uEncode(p.eak) });
  writePrivateAtomic(pathOf(ctx), new TextEncoder().encode(json));
  return pathOf(ctx);
}

export function readPendingSignUp(ctx: Context, now: number): PendingFile {
  const path = pathOf(ctx);
  if (!existsSync(path))
    throw new CliError("usage", `no sign-up is waiting for a code in ${ctx.home}; run cryptex signup --server URL --email E first`);
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(new TextDecoder().decode(readBounded(path, 64 * 1024, "pending sign-up"))) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError("file", `${path} is damaged: remove it and sign up again`);
  }
  const eak = typeof v.eak === "string" ? b64uDecode(v.eak) : undefined;
  const str = (k: string) => (typeof v[k] === "string" ? (v[k] as string) : "");
  if (!eak || !str("server") || !str("email") || !str("accountId") || !str("pendingId") || typeof v.expiresAt !== "number")
    throw new CliError("file", `${path} is damaged: remove it and sign up again`);
  if (v.expiresAt <= now) {
    clearPendingSignUp(ctx);
    throw new CliError("usage", "the sign-up waited more than 24 hours and expired; run cryptex signup again for a new code");
  }
  return {
    server: str("server"),
    email: str("email"),
    accountId: str("accountId"),
    pendingId: str("pendingId"),
    expiresAt: v.expiresAt,
    eak,
  };
}

export function clearPendingSignUp(ctx: Context): void {
  try {
    unlinkSync(pathOf(ctx));
  } catch {
    // none
  }
}
