// Password health and deep search at 10,000 items (issue 16). Each figure is printed with its target and
// "met"/"NOT met", next to a raw limit of this machine measured in the same run.
import { createHmac } from "node:crypto";
import { toIndexEntry } from "../src/formats/vault-index.ts";
import { generateAccountKey } from "../src/keys/account-key.ts";
import { newAccountId } from "../src/keys/ids.ts";
import { DeepIndex } from "../src/vault/deep-search/deep-index.ts";
import { searchEntries } from "../src/vault/deep-search/deep-search.ts";
import { generatePassword } from "../src/vault/generator.ts";
import { HealthCache } from "../src/vault/health/health-cache.ts";
import { deriveLocalKeys } from "../src/vault/health/health-keys.ts";
import { healthReport } from "../src/vault/health/health-report.ts";
import { createItem, type Item } from "../src/vault/item.ts";

const N = Number(process.env.BENCH_HEALTH_ITEMS ?? 10_000);
const f = (x: number, d = 1) => x.toFixed(d);
const verdict = (ok: boolean) => (ok ? "met" : "NOT met");
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const WORDS = "alpha bravo harbor lantern copper meadow orbit quiet river summit velvet willow recovery backup binder".split(" ");
const note = (i: number) => Array.from({ length: 24 }, (_, k) => WORDS[(i * 7 + k * 3) % WORDS.length]).join(" ");

// A vault like a real one: mostly generated passwords, some human ones, some reused.
const items: Item[] = [];
for (let i = 0; i < N; i++) {
  const password = i % 20 === 0 ? `Summer${1990 + (i % 30)}!` : i % 20 === 1 ? "shared-Lantern-42-orbit" : generatePassword({ length: 20 });
  items.push(
    createItem({
      type: i % 10 === 0 ? "secure-note" : "login",
      title: `Site ${i}`,
      fields: { username: `user${i}`, password, url: `${i % 50 === 0 ? "http" : "https"}://site-${i}.example/login` },
      notes: note(i),
      tags: [i % 10 === 0 ? "work" : "home"],
    }),
  );
}
const keys = await deriveLocalKeys(generateAccountKey(), newAccountId());

// ---- 1. deep-search keystroke ----
// as on screen: the list in title order
const entries = items.map(toIndexEntry).sort((a, b) => (a.title < b.title ? -1 : a.title > b.title ? 1 : 0));
const deep = new DeepIndex();
let t0 = performance.now();
const byId = new Map(items.map((x) => [x.id, x]));
await deep.refresh(entries, async (id) => byId.get(id)!);
const build = performance.now() - t0;
const typed = "binder";
const queries = [...typed].map((_, i) => typed.slice(0, i + 1));
const withOps = queries.map((q) => `type:login ${q}`);
const times: number[] = [];
let hits = 0;
const ordered = { titleOrdered: true };
for (const q of queries) searchEntries(entries, q, { deep }, Infinity, ordered); // one warm-up pass (JIT), not counted
for (let rep = 0; rep < 3; rep++)
  for (const q of [...queries, ...withOps]) {
    t0 = performance.now();
    hits = searchEntries(entries, q, { deep }, Infinity, ordered).length;
    times.push(performance.now() - t0);
  }
const texts = entries.map((e) => deep.textOf(e.id)!);
t0 = performance.now();
let rawHits = 0;
for (let rep = 0; rep < 3; rep++) for (const q of queries) for (const t of texts) if (t.includes(q)) rawHits++;
const rawPerKey = (performance.now() - t0) / (3 * queries.length);
const keyMedian = median(times);
const keyMax = Math.max(...times);
const keyP95 = [...times].sort((a, b) => a - b)[Math.floor(times.length * 0.95)]!;
if (process.env.BENCH_DEBUG) console.log(times.map((t) => t.toFixed(1)).join(" "));
console.log(`deep index build, ${N} items (decrypted items given): ${f(build)} ms`);
console.log(
  `deep-search keystroke, ${N} items (notes and custom fields, operators): median ${f(keyMedian, 2)} ms, p95 ${f(keyP95, 2)} ms, worst ${f(keyMax, 2)} ms after a warm-up pass (target p95 < 16 ms: ${verdict(keyP95 < 16)}; ${hits} hits on the last)`,
);
console.log(
  `  raw limit: String.includes over the same ${N} texts: ${f(rawPerKey, 2)} ms  -> keystroke/raw ${f(keyMedian / rawPerKey, 1)}x (${rawHits > 0 ? "ok" : "?"})`,
);

// ---- 2. health report (last: its first run takes minutes) ----
const cache = new HealthCache();
t0 = performance.now();
await healthReport(items, { keys, cache });
const cold = performance.now() - t0;
const sealed = await cache.seal(keys);
const warmRuns: number[] = [];
for (let r = 0; r < 3; r++) {
  t0 = performance.now();
  const reopened = await HealthCache.open(keys, sealed);
  await healthReport(items, { keys, cache: reopened });
  warmRuns.push(performance.now() - t0);
}
const warm = median(warmRuns);
const hmacKey = Buffer.alloc(32, 7);
t0 = performance.now();
for (const it of items) createHmac("sha256", hmacKey).update(it.fields[1]!.value).digest();
const rawHmac = performance.now() - t0;
console.log(`\nhealth report, ${N} items, first run (zxcvbn for every distinct password): ${f(cold / 1000, 2)} s`);
console.log(
  `health report, ${N} items, score cache on this device (open cache + report): ${f(warm)} ms (median of 3; target < 2000 ms: ${verdict(warm < 2000)})`,
);
console.log(`  raw limit: node:crypto HMAC-SHA256 of ${N} passwords: ${f(rawHmac)} ms  -> report/raw ${f(warm / rawHmac, 1)}x`);
