// The readable summary of `cryptex health`: the score, then each list with item titles and ids.
import type { HealthReport, ItemRef } from "@cryptex/core/vault/health/health-report.ts";

// Titles and URLs come from the vault (maybe from an import or another device): no terminal control codes.
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters removed
const safe = (s: string) => s.replace(/[\u0000-\u001f\u007f-\u009f]/g, "?");
const line = (r: ItemRef, extra = "") => `  ${r.id.slice(0, 8)}  ${safe(r.title) || "(untitled)"}${extra ? `  ${safe(extra)}` : ""}`;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const times = (n: number) => `seen ${n.toLocaleString("en")} time${n === 1 ? "" : "s"} in breaches`;

function section(title: string, rows: string[], count = rows.length): string[] {
  return rows.length === 0 ? [] : ["", `${title} (${count}):`, ...rows];
}

export function healthText(r: HealthReport): string {
  const out = [`Password health: ${r.score}/100 (${r.passwords} item${r.passwords === 1 ? "" : "s"} with a password)`];
  const bc = r.breachCheck;
  if (bc.status === "off")
    out.push("Breach check: off (cryptex health --breaches asks Have I Been Pwned; only 5 hex characters of each hash leave)");
  else if (bc.status === "done")
    out.push(`Breach check: done (${bc.asked} range request${bc.asked === 1 ? "" : "s"}, ${bc.fromCache} from this device's cache)`);
  else out.push(`Breach check FAILED: ${bc.message}`);
  out.push(
    ...section(
      "Breached",
      r.breached.map((x) => line(x, times(x.count))),
    ),
    ...section(
      "Weak",
      r.weak.map((x) => line(x, `strength ${x.strength}/4`)),
    ),
    ...section(
      "Reused",
      r.reused.flatMap((g, i) => [`  group ${i + 1}: ${g.length} items share one password`, ...g.map((x) => `  ${line(x)}`)]),
      r.reused.length,
    ),
    ...section(
      "Old (not changed for a year)",
      r.old.map((x) => line(x, `since ${day(x.changedAt)}`)),
    ),
    ...section(
      "Insecure http: addresses",
      r.insecureUrls.map((x) => line(x, x.url)),
    ),
    ...section(
      `No one-time code where the site offers one (list of ${r.totpListDate})`,
      r.missingTotp.map((x) => line(x, x.domain)),
    ),
  );
  const findings = r.breached.length + r.weak.length + r.reused.length + r.old.length + r.insecureUrls.length + r.missingTotp.length;
  if (findings === 0) out.push("", "No findings.");
  return out.join("\n");
}
