// The extension's worker plus measuring hooks, built only into the bench's copy of the extension (never into
// dist/): seeds the worker's IndexedDB through core's encryption, and times lookups and raw limits in place.
import { encryptItem, type ItemId, toIndexEntry, VaultIndex } from "@cryptex/core";
import type { StoredItem } from "@cryptex/core/sync/ports.ts";
import { createItem } from "@cryptex/core/vault/item.ts";
import "../src/background/main.ts";
import { OriginMap } from "../src/background/origin-map.ts";
import { currentVault, store } from "../src/background/worker-state.ts";

const WORDS = [
  "alpha",
  "bank",
  "cloud",
  "delta",
  "email",
  "forum",
  "git",
  "home",
  "iris",
  "jazz",
  "kilo",
  "lima",
  "mail",
  "nova",
  "shop",
  "work",
];

(globalThis as unknown as { cryptexBench: unknown }).cryptexBench = {
  /** Adds n local logins (every 1,000th saved for `hereUrl`) and a fresh index snapshot, in batches. */
  async seed(n: number, hereUrl: string): Promise<number> {
    const v = await currentVault();
    if (!v) throw new Error("unlock first");
    const keys = v.vault.keys;
    const index = VaultIndex.empty();
    for (const e of v.entries.values()) index.entries.set(e.id as ItemId, e);
    const s = await store();
    let puts: StoredItem[] = [];
    const start = index.entries.size;
    for (let i = start; i < start + n; i++) {
      const w = `${WORDS[i % 16]} ${WORDS[(i * 7) % 16]}`;
      const url = i % 1000 === 0 ? hereUrl : `https://${WORDS[i % 16]}${i}.example.test/login`;
      const item = createItem({
        type: "login",
        title: `${w} ${i}`,
        fields: { username: `user${i}@example.test`, password: `pw-${i}`, url },
      });
      puts.push({ id: item.id, data: await encryptItem(keys, item), deleted: false, revision: 0, pending: false, seenRev: item.rev });
      index.entries.set(item.id, toIndexEntry(item));
      if (puts.length === 5000) {
        await s.write({ putItems: puts });
        puts = [];
      }
    }
    // seeded items exist on this device only; without a session token sync stops at once instead of
    // reconciling 100,000 unknown items with the server in the middle of the measurements
    const meta = await s.readMeta();
    await s.write({
      putItems: puts,
      index: { replace: await index.snapshot(keys) },
      ...(meta ? { meta: { ...meta, sessionToken: undefined } } : {}),
    });
    return index.entries.size;
  },
  /** Time to build the origin map from the open index (done once per wake). */
  async mapBuildMs(): Promise<number> {
    const v = (await currentVault())!;
    const t0 = performance.now();
    new OriginMap(v.entries.values());
    return performance.now() - t0;
  },
  /** Mean time of one origin lookup, and of the raw limit: one Map.get of a string key, both in µs. */
  async lookupMicros(url: string, reps: number): Promise<{ lookup: number; raw: number; found: number }> {
    const v = (await currentVault())!;
    const map = v.origins;
    let found = 0;
    let t0 = performance.now();
    for (let i = 0; i < reps; i++) found = map.lookup(url).exact.length;
    const lookup = ((performance.now() - t0) * 1000) / reps;
    const raw = new Map([...v.entries.keys()].map((k) => [`https://${k}.example.test`, k]));
    const probe = [...raw.keys()][0]!;
    let sink = 0;
    t0 = performance.now();
    for (let i = 0; i < reps; i++) sink += raw.get(probe) ? 1 : 0;
    return { lookup, raw: ((performance.now() - t0) * 1000) / reps + (sink > reps ? 1 : 0), found };
  },
  /** This worker's raw limit for the same index: one AES-GCM decrypt and one JSON.parse of its bytes. */
  async rawIndexMs(): Promise<{ bytes: number; ms: number }> {
    const v = (await currentVault())!;
    const plain = new TextEncoder().encode(JSON.stringify([...v.entries.values()]));
    const key = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, plain);
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      JSON.parse(new TextDecoder().decode(await crypto.subtle.decrypt({ name: "AES-GCM", iv }, key, sealed)));
      best = Math.min(best, performance.now() - t0);
    }
    return { bytes: plain.length, ms: best };
  },
};
