// The import report: what came in, per type; every value kept somewhere other than its own slot; every
// loss; every record skipped or sent to the trash; duplicates. Plain data, rendered by the apps.
import type { ImportNote, SkippedRecord } from "./imported-item.ts";

export interface DuplicateNote {
  readonly item: string;
  /** "file": the same title, username and URLs appear earlier in the file; "vault": already in the vault */
  readonly of: "file" | "vault";
  readonly skipped: boolean;
}

export interface ImportReport {
  readonly format: string;
  readonly formatLabel: string;
  /** items read from the file */
  readonly found: number;
  /** items that will be (or were) saved */
  readonly imported: number;
  readonly byType: Readonly<Record<string, number>>;
  /** imported straight into the trash (deleted or trashed in the source) */
  readonly trashed: number;
  readonly folders: readonly string[];
  readonly notes: readonly ImportNote[];
  readonly skipped: readonly SkippedRecord[];
  readonly duplicates: readonly DuplicateNote[];
}

/** A readable summary (the CLI prints it; the web app offers it as a download). */
export function reportText(r: ImportReport, dryRun = false): string {
  const lines: string[] = [];
  lines.push(`${dryRun ? "Would import" : "Imported"} ${r.imported} of ${r.found} items from ${r.formatLabel}.`);
  const types = Object.entries(r.byType).sort((a, b) => b[1] - a[1]);
  if (types.length) lines.push(`  by type: ${types.map(([t, n]) => `${t} ${n}`).join(", ")}`);
  if (r.trashed) lines.push(`  ${r.trashed} went into the trash (deleted in the source)`);
  if (r.folders.length) lines.push(`  folders: ${r.folders.join(", ")}`);
  const kept = r.notes.filter((n) => n.kept !== "lost");
  const lost = r.notes.filter((n) => n.kept === "lost");
  if (kept.length) {
    lines.push(`Kept without a slot of their own (${kept.length}):`);
    for (const n of kept) lines.push(`  ${n.item}: ${n.what} -> ${KEPT[n.kept]}`);
  }
  if (lost.length) {
    lines.push(`NOT imported (${lost.length}):`);
    for (const n of lost) lines.push(`  ${n.item}: ${n.what}`);
  }
  if (r.skipped.length) {
    lines.push(`Skipped records (${r.skipped.length}):`);
    for (const s of r.skipped) lines.push(`  ${s.item}: ${s.reason}`);
  }
  if (r.duplicates.length) {
    lines.push(`Duplicates (${r.duplicates.length}):`);
    for (const d of r.duplicates) lines.push(`  ${d.item}: already in the ${d.of}${d.skipped ? " (skipped)" : " (imported anyway)"}`);
  }
  return lines.join("\n");
}

const KEPT: Record<ImportNote["kept"], string> = {
  "custom-field": "custom field",
  notes: "notes",
  folder: "folder",
  tag: "tags",
  lost: "not imported",
};
