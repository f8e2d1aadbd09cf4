// The read path of get/list/search: one bulk decrypt of the index, one item decrypt at most.
// The write path (engine Vault) is loaded only when the index must be rebuilt.

import type { RowTextTest } from "@cryptex/core/formats/index-codec.ts";
import { decryptItem } from "@cryptex/core/formats/item-envelope.ts";
import { type IndexEntry, VaultIndex } from "@cryptex/core/formats/vault-index.ts";
import type { ItemId } from "@cryptex/core/ids.ts";
import type { Item } from "@cryptex/core/vault/item.ts";
import { CliError } from "../errors/cli-error.ts";
import type { UnlockedVault } from "./unlock.ts";

export async function readEntries(v: UnlockedVault): Promise<IndexEntry[]> {
  return readEntriesWhere(v, undefined);
}

/** The entries that may pass `test` (all of them without one): a search builds objects for its candidates only. */
export async function readEntriesWhere(v: UnlockedVault, test: RowTextTest | undefined): Promise<IndexEntry[]> {
  const index = v.heldIndex ? await v.heldIndex(test ? "search" : "all") : await openIndex(v);
  if (index) return test ? index.entriesWhere(test) : [...index.entries.values()];
  const { Vault } = await import("@cryptex/core/sync/engine.ts");
  return (await Vault.open(v.store, v.keys)).list();
}

/** The stored index, opened; undefined when there is none or it is damaged or foreign (then rebuilt from the items). */
export async function openIndex(v: UnlockedVault): Promise<VaultIndex | undefined> {
  const segments = await v.store.readIndex();
  if (segments.length === 0) return undefined;
  try {
    return await VaultIndex.open(v.keys, segments);
  } catch {
    return undefined;
  }
}

export async function readItem(v: UnlockedVault, id: ItemId): Promise<Item> {
  const s = await v.store.readItem(id);
  if (!s || s.deleted || !s.data) throw new CliError("not_found", `no item ${id}`);
  return decryptItem(v.keys, id, s.data);
}

const ID_PREFIX = /^[0-9a-f-]{6,36}$/;
const FULL_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The fast path of `get`: a full id, or a title through the device-local title lookup — one item decrypted,
 * no index. Returns undefined when it cannot decide (no lookup yet, an id prefix, nothing found), and the
 * caller takes the index path, which gives the same answers and the full error messages.
 */
export async function findItemFast(v: UnlockedVault, query: string): Promise<Item | undefined> {
  const q = query.trim();
  if (FULL_ID.test(q)) {
    const s = await v.store.readItem(q as ItemId);
    if (!s || s.deleted || !s.data) return undefined;
    const item = await decryptItem(v.keys, q as ItemId, s.data);
    return item.trashedAt === null ? item : undefined;
  }
  if (ID_PREFIX.test(q.toLowerCase()) || !v.store.findByTitleTag) return undefined;
  const { normaliseTitle, titleTag } = await import("@cryptex/core/formats/title-tag.ts");
  const ids = await v.store.findByTitleTag(await titleTag(v.keys, q));
  if (ids.length === 0 || ids.length > 20) return undefined;
  const want = normaliseTitle(q);
  const found: Item[] = [];
  for (const id of ids) {
    const s = await v.store.readItem(id);
    if (!s || s.deleted || !s.data) continue;
    const item = await decryptItem(v.keys, id, s.data);
    // the tag is a hint: the decrypted title decides (a stale or colliding tag is ignored)
    if (item.trashedAt === null && normaliseTitle(item.title) === want) found.push(item);
  }
  return found.length === 1 ? found[0] : undefined;
}

/** Resolves ID_OR_TITLE: a full id, an id prefix (6+ hex), or a title (exact, case-insensitive). */
export function findEntry(entries: readonly IndexEntry[], query: string, opts: { trashed?: boolean } = {}): IndexEntry {
  const wantTrashed = opts.trashed ?? false;
  const pool = entries.filter((e) => e.trashed === wantTrashed);
  const q = query.trim();
  const byId = pool.find((e) => e.id === q);
  if (byId) return byId;
  const lower = q.toLowerCase();
  let matches = ID_PREFIX.test(lower) ? pool.filter((e) => e.id.startsWith(lower)) : [];
  if (matches.length === 0) matches = pool.filter((e) => e.title.toLowerCase() === lower);
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    const list = matches
      .slice(0, 10)
      .map((e) => `  ${e.id}  ${e.title}`)
      .join("\n");
    throw new CliError("ambiguous", `${matches.length} items match "${q}"; use an id:\n${list}`);
  }
  const where = wantTrashed ? " in the trash" : "";
  throw new CliError("not_found", `no item matches "${q}"${where}`);
}
