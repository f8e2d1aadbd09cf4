// The health report of an open vault (long-lived state): computed on demand in the account worker (core's
// OpenVault.health: the decrypted items and the keyed, encrypted cache stay there); the page keeps the report.
// The breach check is opt-in and asks the endpoint with fetch from the worker (the server's CSP allows its
// BREACH_ENDPOINT origin).

import type { ItemId } from "@cryptex/core";
import type { HealthReport } from "@cryptex/core/vault/health/health-report.ts";
import { DEFAULT_PWNED_ENDPOINT, parseEndpoint } from "@cryptex/core/vault/health/pwned-passwords.ts";
import { callVault } from "../account/account-client.ts";
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
  private static readonly all = new WeakMap<VaultSession, HealthState>();

  static of(session: VaultSession): HealthState {
    let s = HealthState.all.get(session);
    if (!s) {
      s = new HealthState();
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
    const report = await callVault("health", withBreaches ? breachSettings().endpoint : undefined);
    this.report = report;
    return report;
  }
}
