// The health report of an open vault in the page (long-lived state): computed on demand from the decrypted
// items with the encrypted cache kept in IndexedDB; the breach check is opt-in and asks the endpoint with
// fetch (the server's CSP allows its BREACH_ENDPOINT origin).

import type { ItemId } from "@cryptex/core";
import { HealthCache } from "@cryptex/core/vault/health/health-cache.ts";
import type { LocalKeys } from "@cryptex/core/vault/health/health-keys.ts";
import { type HealthReport, healthReport } from "@cryptex/core/vault/health/health-report.ts";
import { DEFAULT_PWNED_ENDPOINT, parseEndpoint } from "@cryptex/core/vault/health/pwned-passwords.ts";
import type { Item } from "@cryptex/core/vault/item.ts";
import { readBlob, writeBlob } from "./local-blobs.ts";
import type { VaultSession } from "./vault-session.ts";

const BREACH_ON = "cryptex.breachCheck";
const BREACH_ENDPOINT = "cryptex.breachEndpoint";

export interface BreachSettings {
  readonly enabled: boolean;
  readonly endpoint: string;
}

export function breachSettings(): BreachSettings {
  return { enabled: localStorage.getItem(BREACH_ON) === "1", endpoint: localStorage.getItem(BREACH_ENDPOINT) || DEFAULT_PWNED_ENDPOINT };
}

/** Saves the settings; returns an error text for an endpoint that is not an https URL. */
export function saveBreachSettings(s: BreachSettings): string | undefined {
  const endpoint = parseEndpoint(s.endpoint);
  if (!endpoint) return "The breach endpoint must be an https:// address.";
  localStorage.setItem(BREACH_ON, s.enabled ? "1" : "0");
  localStorage.setItem(BREACH_ENDPOINT, endpoint);
  return undefined;
}

export class HealthState {
  report: HealthReport | undefined;
  running: Promise<HealthReport> | undefined;
  private keys: Promise<LocalKeys>;
  private readonly session: VaultSession;
  private static readonly all = new WeakMap<VaultSession, HealthState>();

  private constructor(session: VaultSession) {
    this.session = session;
    this.keys = Promise.resolve(session.unlocked.local);
  }

  static of(session: VaultSession): HealthState {
    let s = HealthState.all.get(session);
    if (!s) {
      s = new HealthState(session);
      HealthState.all.set(session, s);
    }
    return s;
  }

  /** Ids of items with a weak password, from the last report (for is:weak). */
  get weakIds(): ReadonlySet<ItemId> | undefined {
    return this.report && new Set(this.report.weak.map((x) => x.id));
  }

  run(withBreaches: boolean): Promise<HealthReport> {
    this.running ??= this.compute(withBreaches).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async compute(withBreaches: boolean): Promise<HealthReport> {
    const keys = await this.keys;
    const cacheKey = `health:${keys.accountId}`;
    let cache = new HealthCache();
    const stored = await readBlob(cacheKey).catch(() => undefined);
    if (stored) cache = await HealthCache.open(keys, stored).catch(() => new HealthCache());
    const items: Item[] = [];
    for (const e of this.session.entries.values()) if (!e.trashed) items.push(await this.session.readItem(e.id));
    const s = breachSettings();
    const breaches = withBreaches
      ? {
          fetch: (url: string, init: RequestInit) => globalThis.fetch(url, { ...init, referrerPolicy: "no-referrer", credentials: "omit" }),
          endpoint: s.endpoint,
        }
      : undefined;
    const report = await healthReport(items, { keys, cache, ...(breaches ? { breaches } : {}) });
    await writeBlob(cacheKey, await cache.seal(keys)).catch(() => undefined);
    this.report = report;
    return report;
  }
}
