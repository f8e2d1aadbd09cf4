// Import benchmark (issue 12): a 10,000-item Bitwarden JSON imported — parsed, mapped, every item encrypted
// and the index sealed — against the raw limit of the same work done by hand with JSON.parse and
// node:crypto AES-256-GCM in the same run. Targets: under 5 s, within 3x the raw limit, under 300 MB.
import { createCipheriv, randomBytes as nodeRandom } from "node:crypto";
import { writeBitwardenJson } from "../src/export/bitwarden-json-export.ts";
import { encryptItem } from "../src/formats/item-envelope.ts";
import { titleTag } from "../src/formats/title-tag.ts";
import { toIndexEntry, VaultIndex } from "../src/formats/vault-index.ts";
import { importFile } from "../src/import/import-file.ts";
import { generateAccountKey } from "../src/keys/account-key.ts";
import { deriveAccountKeys } from "../src/keys/derive.ts";
import { newAccountId } from "../src/keys/ids.ts";
import { createItem } from "../src/vault/item.ts";

const N = 10_000;
const f = (x: number, d = 1) => x.toFixed(d);
const met = (ok: boolean) => (ok ? "met" : "NOT met");

const items = Array.from({ length: N }, (_, i) => ({
  ...createItem({
    type: "login",
    title: `Site ${i} — サイト`,
    fields: {
      username: `user${i}@example.com`,
      password: `pw-${i}-Xy9!q `,
      url: `https://site${i}.example/login`,
      totp: i % 10 ? "" : "JBSWY3DPEHPK3PXP",
    },
    notes: i % 3 ? "" : `note for item ${i}\nsecond line`,
    tags: [i % 2 ? "work" : "home"],
    folder: i % 5 ? "" : "Work/Dev",
  }),
  history: [
    { field: "password", value: `old-${i}-a`, changedAt: 1700000000000 },
    { field: "password", value: `old-${i}-b`, changedAt: 1690000000000 },
  ],
}));
const text = writeBitwardenJson(items);
const bytes = new TextEncoder().encode(text);
const keys = await deriveAccountKeys(generateAccountKey(), newAccountId());

let peak = 0;
const sample = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 5);
(globalThis as { gc?: () => void }).gc?.();
const rss0 = process.memoryUsage().rss;

async function ours(): Promise<number> {
  const t0 = performance.now();
  const { items: imported } = await importFile(bytes);
  // as Vault.saveNew does it: in slices of 256
  for (let k = 0; k < imported.length; k += 256) await Promise.all(imported.slice(k, k + 256).map((i) => encryptItem(keys, i)));
  const index = VaultIndex.empty();
  for (const i of imported) index.entries.set(i.id, toIndexEntry(i));
  await index.snapshot(keys);
  await Promise.all(imported.map((i) => titleTag(keys, i.title)));
  return performance.now() - t0;
}

function raw(): number {
  const key = nodeRandom(32);
  const t0 = performance.now();
  const parsed = JSON.parse(new TextDecoder().decode(bytes)) as { items: unknown[] };
  for (const it of parsed.items) {
    const c = createCipheriv("aes-256-gcm", key, nodeRandom(12));
    c.update(JSON.stringify(it));
    c.final();
    c.getAuthTag();
  }
  return performance.now() - t0;
}

const runs: number[] = [];
const raws: number[] = [];
for (let r = 0; r < 5; r++) {
  runs.push(await ours());
  raws.push(raw());
}
clearInterval(sample);
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[2]!;
const t = med(runs);
const base = med(raws);
const mb = (peak - rss0) / 1048576;
console.log(`import of a ${N.toLocaleString()}-item Bitwarden JSON (${f(bytes.length / 1048576)} MB): parse, map, encrypt, index`);
console.log(`  ours:      ${f(t)} ms (median of 5)          target < 5000 ms: ${met(t < 5000)}`);
console.log(
  `  raw limit: JSON.parse + node:crypto AES-256-GCM per item: ${f(base)} ms  -> ${f(t / base, 2)}x  target <= 3x: ${met(t / base <= 3)}`,
);
console.log(`  memory:    peak RSS ${f(mb)} MB above the start  target < 300 MB: ${met(mb < 300)}`);
