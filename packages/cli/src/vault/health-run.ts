// The CLI's side of the health report: decrypt every live item, run core's report with the cache from disk,
// and save the cache back.

import { deriveLocalKeys } from "@cryptex/core/vault/health/health-keys.ts";
import { type HealthReport, healthReport } from "@cryptex/core/vault/health/health-report.ts";
import type { RangeFetch } from "@cryptex/core/vault/health/pwned-passwords.ts";
import type { Item } from "@cryptex/core/vault/item.ts";
import { loadHealthCache, saveHealthCache } from "./local-caches.ts";
import { readEntries, readItem } from "./read-index.ts";
import type { UnlockedVault } from "./unlock.ts";

export async function runHealth(home: string, v: UnlockedVault, breaches?: { fetch: RangeFetch; endpoint: string }): Promise<HealthReport> {
  const keys = await deriveLocalKeys(v.accountKey, v.accountId);
  const items: Item[] = [];
  for (const e of await readEntries(v)) if (!e.trashed) items.push(await readItem(v, e.id));
  const cache = await loadHealthCache(home, keys);
  const report = await healthReport(items, { keys, cache, ...(breaches ? { breaches } : {}) });
  await saveHealthCache(home, keys, cache);
  return report;
}
