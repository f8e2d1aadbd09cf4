// `cryptex unlock [--raw]`: Argon2id once, then a session token that lets later commands skip it.
import { CliError } from "../errors/cli-error.ts";
import type { CommandRun } from "../program/spec.ts";
import { createSession, DEFAULT_SESSION_MINUTES } from "../vault/session.ts";
import { unlockVault } from "../vault/unlock.ts";

export const run: CommandRun = async (ctx, args) => {
  const minutes = args.values.minutes === undefined ? DEFAULT_SESSION_MINUTES : Number(args.values.minutes);
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > 7 * 24 * 60) throw new CliError("usage", "--minutes must be 1..10080");
  const v = await unlockVault(ctx, { needPassword: true });
  try {
    const token = await createSession(v.store, v.accountId, v.accountKey, minutes);
    if (args.values.raw) ctx.write(token);
    else if (ctx.json) ctx.out(JSON.stringify({ session: token, expiresInMinutes: minutes }));
    else {
      ctx.out(`Unlocked for ${minutes} minutes. To use the session in this shell:\n  export CRYPTEX_SESSION="${token}"`);
      ctx.err("Anyone who can read this token and the vault file can read the vault until `cryptex lock`.");
    }
  } finally {
    await v.store.close();
  }
};
