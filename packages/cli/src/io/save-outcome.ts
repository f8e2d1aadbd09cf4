// Renders what a write did (saved, merged with a newer version, or kept as a conflict copy) as text or JSON.
import type { ItemId } from "@cryptex/core/ids.ts";
import type { SaveResult } from "@cryptex/core/sync/engine.ts";
import type { Context } from "../program/context.ts";

export function printSaveOutcome(
  ctx: Context,
  done: string,
  title: string,
  id: ItemId,
  result: SaveResult,
  json: Record<string, unknown> = { saved: true },
): void {
  const copyId = result.kind === "conflict" ? result.copyId : undefined;
  if (ctx.json) {
    ctx.out(JSON.stringify({ id, ...json, result: result.kind, ...(copyId ? { copyId } : {}) }));
    return;
  }
  const head = `${done} "${title}" (${id})`;
  if (result.kind === "saved") ctx.out(`${head}.`);
  else if (result.kind === "merged") ctx.out(`${head}: merged with a newer version saved meanwhile (they changed different fields).`);
  else
    ctx.out(
      `${head}; a newer version saved meanwhile changed the same field, so it was kept as a conflict copy (${copyId}). ` +
        "Compare the two and delete the one you do not need.",
    );
}
