// Hooks for benchmarks and end-to-end tests: only in the test build (dist-test/), and there only with ?testhooks.
// They drive the real code paths (core encryption in the account worker, the IndexedDB store); they expose no
// key material: seeding runs in the worker (vault/test-seed.ts), where the keys are.
import { callVault } from "../account/account-client.ts";
import type { VaultSession } from "./vault-session.ts";

export function exposeTestHooks(session: VaultSession): void {
  if (!new URLSearchParams(location.search).has("testhooks")) return;
  (globalThis as unknown as { cryptexTest: unknown }).cryptexTest = {
    /** Adds `n` local login items (never pushed: revision 0, not pending) and a fresh index snapshot, in one write. */
    seed: (n: number): Promise<void> => callVault("testSeed", n),
    count: () => session.entries.size,
    /** This browser's raw limits for the same amount of index data: one AES-GCM decrypt and one JSON.parse. */
    async rawLimits(): Promise<{ bytes: number; decryptMs: number; parseMs: number }> {
      const json = JSON.stringify(
        [...session.entries.values()].map((e) => [e.id, e.type, e.title, e.subtitle, e.urls, e.tags, 0, e.updatedAt, e.rev]),
      );
      const plain = new TextEncoder().encode(json);
      const key = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, plain);
      let decryptMs = Number.POSITIVE_INFINITY;
      let parseMs = Number.POSITIVE_INFINITY;
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        const out = await crypto.subtle.decrypt({ name: "AES-GCM", iv }, key, sealed);
        const t1 = performance.now();
        JSON.parse(new TextDecoder().decode(out));
        const t2 = performance.now();
        decryptMs = Math.min(decryptMs, t1 - t0);
        parseMs = Math.min(parseMs, t2 - t1);
      }
      return { bytes: plain.length, decryptMs, parseMs };
    },
    syncState: () => session.syncState,
  };
}
