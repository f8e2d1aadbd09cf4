// Test build only (reached from the worker's testSeed, with ?testhooks): adds `n` local login items (never
// pushed: revision 0, not pending) and a fresh index snapshot in one write, through core's encryption and the
// IndexedDB store. Runs in the account worker, where the keys are.
import { encryptItem } from "@cryptex/core/formats/item-envelope.ts";
import { toIndexEntry, VaultIndex } from "@cryptex/core/formats/vault-index.ts";
import type { Vault } from "@cryptex/core/sync/engine.ts";
import type { StoredItem } from "@cryptex/core/sync/ports.ts";
import { createItem } from "@cryptex/core/vault/item.ts";
import type { IdbStore } from "../store/idb-store.ts";

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

export async function seedItems(vault: Vault, store: IdbStore, n: number): Promise<void> {
  const keys = vault.keys;
  const puts: StoredItem[] = [];
  const index = VaultIndex.empty();
  for (const e of vault.index.entries.values()) index.entries.set(e.id, e);
  for (let i = 0; i < n; i++) {
    const w = `${WORDS[i % WORDS.length]} ${WORDS[(i * 7) % WORDS.length]}`;
    const item = createItem({
      type: "login",
      title: `${w} ${i}`,
      fields: { username: `user${i}@example.test`, password: `pw-${i}-secret`, url: `https://${WORDS[i % 16]}${i}.example.test/login` },
      tags: [WORDS[i % 5]!],
    });
    puts.push({ id: item.id, data: await encryptItem(keys, item), deleted: false, revision: 0, pending: false, seenRev: item.rev });
    index.entries.set(item.id, toIndexEntry(item));
  }
  await store.write({ putItems: puts, index: { replace: await index.snapshot(keys) } });
}
