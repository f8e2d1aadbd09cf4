// Opens the sync engine over an unlocked vault, set up as this device saves: its name on the versions it
// records and how many versions an item keeps (docs/cli.md, "Item history").
import type { Vault } from "@cryptex/core/sync/engine.ts";
import type { Context } from "../program/context.ts";
import type { UnlockedVault } from "./unlock.ts";

export async function openVault(ctx: Context, v: UnlockedVault): Promise<Vault> {
  const { Vault } = await import("@cryptex/core/sync/engine.ts");
  const vault = await Vault.open(v.store, v.keys);
  vault.setHistory({ deviceName: ctx.deviceName, ...(ctx.versionsKept !== undefined ? { versionsKept: ctx.versionsKept } : {}) });
  return vault;
}
