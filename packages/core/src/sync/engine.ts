// The client sync engine (docs/architecture.md): local saves that never wait for the network, and delta sync
// against a server that may lie. Everything the server sends is validated, decrypted and checked before
// it touches the vault; what fails is quarantined, never shown. Nothing a user saved is ever dropped:
// concurrent edits merge from their common version, or are both kept (the other becomes a conflict copy).

import { b64uDecode, b64uEncode } from "../encoding/base64.ts";
import { CryptexError, isCryptexError } from "../errors.ts";
import { decryptItem, encryptItem } from "../formats/item-envelope.ts";
import { titleTag } from "../formats/title-tag.ts";
import { type IndexEntry, type IndexSegment, toIndexEntry, VaultIndex } from "../formats/vault-index.ts";
import { adoptNewEak } from "../formats/wrapped-eak.ts";
import type { AccountKeys } from "../keys/derive.ts";
import type { ItemId } from "../keys/ids.ts";
import { checkItemSize, type Item, LIMITS } from "../vault/item.ts";
import { boundVersions, DEFAULT_VERSIONS_KEPT, withVersionOf } from "../vault/item-versions.ts";
import type { WireItem } from "../wire/api.ts";
import { checkManifest, entriesOf, type ManifestProblem, openManifest, sealManifest } from "./manifest.ts";
import { conflictCopy, judgeBothEdited, judgeRemote, judgeSave, movedSinceBase, type RemoteVersion, survivingEdit } from "./merge-path.ts";
import {
  type ItemState,
  itemState,
  type QuarantineEntry,
  type StoreBatch,
  type StoredItem,
  type SyncServer,
  type VaultMeta,
  type VaultStore,
} from "./ports.ts";
import { pushPending, type RefusedItem } from "./push.ts";
import { encryptTombstone, openedRev, openItemOrTombstone } from "./tombstone.ts";

export type { RefusedItem };

/** What a local write did: saved as is, merged with a newer version, or kept both (the other as a copy). */
export type SaveResult = { readonly kind: "saved" } | { readonly kind: "merged" } | { readonly kind: "conflict"; readonly copyId: ItemId };

export interface SyncProgress {
  readonly phase: "pull" | "push";
  readonly done: number;
  /** known for push; for pull, the server's revision distance */
  readonly total: number;
}

export interface ConflictNote {
  readonly id: ItemId;
  /** the id of the conflict copy that keeps the other version, when one was made */
  readonly copyId?: ItemId;
  readonly kind: "both-edited" | "edited-vs-deleted";
}

export interface SyncReport {
  pulled: number;
  pushed: number;
  /** local changes not sent (they stay on this device, pending, and are tried again on the next sync) */
  refused: RefusedItem[];
  conflicts: ConflictNote[];
  /** items this device and another both edited in different fields: merged into one, no copy */
  merged: ItemId[];
  quarantined: QuarantineEntry[];
  /** the account's EAK changed on another device: ask for the new password */
  passwordChanged: boolean;
  revision: number;
}

/**
 * Manifests are fetched and verified whenever this device's state moved since the last successful check
 * (a pull, or a failed check), and otherwise at least this often. A sync with nothing new has nothing to
 * judge, and fetching every device's manifest (~48 bytes an item) on each no-op sync would cost more than
 * the delta sync itself (docs/security.md §4.1).
 */
const MANIFEST_RECHECK_MS = 10 * 60 * 1000;

/** A tiny async mutex: local saves and sync writes never interleave inside one process. */
function createLock() {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };
}

const sameBytes = (a: Uint8Array | undefined, b: Uint8Array | undefined) =>
  a === b || (a !== undefined && b !== undefined && a.length === b.length && a.every((x, i) => x === b[i]));

export class Vault {
  readonly store: VaultStore;
  readonly keys: AccountKeys;
  readonly index: VaultIndex;
  private readonly lock = createLock();
  private readonly now: () => number;
  private history: { deviceName: string; versionsKept: number } = { deviceName: "", versionsKept: DEFAULT_VERSIONS_KEPT };

  private constructor(store: VaultStore, keys: AccountKeys, index: VaultIndex, now: () => number) {
    this.store = store;
    this.keys = keys;
    this.index = index;
    this.now = now;
  }

  /**
   * Opens the vault: one bulk decrypt of the index; rebuilt from the items if missing or damaged
   * (`indexRebuilt`). `onDecrypted`: see VaultIndex.open (what it got stands only if the index was not rebuilt).
   */
  static async open(
    store: VaultStore,
    keys: AccountKeys,
    now: () => number = Date.now,
    onDecrypted?: (plain: Uint8Array[]) => void,
  ): Promise<Vault> {
    const segments = await store.readIndex();
    let index: VaultIndex | undefined;
    if (segments.length > 0) {
      try {
        index = await VaultIndex.open(keys, segments, onDecrypted);
      } catch (e) {
        if (!isCryptexError(e)) throw e;
      }
    }
    const vault = new Vault(store, keys, index ?? VaultIndex.empty(), now);
    if (!index) {
      await vault.rebuildIndex();
      vault.indexRebuilt = true;
    }
    return vault;
  }

  /** set when opening found the stored index missing or damaged and made it again from the items */
  indexRebuilt = false;

  /**
   * How this device records item history: the name stamped on the versions it saves, and how many earlier
   * versions an item keeps (vault/item-versions.ts; bytes bound them too).
   */
  setHistory(opts: { readonly deviceName?: string; readonly versionsKept?: number }): void {
    this.history = {
      deviceName: (opts.deviceName ?? this.history.deviceName).slice(0, LIMITS.deviceName),
      versionsKept: opts.versionsKept ?? this.history.versionsKept,
    };
  }

  /** The item as this device saves it: stamped with its name, its versions bounded. */
  private stamped(item: Item): Item {
    const { savedBy: _, ...rest } = item;
    const name = this.history.deviceName;
    return boundVersions(name ? { ...rest, savedBy: name } : rest, this.history.versionsKept);
  }

  private async rebuildIndex(): Promise<void> {
    const items = await this.store.readAllItems();
    this.index.entries.clear();
    for (const s of items) {
      if (s.deleted || !s.data) continue;
      try {
        const item = await decryptItem(this.keys, s.id, s.data);
        this.index.entries.set(item.id, toIndexEntry(item));
      } catch {
        // an item this device cannot read stays out of the index; sync quarantines server copies
      }
    }
    const put = await Promise.all(
      [...this.index.entries.values()].map(async (e) => ({ id: e.id, tag: await titleTag(this.keys, e.title) })),
    );
    await this.store.write({ index: { replace: await this.index.snapshot(this.keys) }, titleTags: { replace: true, put } });
  }

  list(): IndexEntry[] {
    return [...this.index.entries.values()];
  }

  async get(id: ItemId): Promise<Item> {
    const s = await this.store.readItem(id);
    if (!s || s.deleted || !s.data) throw new CryptexError("invalid_input", "no such item");
    return decryptItem(this.keys, id, s.data);
  }

  /**
   * Saves a new or edited item locally (encrypted, pending sync) with its index entry, in one write.
   * `base` is the version the editor started from (null for a new item). When the stored item moved since
   * then, the two changes are merged field by field, or, where both changed the same field, this save keeps
   * the id and the stored version survives as a conflict copy (docs/web.md, "Conflicts").
   */
  async save(edited: Item, base: Item | null): Promise<SaveResult> {
    // the version it replaces joins the item's history (a merge below adds the other side's too)
    const item = this.stamped(base ? withVersionOf(edited, base) : edited);
    checkItemSize(item);
    return this.lock(async () => {
      const prev = await this.store.readItem(item.id);
      const at = this.now();
      if (!prev) {
        // new, or deleted for good here before it ever synced while a form had it open: the edit survives
        await this.writeItems(undefined, [item]);
        return { kind: "saved" };
      }
      if (!base) throw new CryptexError("invalid_input", "an item with this id exists already");
      const cur = prev.data ? await openItemOrTombstone(this.keys, item.id, prev.data) : undefined;
      const d = judgeSave(cur, prev.seenRev, base, item, at);
      if (d.kind !== "conflict") {
        await this.writeItems(prev, [d.item]);
        return { kind: d.kind };
      }
      await this.writeItems(prev, [d.winner, d.copy]);
      return { kind: "conflict", copyId: d.copy.id };
    });
  }

  /** Writes items (the first may replace `prev`, the rest are new), pending sync, with their index entries. */
  private async writeItems(prev: StoredItem | undefined, given: readonly Item[]): Promise<void> {
    const items = given.map((it) => boundVersions(it, this.history.versionsKept));
    checkItemSize(items[0]!); // a merge adds history: the saved result must fit too
    const put = await this.pendingNew(items);
    if (prev) put[0] = { ...put[0]!, revision: prev.revision, seenRev: prev.seenRev };
    await this.store.write({ putItems: put, ...(await this.indexChange(items.map(toIndexEntry), [])) });
  }

  /** Saves new items (an import) in ONE store write: after a crash either all of them are there or none. */
  async saveNew(items: readonly Item[], onProgress?: (encrypted: number, total: number) => void): Promise<void> {
    if (items.length === 0) return;
    // encrypted in slices: 10,000 pending WebCrypto calls at once cost more memory and time than they save
    const data: Uint8Array[] = [];
    for (let i = 0; i < items.length; i += 256) {
      data.push(...(await Promise.all(items.slice(i, i + 256).map((x) => encryptItem(this.keys, x)))));
      onProgress?.(data.length, items.length);
    }
    await this.lock(async () => {
      const putItems: StoredItem[] = items.map((item, i) => ({
        id: item.id,
        data: data[i]!,
        deleted: false,
        revision: 0,
        pending: true,
        seenRev: 0,
      }));
      await this.store.write({ putItems, ...(await this.indexChange(items.map(toIndexEntry), [])) });
    });
  }

  /**
   * Deletes an item for good (a tombstone that syncs); trash is an edit (trashItem), not this. `base` is the
   * version the person chose to delete: a version that moved since then with other content is not deleted
   * unseen, it survives as a conflict copy.
   */
  async purge(id: ItemId, base: Item): Promise<SaveResult> {
    return this.lock(async () => {
      const prev = await this.store.readItem(id);
      if (!prev) throw new CryptexError("invalid_input", "no such item");
      const cur = prev.data ? await openItemOrTombstone(this.keys, id, prev.data) : undefined;
      const moved = movedSinceBase(cur, base);
      const copy = moved ? conflictCopy(moved, this.now()) : undefined;
      const extra = { put: copy ? [copy] : [] };
      if (prev.revision === 0) {
        // never reached the server: nothing to tell it
        await this.store.write({
          removeItems: [id],
          putItems: await this.pendingNew(extra.put),
          ...(await this.indexChange(extra.put.map(toIndexEntry), [id])),
        });
      } else {
        // the tombstone is a ciphertext with a version above every one seen, so no device takes it for a replay
        const rev = Math.max(prev.seenRev, cur ? openedRev(cur) : 0) + 1;
        const data = await encryptTombstone(this.keys, id, rev);
        const stored: StoredItem = { id, data, deleted: true, revision: prev.revision, pending: true, seenRev: prev.seenRev };
        await this.store.write({
          putItems: [stored, ...(await this.pendingNew(extra.put))],
          ...(await this.indexChange(extra.put.map(toIndexEntry), [id])),
        });
      }
      return copy ? { kind: "conflict", copyId: copy.id } : { kind: "saved" };
    });
  }

  /** Encrypts items as local changes pending sync (never on the server yet). */
  private async pendingNew(items: readonly Item[]): Promise<StoredItem[]> {
    return Promise.all(
      items.map(async (it) => ({
        id: it.id,
        data: await encryptItem(this.keys, it),
        deleted: false,
        revision: 0,
        pending: true,
        seenRev: 0,
      })),
    );
  }

  /** The index segment (or compaction) and the title-lookup tags of one change, to write with it. */
  private async indexChange(upserts: IndexEntry[], removed: ItemId[]): Promise<Pick<StoreBatch, "index" | "titleTags">> {
    const seg: IndexSegment = await this.index.change(this.keys, upserts, removed);
    const titleTags = {
      put: await Promise.all(upserts.map(async (e) => ({ id: e.id, tag: await titleTag(this.keys, e.title) }))),
      remove: removed,
    };
    if (this.index.shouldCompact) return { index: { replace: await this.index.snapshot(this.keys) }, titleTags };
    return { index: { append: [seg] }, titleTags };
  }

  /** Pull then push, until the server and this device agree. */
  async sync(api: SyncServer, onProgress?: (p: SyncProgress) => void): Promise<SyncReport> {
    const meta = await this.requireMeta();
    const report: SyncReport = {
      pulled: 0,
      pushed: 0,
      refused: [],
      conflicts: [],
      merged: [],
      quarantined: [],
      passwordChanged: false,
      revision: meta.cursor,
    };
    const account = await api.account();
    if (account.accountId !== meta.accountId) throw new CryptexError("foreign_key", "the server answered with another account");
    if (account.resetEpoch !== meta.resetEpoch)
      throw new CryptexError("account_reset", "the account was reset on another device; sign in again");
    if (account.revision < meta.cursor)
      throw new CryptexError("rollback", `the server's revision ${account.revision} is older than this device has seen (${meta.cursor})`);
    const newEak = await adoptNewEak(this.keys, account, meta.eakGeneration);
    if (newEak) {
      await this.store.write({ meta: { eak: newEak.bytes, eakGeneration: account.eakGeneration } });
      report.passwordChanged = true;
    }
    // items refused earlier are asked for again: an honest answer now replaces the quarantine entry, so one
    // detected lie does not cut a device off for good (the per-item checks still refuse older versions)
    const quarantined = await this.store.readQuarantine();
    const retry = new Set(quarantined.map((q) => q.id));
    const from = Math.min(meta.cursor, ...quarantined.map((q) => Math.max(0, q.revision - 1)));
    if (account.revision > meta.cursor || from < meta.cursor) await this.pull(api, from, report, onProgress, { floor: meta.cursor, retry });
    const { cursor, manifestCheck: last } = await this.requireMeta();
    if (!last || last.cursor !== cursor || this.now() - last.at > MANIFEST_RECHECK_MS) await this.checkManifests(api);
    await pushPending(
      {
        api,
        store: this.store,
        keys: this.keys,
        locked: this.lock,
        applyConflicts: (items) => this.lock(() => this.applyRemote(items, report)),
      },
      report,
      onProgress,
    );
    const after = await this.requireMeta();
    if (report.pushed > 0 || after.manifestsSeen?.[after.deviceId] === undefined) await this.publishManifest(api);
    report.revision = after.cursor;
    return report;
  }

  /**
   * Verifies every device's signed manifest against this device's state: none may be missing or older
   * than one seen, and every item a manifest lists at a revision this device pulled past must be here,
   * at that version or a later one. Any failure stops the sync with a typed error (nothing is pushed).
   */
  private async checkManifests(api: SyncServer): Promise<void> {
    const { manifests } = await api.manifests();
    const meta = await this.requireMeta();
    const seen: Record<string, number> = { ...(meta.manifestsSeen ?? {}) };
    const local = new Map((await this.itemStates()).map((s) => [s.id as string, s]));
    const problems: ManifestProblem[] = [];
    const present = new Set<string>();
    let newest = 0;
    for (const w of manifests) {
      if (present.has(w.deviceId)) throw new CryptexError("invalid_input", "the server sent two manifests for one device");
      present.add(w.deviceId);
      const bytes = b64uDecode(w.data);
      if (!bytes) throw new CryptexError("invalid_input", "malformed manifest");
      const m = openManifest(this.keys, w.deviceId, bytes);
      if (m.counter < (seen[w.deviceId] ?? 0))
        throw new CryptexError("rollback", `the server serves an older manifest of device ${w.deviceId} than this device has seen`);
      seen[w.deviceId] = m.counter;
      newest = Math.max(newest, m.revision);
      problems.push(...checkManifest(m, local, meta.cursor));
    }
    for (const d of Object.keys(seen))
      if (!present.has(d)) throw new CryptexError("rollback", `the server withholds the manifest of device ${d}`);
    if (problems.length > 0) {
      const first = problems[0]!;
      throw new CryptexError(
        "rollback",
        `the server hides or rolled back ${problems.length} item(s) another device holds (${first.reason}: ${first.id})`,
        { problems },
      );
    }
    // a manifest newer than what we pulled is fine (a concurrent push) only if the server admits that revision
    if (newest > meta.cursor && (await api.account()).revision < newest)
      throw new CryptexError("rollback", "the server's revision is older than a device's signed manifest");
    await this.store.write({ meta: { manifestsSeen: seen, manifestCheck: { at: this.now(), cursor: meta.cursor } } });
  }

  /** Publishes this device's signed manifest (after it pushed): the state it holds, counter + 1. */
  private async publishManifest(api: SyncServer): Promise<void> {
    const meta = await this.requireMeta();
    const entries = entriesOf(await this.itemStates());
    const counter = (meta.manifestsSeen?.[meta.deviceId] ?? 0) + 1;
    const revision = entries.reduce((r, e) => Math.max(r, e.revision), meta.cursor);
    const bytes = sealManifest(this.keys, { deviceId: meta.deviceId, counter, revision, entries });
    await api.putManifest(meta.deviceId, b64uEncode(bytes));
    const now = await this.requireMeta();
    await this.store.write({ meta: { manifestsSeen: { ...(now.manifestsSeen ?? {}), [meta.deviceId]: counter } } });
  }

  private async itemStates(): Promise<ItemState[]> {
    return this.store.readItemStates ? this.store.readItemStates() : (await this.store.readAllItems()).map(itemState);
  }

  private async requireMeta(): Promise<VaultMeta> {
    const meta = await this.store.readMeta();
    if (!meta) throw new CryptexError("invalid_input", "this device has no account");
    return meta;
  }

  /** `floor`: the cursor never moves below it (a re-pull of quarantined items starts lower); `retry`: ids re-judged. */
  private async pull(
    api: SyncServer,
    from: number,
    report: SyncReport,
    onProgress: ((p: SyncProgress) => void) | undefined,
    opts: { floor: number; retry: ReadonlySet<string> },
  ): Promise<void> {
    let since = from;
    for (;;) {
      const page = await api.pull(since);
      if (page.revision < since) throw new CryptexError("rollback", "the server's revision went backwards during sync");
      let last = since;
      for (const w of page.items) {
        if (w.revision <= last || w.revision > page.revision)
          throw new CryptexError("invalid_input", "the server sent changes out of order");
        last = w.revision;
      }
      if (page.items.length > 0 && page.next !== last)
        throw new CryptexError("invalid_input", "the server's page cursor does not match its items");
      if (page.more && page.items.length === 0) throw new CryptexError("invalid_input", "the server promised more changes but sent none");
      // the last page vouches for everything up to the revision it reports: a change the server leaves out
      // below it is then judged missing by the manifest check, not silently waited for
      const cursor = page.more ? page.next : Math.max(page.items.length > 0 ? page.next : since, page.revision);
      // below the floor only the quarantined items are news: everything else there was applied before
      const fresh = page.items.filter((w) => w.revision > opts.floor || opts.retry.has(w.id));
      await this.lock(() => this.applyRemote(fresh, report, Math.max(opts.floor, cursor), opts.retry));
      report.pulled += fresh.length;
      since = cursor;
      onProgress?.({ phase: "pull", done: since - from, total: Math.max(page.revision - from, since - from) });
      if (!page.more) break;
    }
  }

  /** Merges remote versions into the vault (one atomic write); `cursor`, when given, is saved with them. */
  private async applyRemote(items: readonly WireItem[], report: SyncReport, cursor?: number, retry?: ReadonlySet<string>): Promise<void> {
    const locals = await this.store.readItems(items.map((w) => w.id as ItemId));
    const put: StoredItem[] = [];
    const upserts: IndexEntry[] = [];
    const removed: ItemId[] = [];
    const quarantine: QuarantineEntry[] = [];
    const at = this.now();
    for (const w of items) {
      const id = w.id as ItemId;
      const local = locals.get(id);
      const data = w.data === undefined ? undefined : b64uDecode(w.data);
      let remote: RemoteVersion;
      if (w.data === undefined) remote = { kind: "absent" };
      else if (local?.pending && w.revision <= local.revision)
        remote = { kind: "absent" }; // skipped below, unopened
      else {
        try {
          if (!data) throw new CryptexError("invalid_input", "item without data");
          remote = await openItemOrTombstone(this.keys, id, data);
        } catch (e) {
          remote = { kind: "unreadable", reason: isCryptexError(e) ? e.code : "invalid_input" };
        }
      }
      const state = local && { ...local, hasData: local.data !== undefined };
      const d = judgeRemote(state, w.revision, remote, sameBytes(local?.data, data));
      switch (d.kind) {
        case "skip":
          break;
        case "quarantine":
          quarantine.push({ id, revision: w.revision, reason: d.reason, at });
          break;
        case "delete":
          put.push({ id, data: data!, deleted: true, revision: w.revision, pending: false, seenRev: d.seenRev });
          removed.push(id);
          break;
        case "mine-survives-delete": {
          const kept = survivingEdit(await decryptItem(this.keys, id, local!.data!), d.deletedAt);
          put.push({
            id,
            data: await encryptItem(this.keys, kept),
            deleted: false,
            revision: w.revision,
            pending: true,
            seenRev: d.deletedAt,
          });
          upserts.push(toIndexEntry(kept));
          report.conflicts.push({ id, kind: "edited-vs-deleted" });
          break;
        }
        case "mine-and-copy": {
          const mine = await decryptItem(this.keys, id, local!.data!);
          const both = judgeBothEdited(mine, d.theirs, at);
          if (both.kind === "same") {
            put.push({ id, data: data!, deleted: false, revision: w.revision, pending: false, seenRev: d.theirs.rev });
            upserts.push(toIndexEntry(d.theirs));
            break;
          }
          if (both.kind === "merged") {
            // one item with both changes: a new local edit based on their revision, pushed like any other
            const item = boundVersions(both.item, this.history.versionsKept);
            const sealed = await encryptItem(this.keys, item);
            put.push({ id, data: sealed, deleted: false, revision: w.revision, pending: true, seenRev: d.theirs.rev });
            upserts.push(toIndexEntry(item));
            report.merged.push(id);
            break;
          }
          const { copy } = both;
          const winner = boundVersions(both.winner, this.history.versionsKept);
          put.push({
            id,
            data: await encryptItem(this.keys, winner),
            deleted: false,
            revision: w.revision,
            pending: true,
            seenRev: d.theirs.rev,
          });
          put.push({ id: copy.id, data: await encryptItem(this.keys, copy), deleted: false, revision: 0, pending: true, seenRev: 0 });
          upserts.push(toIndexEntry(winner), toIndexEntry(copy));
          report.conflicts.push({ id, copyId: copy.id, kind: "both-edited" });
          break;
        }
        case "accept":
          // deleted here, edited there: the edit survives; or a plain remote change
          if (d.deletedHere) report.conflicts.push({ id, kind: "edited-vs-deleted" });
          put.push({ id, data: data!, deleted: false, revision: w.revision, pending: false, seenRev: d.seenRev });
          upserts.push(toIndexEntry(d.item));
          break;
      }
    }
    report.quarantined.push(...quarantine);
    await this.store.write({
      putItems: put,
      ...(await this.indexChange(upserts, removed)),
      ...(retry?.size ? { clearQuarantine: items.filter((w) => retry.has(w.id)).map((w) => w.id) } : {}),
      ...(quarantine.length ? { quarantine } : {}),
      ...(cursor !== undefined ? { meta: { cursor } } : {}),
    });
  }

  /**
   * The seam a log target drives (sync/log/log-vault-sync.ts); the server protocol above does not use
   * it. Under the vault's lock, `exchange` gets every pending change and returns the items to store in
   * their place (merged versions, conflict copies, deletions), written with their index entries at once.
   */
  async exchangeWithTarget(exchange: (pending: StoredItem[]) => Promise<StoredItem[]>): Promise<void> {
    await this.lock(async () => {
      const put = await exchange(await this.store.readPending(Number.MAX_SAFE_INTEGER));
      const upserts: IndexEntry[] = [];
      const removed: ItemId[] = [];
      for (const s of put) {
        if (s.deleted || !s.data) removed.push(s.id);
        else upserts.push(toIndexEntry(await decryptItem(this.keys, s.id, s.data)));
      }
      await this.store.write({ putItems: put, ...(await this.indexChange(upserts, removed)) });
    });
  }
}
