// Hooks for benchmarks and end-to-end tests: only in the test build (dist-test/), and there only with ?testhooks.
// They drive the real code paths (core encryption in the account worker, the IndexedDB store); they expose no
// key material: seeding runs in the worker (vault/test-seed.ts), where the keys are.
import { callVault, kdfBackendInWorker } from "../account/account-client.ts";
import type { Argon2Input } from "../account/argon2/argon2-lanes.ts";
import type { VaultSession } from "./vault-session.ts";

interface LaneHookInput {
  password: string;
  salt: string;
  secret?: string;
  ad?: string;
  params: { m: number; t: number; p: number };
  length: number;
  workers?: number;
}
const laneBackends = new Map<number, (input: Argon2Input) => Promise<Uint8Array>>();

export function exposeTestHooks(session: VaultSession): void {
  if (!new URLSearchParams(location.search).has("testhooks")) return;
  (globalThis as unknown as { cryptexTest: unknown }).cryptexTest = {
    /** Adds `n` local login items (never pushed: revision 0, not pending) and a fresh index snapshot, in one write. */
    seed: (n: number): Promise<void> => callVault("testSeed", n),
    count: () => session.entries.size,
    /** which Argon2id the account worker runs: "lanes" (parallel, cross-origin isolated) or "single" */
    kdfBackend: () => kdfBackendInWorker(),
    /** Argon2id on the lane workers from this page (hex in and out; RFC 9106's optional inputs included), with
     * the milliseconds it took; at most `workers` workers (default: one per core); undefined when the page is
     * not cross-origin isolated. */
    async laneArgon2id(input: LaneHookInput): Promise<{ tag: string; ms: number } | undefined> {
      const { canRunLanes, createLaneBackend, spawnLaneWorker } = await import("../account/argon2/lane-backend.ts");
      if (!canRunLanes()) return undefined;
      const workers = input.workers ?? Math.max(1, navigator.hardwareConcurrency || 1);
      const laneArgon2 = laneBackends.get(workers) ?? createLaneBackend(spawnLaneWorker, workers);
      laneBackends.set(workers, laneArgon2);
      const bytes = (h: string) => Uint8Array.from(h.match(/../g) ?? [], (x) => Number.parseInt(x, 16));
      const t0 = performance.now();
      const tag = await laneArgon2({
        password: bytes(input.password),
        salt: bytes(input.salt),
        params: input.params,
        length: input.length,
        ...(input.secret ? { secret: bytes(input.secret) } : {}),
        ...(input.ad ? { ad: bytes(input.ad) } : {}),
      });
      return { tag: Array.from(tag, (b) => b.toString(16).padStart(2, "0")).join(""), ms: performance.now() - t0 };
    },
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
