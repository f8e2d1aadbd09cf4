// Renders an item's saved versions and the changes between two of them as text; secrets masked unless revealed.
import type { ItemHistoryEntry } from "@cryptex/core/vault/item-versions.ts";
import { diffVersions, type VersionChange } from "@cryptex/core/vault/version-diff.ts";
import { oneLine } from "./terminal-text.ts";

const MASK = "••••••••";
const when = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace("T", " ");
/** A value on one line, quoted, control characters escaped (it may come from another device or an import). */
const quote = (s: string) => JSON.stringify(s.length > 200 ? `${s.slice(0, 200)}…` : s);

/** What a version changed from the one before it, as field names ("created" for the first). */
export function changedNames(entries: readonly ItemHistoryEntry[], i: number): string[] {
  if (i === 0) return [];
  return diffVersions(entries[i - 1]!.version, entries[i]!.version).map((c) => c.name);
}

export function versionsText(title: string, entries: readonly ItemHistoryEntry[]): string {
  const lines = entries.map((e, i) => {
    const names = changedNames(entries, i);
    const what = i === 0 ? "oldest version kept" : names.length ? `changed ${names.join(", ")}` : "no change";
    const by = oneLine(e.version.savedBy ?? "unknown device")
      .slice(0, 32)
      .padEnd(32);
    return `${String(e.number).padStart(3)}  ${when(e.version.savedAt)}  ${by}  ${oneLine(what)}${e.current ? "  (current)" : ""}`;
  });
  return [`Versions of "${oneLine(title)}" (oldest first):`, ...lines].join("\n");
}

/** A change with its secret values replaced by a mask unless `reveal`. */
export function shownChange(c: VersionChange, reveal: boolean): VersionChange {
  if (!c.secret || reveal) return c;
  return { ...c, ...(c.before !== undefined ? { before: MASK } : {}), ...(c.after !== undefined ? { after: MASK } : {}) };
}

export function diffText(from: ItemHistoryEntry, to: ItemHistoryEntry, changes: readonly VersionChange[], reveal: boolean): string {
  const head = `Changes from version ${from.number} (${when(from.version.savedAt)}) to version ${to.number} (${when(to.version.savedAt)}):`;
  if (changes.length === 0) return `${head}\n  none`;
  const rows = changes.map((raw) => {
    const c = shownChange(raw, reveal);
    const value =
      c.change === "added"
        ? quote(c.after ?? "")
        : c.change === "removed"
          ? quote(c.before ?? "")
          : `${quote(c.before ?? "")} → ${quote(c.after ?? "")}`;
    const shown = c.secret && !reveal ? value.replaceAll(`"${MASK}"`, MASK) : value;
    return `  ${oneLine(c.name).padEnd(14)} ${c.change.padEnd(8)} ${shown}`;
  });
  const hidden = changes.some((c) => c.secret) && !reveal ? ["(secret values masked: add --reveal to show them)"] : [];
  return [head, ...rows, ...hidden].join("\n");
}
