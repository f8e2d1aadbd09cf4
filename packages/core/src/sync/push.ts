// Sending this device's pending changes. Requests stay within the wire's bounds; a change the server refuses
// on its own (too large, or invalid to it) is isolated by splitting the batch and reported, never dropped:
// it stays pending here, and every other change is still sent.
import { ApiError } from "../client/api-client.ts";
import { b64uEncode } from "../encoding/base64.ts";
import { CryptexError } from "../errors.ts";
import type { AccountKeys } from "../keys/derive.ts";
import type { ItemId } from "../keys/ids.ts";
import type { WireItem } from "../wire/api.ts";
import { LIMITS } from "../wire/limits.ts";
import type { StoredItem, SyncServer, VaultStore } from "./ports.ts";
import { encryptTombstone, openedRev, openItemOrTombstone } from "./tombstone.ts";

/** A local change the server would not take (too large, or refused for it alone): kept here, pending. */
export interface RefusedItem {
  readonly id: ItemId;
  /** `too_large`, or the server's error code */
  readonly reason: string;
}

export interface PushDeps {
  readonly api: SyncServer;
  readonly store: VaultStore;
  readonly keys: AccountKeys;
  /** runs a store change under the engine's lock (local saves never interleave with it) */
  readonly locked: <T>(fn: () => Promise<T>) => Promise<T>;
  /** merges the server's newer versions (a 409 answer) into the vault, under the lock */
  readonly applyConflicts: (items: readonly WireItem[]) => Promise<void>;
}

/** What a push adds to the sync report. */
export interface PushTally {
  pushed: number;
  refused: RefusedItem[];
  readonly quarantined: readonly unknown[];
}

const PUSH_BATCH = 500;
const MAX_CONFLICT_ROUNDS = 20;
/** JSON around one pushed item (id, base revision, flags, quotes) is well under this many characters */
const PUSH_ITEM_OVERHEAD = 200;
/** server answers that refuse a push request itself (not a conflict): the batch is split to find the item */
const REFUSALS = new Set(["too_large", "bad_request", "invalid_json"]);

const b64uLength = (bytes: Uint8Array) => Math.ceil((bytes.length * 4) / 3);

const sameBytes = (a: Uint8Array | undefined, b: Uint8Array | undefined) =>
  a === b || (a !== undefined && b !== undefined && a.length === b.length && a.every((x, i) => x === b[i]));

/** The longest prefix of `items` whose push request stays within the wire's body limit (at least one item). */
function byBodySize(items: StoredItem[]): StoredItem[] {
  let size = 64;
  let n = 0;
  for (const p of items) {
    size += PUSH_ITEM_OVERHEAD + (p.data ? b64uLength(p.data) : 0);
    if (n > 0 && size > LIMITS.body) break;
    n++;
  }
  return items.slice(0, n);
}

/** Pushes every pending change, batch by batch, until none is left but the refused ones. */
export async function pushPending(
  deps: PushDeps,
  tally: PushTally,
  onProgress?: (p: { phase: "push"; done: number; total: number }) => void,
): Promise<void> {
  const refused = new Map<ItemId, string>();
  let conflictRounds = 0;
  for (;;) {
    const pending = (await deps.store.readPending(PUSH_BATCH + refused.size)).filter((p) => !refused.has(p.id)).slice(0, PUSH_BATCH);
    if (pending.length === 0) {
      tally.refused.push(...[...refused].map(([id, reason]) => ({ id, reason })));
      return;
    }
    const bare = pending.filter((p) => !p.data);
    if (bare.length > 0) {
      // a delete kept without its envelope (older versions): sealed as a tombstone first, then pushed like it
      const put = await Promise.all(bare.map(async (p) => ({ ...p, data: await encryptTombstone(deps.keys, p.id, p.seenRev + 1) })));
      await deps.locked(() => deps.store.write({ putItems: put }));
      continue;
    }
    // a ciphertext over the wire limit (saved before the limit, or grown since) is never sent: the server
    // would refuse the whole batch, and with it every other change
    for (const p of pending) if (p.data && b64uLength(p.data) > LIMITS.itemData) refused.set(p.id, "too_large");
    const batch = byBodySize(pending.filter((p) => !refused.has(p.id)));
    if (batch.length > 0 && (await pushParts(deps, batch, refused, tally)) === "conflict") {
      if (++conflictRounds >= MAX_CONFLICT_ROUNDS)
        throw new CryptexError("invalid_input", "sync did not settle: the server keeps answering with conflicts");
      continue;
    }
    onProgress?.({ phase: "push", done: tally.pushed, total: tally.pushed + pending.length - batch.length });
  }
}

/**
 * Pushes one batch; when the server refuses the request itself (too large, or invalid for one item), the
 * batch is split in halves until the refused item stands alone: it is reported, every other one is sent.
 */
async function pushParts(deps: PushDeps, batch: StoredItem[], refused: Map<ItemId, string>, tally: PushTally): Promise<"ok" | "conflict"> {
  const revs = new Map<ItemId, number>();
  for (const p of batch) if (p.data) revs.set(p.id, openedRev(await openItemOrTombstone(deps.keys, p.id, p.data)));
  let result: Awaited<ReturnType<SyncServer["push"]>>;
  try {
    // deletes travel as encrypted tombstones: to the server, a delete looks like any other write
    result = await deps.api.push(batch.map((p) => ({ id: p.id, baseRevision: p.revision, data: b64uEncode(p.data!) })));
  } catch (e) {
    if (!(e instanceof ApiError) || !REFUSALS.has(e.code)) throw e;
    if (batch.length === 1) {
      refused.set(batch[0]!.id, e.code);
      return "ok";
    }
    const half = Math.ceil(batch.length / 2);
    const first = await pushParts(deps, batch.slice(0, half), refused, tally);
    const second = await pushParts(deps, batch.slice(half), refused, tally);
    return first === "conflict" || second === "conflict" ? "conflict" : "ok";
  }
  if (!result.ok) {
    const before = tally.quarantined.length;
    await deps.applyConflicts(result.conflicts);
    if (tally.quarantined.length > before)
      throw new CryptexError("rollback", "the server answered a push with versions this device refuses (see quarantine)");
    return "conflict";
  }
  const { answer } = result;
  const acked = new Map(answer.items.map((x) => [x.id as ItemId, x.revision]));
  await deps.locked(async () => {
    const meta = await deps.store.readMeta();
    if (!meta) throw new CryptexError("invalid_input", "this device has no account");
    const now = await deps.store.readItems(batch.map((p) => p.id));
    const put: StoredItem[] = [];
    for (const p of batch) {
      const revision = acked.get(p.id);
      if (revision === undefined) throw new CryptexError("invalid_input", "the server did not acknowledge every pushed item");
      const cur = now.get(p.id);
      // saved again while the push was in flight: keep it pending, based on the new revision
      const changed = !cur || cur.deleted !== p.deleted || !sameBytes(cur.data, p.data);
      put.push({ ...(cur ?? p), revision, pending: changed, seenRev: Math.max(p.seenRev, revs.get(p.id) ?? 0) });
    }
    // our own writes took exactly the next revisions: nobody else wrote, so skip their echo on pull
    const sorted = [...acked.values()].sort((a, b) => a - b);
    const contiguous = sorted[0] === meta.cursor + 1 && sorted.every((r, i) => r === meta.cursor + 1 + i);
    await deps.store.write({ putItems: put, ...(contiguous ? { meta: { cursor: answer.revision } } : {}) });
  });
  tally.pushed += batch.length;
  return "ok";
}
