// Test and benchmark helper: a local vault made without a server (one Argon2id run), optionally filled
// with many items in one bulk write, exactly as the CLI stores them.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { generateAccountKey } from "@cryptex/core/account-key.ts";
import { deriveAccountKeys } from "@cryptex/core/account-keys.ts";
import { createEak } from "@cryptex/core/formats/eak.ts";
import { encryptItem } from "@cryptex/core/formats/item-envelope.ts";
import { titleTag } from "@cryptex/core/formats/title-tag.ts";
import { toIndexEntry, VaultIndex } from "@cryptex/core/formats/vault-index.ts";
import { newAccountId, newUuid } from "@cryptex/core/ids.ts";
import type { StoredItem, TitleTag } from "@cryptex/core/sync/ports.ts";
import { createItem, type Item } from "@cryptex/core/vault/item.ts";
import { openSqliteStore } from "../store/sqlite-store.ts";

export const CLI_BIN = new URL("../../bin/cryptex.js", import.meta.url).pathname;

export interface OfflineVault {
  readonly home: string;
  readonly accountId: string;
}

/** Item i of a synthetic vault: Login "site-i" with user-i / pw-i-secret and https://site-i.example. */
export const syntheticItem = (i: number): Item =>
  createItem({
    type: "login",
    title: `site-${i}`,
    fields: { username: `user-${i}`, password: `pw-${i}-secret`, url: `https://site-${i}.example/login` },
    tags: [i % 10 === 0 ? "work" : "home"],
    favorite: i % 50 === 0,
  });

export async function makeOfflineVault(home: string, password: string, itemCount = 0): Promise<OfflineVault> {
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const accountId = newAccountId();
  const ak = generateAccountKey();
  const { eak } = await createEak(password, ak, accountId);
  const keys = await deriveAccountKeys(ak, accountId);
  const index = VaultIndex.empty();
  const put: StoredItem[] = [];
  const tags: TitleTag[] = [];
  for (let i = 0; i < itemCount; i++) {
    const item = syntheticItem(i);
    index.entries.set(item.id, toIndexEntry(item));
    put.push({ id: item.id, data: await encryptItem(keys, item), deleted: false, revision: 0, pending: true, seenRev: 0 });
    tags.push({ id: item.id, tag: await titleTag(keys, item.title) });
  }
  const store = openSqliteStore(join(home, "vault.sqlite"));
  await store.write({
    meta: {
      accountId,
      email: "offline@example.test",
      serverUrl: "https://127.0.0.1:9",
      eak: eak.bytes,
      eakGeneration: 0,
      resetEpoch: 0,
      cursor: 0,
      deviceId: newUuid(),
      sessionToken: undefined,
    },
    putItems: put,
    index: { replace: await index.snapshot(keys) },
    titleTags: { replace: true, put: tags },
  });
  await store.close();
  return { home, accountId };
}
