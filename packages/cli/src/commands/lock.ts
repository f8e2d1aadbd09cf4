// `cryptex lock`: deletes every session of this vault, so every CRYPTEX_SESSION token stops working.
import type { CommandRun } from "../program/spec.ts";
import { openExistingStore } from "../vault/home.ts";

export const run: CommandRun = async (ctx) => {
  const store = openExistingStore(ctx);
  try {
    const n = store.deleteSessions();
    ctx.out(ctx.json ? JSON.stringify({ locked: true, sessionsEnded: n }) : `Locked (${n} session${n === 1 ? "" : "s"} ended).`);
  } finally {
    await store.close();
  }
};
