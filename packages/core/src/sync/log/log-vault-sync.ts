// Syncs a device's vault through a log target: the vault's pending saves and deletes become versions
// in this device's log, the replica pulls and pushes, and the merged result (winners, conflict copies,
// deletions) goes back into the vault in one write. The replica's state is saved before anything is
// published, so a crash at any point loses nothing and publishes nothing twice (versions are
// idempotent by tag).
import { isCryptexError } from "../../errors.ts";
import { encryptItem } from "../../formats/item-envelope.ts";
import type { Vault } from "../engine.ts";
import type { StoredItem } from "../ports.ts";
import { openItemOrTombstone } from "../tombstone.ts";
import type { BlobStore } from "./blob-store.ts";
import type { LogReplica, LogReport } from "./log-replica.ts";

/**
 * `revision` of an item that came through a log target: no server revision, and not 0 either, so that a
 * local delete publishes a tombstone instead of dropping an item that "never left the device".
 */
export const ON_LOG_TARGET = -1;

export async function syncVaultThroughLog(
  vault: Vault,
  replica: LogReplica,
  store: BlobStore,
  saveState: (state: Uint8Array) => Promise<void>,
  opts: { acknowledge?: boolean } = {},
): Promise<LogReport> {
  let report: LogReport | undefined;
  await vault.exchangeWithTarget(async (pending) => {
    for (const p of pending) {
      if (!p.data) continue;
      const opened = await openItemOrTombstone(vault.keys, p.id, p.data);
      if (opened.kind === "item") await replica.save(opened.item);
      else
        try {
          await replica.remove(p.id);
        } catch (e) {
          // deleted before it ever reached the target: nothing to tell it
          if (!isCryptexError(e, "invalid_input")) throw e;
        }
    }
    await saveState(replica.exportState());
    report = await replica.sync(store, opts);
    await saveState(replica.exportState());
    const changed = replica.takeChanged();
    for (const p of pending) changed.add(p.id);
    const view = replica.items();
    for (const it of view.values()) if (it.conflictOf && changed.has(it.conflictOf)) changed.add(it.id);
    const put: StoredItem[] = [];
    for (const id of changed) {
      const item = view.get(id);
      const cur = replica.current(id);
      if (item) {
        // a conflict copy not yet published has no envelope of its own: it is sealed here
        const data = cur?.kind === "item" ? cur.data : await encryptItem(vault.keys, item);
        put.push({ id, data, deleted: false, revision: ON_LOG_TARGET, pending: false, seenRev: item.rev });
      } else if (cur?.kind === "deleted") {
        put.push({ id, data: cur.data, deleted: true, revision: ON_LOG_TARGET, pending: false, seenRev: cur.rev });
      }
    }
    return put;
  });
  return report!;
}
