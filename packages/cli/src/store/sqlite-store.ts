// The device-local vault on node:sqlite: one file per home, every batch one durable transaction
// (WAL, synchronous=FULL, BEGIN IMMEDIATE), so kill -9 loses nothing a command reported saved.
import { DatabaseSync, type StatementSync } from "node:sqlite";
import type { IndexSegment } from "@cryptex/core/formats/vault-index.ts";
import type { ItemId } from "@cryptex/core/ids.ts";
import type { QuarantineEntry, StoreBatch, StoredItem, VaultMeta, VaultStore } from "@cryptex/core/sync/ports.ts";
import { CliError } from "../errors/cli-error.ts";

const SCHEMA_VERSION = 2;

// v2: the device-local title lookup (core formats/title-tag.ts), so `get TITLE` decrypts one item, not the index.
const TITLE_TAGS = `
CREATE TABLE IF NOT EXISTS title_tags (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, tag BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS title_tags_tag ON title_tags (tag);
`;

// Rowid tables with a unique index on the UUID (WITHOUT ROWID on text UUIDs measured 9× slower).
const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (k INTEGER PRIMARY KEY CHECK (k = 1), json TEXT NOT NULL, eak BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS items (
  rowid INTEGER PRIMARY KEY, id TEXT NOT NULL, data BLOB, deleted INTEGER NOT NULL, revision INTEGER NOT NULL,
  pending INTEGER NOT NULL, seen_rev INTEGER NOT NULL, pending_seq INTEGER NOT NULL DEFAULT 0);
CREATE UNIQUE INDEX IF NOT EXISTS items_id ON items (id);
CREATE INDEX IF NOT EXISTS items_pending ON items (pending_seq) WHERE pending = 1;
CREATE TABLE IF NOT EXISTS index_segments (generation INTEGER NOT NULL, seq INTEGER NOT NULL, bytes BLOB NOT NULL, PRIMARY KEY (generation, seq));
CREATE TABLE IF NOT EXISTS quarantine (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL, revision INTEGER NOT NULL, reason TEXT NOT NULL, at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (id TEXT PRIMARY KEY, sealed BLOB NOT NULL, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL);
${TITLE_TAGS}`;

type Row = Record<string, unknown>;

/** The long-lived handle, with the session table the CLI's `unlock` uses beside the engine's port. */
export interface SqliteVaultStore extends VaultStore {
  readonly path: string;
  putSession(s: SessionRow): void;
  readSession(id: string): SessionRow | undefined;
  deleteSessions(): number;
  /**
   * Changes when anything was committed to the file since the last call, by another process (SQLite's
   * data_version) or through this handle (total_changes): how an agent knows the vault it holds is current.
   */
  changeMark(): string;
}

export interface SessionRow {
  readonly id: string;
  readonly sealed: Uint8Array;
  readonly createdAt: number;
  readonly expiresAt: number;
}

const u8 = (v: unknown): Uint8Array => (v instanceof Uint8Array ? v : new Uint8Array(0));

function toItem(r: Row): StoredItem {
  return {
    id: r.id as ItemId,
    data: r.data == null ? undefined : u8(r.data),
    deleted: r.deleted === 1,
    revision: Number(r.revision),
    pending: r.pending === 1,
    seenRev: Number(r.seen_rev),
  };
}

function checkItem(x: StoredItem): void {
  const ok =
    typeof x.id === "string" &&
    (x.data === undefined || x.data instanceof Uint8Array) &&
    typeof x.deleted === "boolean" &&
    Number.isSafeInteger(x.revision) &&
    typeof x.pending === "boolean" &&
    Number.isSafeInteger(x.seenRev);
  if (!ok) throw new TypeError("store: malformed item in batch");
}

type MetaJson = Omit<VaultMeta, "eak">;

/** Opens (creating if needed) the vault file; `readonly` skips schema work for the fast read commands. */
export function openSqliteStore(path: string, opts: { create?: boolean } = {}): SqliteVaultStore {
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(path, { timeout: 10_000 });
  } catch (e) {
    throw new CliError("store_unavailable", `cannot open the local vault ${path}: ${(e as Error).message}`);
  }
  db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;");
  const version = (db.prepare("PRAGMA user_version").get() as Row).user_version as number;
  if (version === 0 && opts.create !== false) {
    db.exec(`BEGIN IMMEDIATE; ${SCHEMA} PRAGMA user_version = ${SCHEMA_VERSION}; COMMIT;`);
  } else if (version === 1) {
    // the lookup starts empty: readers fall back to the index until the next index rebuild or change fills it
    db.exec(`BEGIN IMMEDIATE; ${TITLE_TAGS} PRAGMA user_version = ${SCHEMA_VERSION}; COMMIT;`);
  } else if (version > SCHEMA_VERSION) {
    db.close();
    throw new CliError("store_unavailable", `the local vault ${path} was written by a newer cryptex (schema ${version})`);
  }

  const cache = new Map<string, StatementSync>();
  const q = (sql: string): StatementSync => {
    let s = cache.get(sql);
    if (!s) {
      s = db.prepare(sql);
      cache.set(sql, s);
    }
    return s;
  };
  let closed = false;

  function readMetaSync(): VaultMeta | undefined {
    const r = q("SELECT json, eak FROM meta WHERE k = 1").get() as Row | undefined;
    if (!r) return undefined;
    const m = JSON.parse(r.json as string) as MetaJson;
    return { ...m, sessionToken: m.sessionToken ?? undefined, eak: u8(r.eak) };
  }

  function apply(batch: StoreBatch): void {
    if (batch.meta) {
      const current = readMetaSync();
      const next = { ...current, ...batch.meta } as VaultMeta;
      if (!(next.eak instanceof Uint8Array) || typeof next.accountId !== "string") throw new TypeError("store: incomplete meta");
      const { eak, ...rest } = next;
      q("INSERT INTO meta (k, json, eak) VALUES (1, ?, ?) ON CONFLICT (k) DO UPDATE SET json = excluded.json, eak = excluded.eak").run(
        JSON.stringify({ ...rest, sessionToken: rest.sessionToken ?? null }),
        eak,
      );
    }
    if (batch.putItems?.length) {
      for (const x of batch.putItems) checkItem(x);
      const seqRow = q("SELECT COALESCE(MAX(pending_seq), 0) AS s FROM items").get() as Row;
      let seq = Number(seqRow.s);
      const up = q(
        `INSERT INTO items (id, data, deleted, revision, pending, seen_rev, pending_seq) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET data = excluded.data, deleted = excluded.deleted, revision = excluded.revision,
           pending = excluded.pending, seen_rev = excluded.seen_rev,
           pending_seq = CASE WHEN items.pending = 1 AND excluded.pending = 1 THEN items.pending_seq ELSE excluded.pending_seq END`,
      );
      for (const x of batch.putItems) {
        up.run(x.id, x.data ?? null, x.deleted ? 1 : 0, x.revision, x.pending ? 1 : 0, x.seenRev, x.pending ? ++seq : 0);
      }
    }
    if (batch.removeItems?.length) {
      const del = q("DELETE FROM items WHERE id = ?");
      for (const id of batch.removeItems) del.run(id);
    }
    if (batch.titleTags) {
      const t = batch.titleTags;
      if (t.replace) q("DELETE FROM title_tags").run();
      const del = q("DELETE FROM title_tags WHERE id = ?");
      for (const id of t.remove ?? []) del.run(id);
      const put = q("INSERT INTO title_tags (id, tag) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET tag = excluded.tag");
      for (const x of t.put ?? []) {
        if (typeof x.id !== "string" || !(x.tag instanceof Uint8Array) || x.tag.length !== 16)
          throw new TypeError("store: malformed title tag");
        put.run(x.id, x.tag);
      }
    }
    if (batch.index?.replace) {
      q("DELETE FROM index_segments").run();
      putSegment(batch.index.replace);
    }
    for (const s of batch.index?.append ?? []) putSegment(s);
    if (batch.clearQuarantine?.length) {
      const del = q("DELETE FROM quarantine WHERE id = ?");
      for (const id of batch.clearQuarantine) del.run(id);
    }
    if (batch.quarantine?.length) {
      const ins = q("INSERT INTO quarantine (id, revision, reason, at) VALUES (?, ?, ?, ?)");
      for (const e of batch.quarantine) ins.run(e.id, e.revision, e.reason.slice(0, 1000), e.at);
    }
  }

  function putSegment(s: IndexSegment): void {
    if (!(s.bytes instanceof Uint8Array) || !Number.isSafeInteger(s.generation) || !Number.isSafeInteger(s.seq)) {
      throw new TypeError("store: malformed index segment");
    }
    q("INSERT OR REPLACE INTO index_segments (generation, seq, bytes) VALUES (?, ?, ?)").run(s.generation, s.seq, s.bytes);
  }

  function transaction<T>(fn: () => T): T {
    db.exec("BEGIN IMMEDIATE");
    try {
      const r = fn();
      db.exec("COMMIT");
      return r;
    } catch (e) {
      db.exec("ROLLBACK");
      throw e;
    }
  }

  return {
    path,
    async readMeta() {
      return readMetaSync();
    },
    async readItem(id) {
      const r = q("SELECT * FROM items WHERE id = ?").get(id) as Row | undefined;
      return r ? toItem(r) : undefined;
    },
    async readItems(ids) {
      const out = new Map<ItemId, StoredItem>();
      const s = q("SELECT * FROM items WHERE id = ?");
      for (const id of ids) {
        const r = s.get(id) as Row | undefined;
        if (r) out.set(id, toItem(r));
      }
      return out;
    },
    async readPending(limit) {
      return (q("SELECT * FROM items WHERE pending = 1 ORDER BY pending_seq LIMIT ?").all(limit) as Row[]).map(toItem);
    },
    async readAllItems() {
      return (q("SELECT * FROM items ORDER BY rowid").all() as Row[]).map(toItem);
    },
    async readIndex() {
      return (q("SELECT generation, seq, bytes FROM index_segments ORDER BY generation, seq").all() as Row[]).map((r) => ({
        generation: Number(r.generation),
        seq: Number(r.seq),
        bytes: u8(r.bytes),
      }));
    },
    async readItemStates() {
      // the GCM tag is the envelope's last 16 bytes: SQLite reads them without loading the ciphertexts
      return (q("SELECT id, revision, pending, deleted, seen_rev, substr(data, -16) AS tag FROM items").all() as Row[]).map((r) => ({
        id: r.id as ItemId,
        revision: Number(r.revision),
        pending: r.pending === 1,
        deleted: r.deleted === 1,
        seenRev: Number(r.seen_rev),
        tag: r.tag == null || u8(r.tag).length !== 16 ? undefined : u8(r.tag),
      }));
    },
    async findByTitleTag(tag) {
      return (q("SELECT id FROM title_tags WHERE tag = ?").all(tag) as Row[]).map((r) => r.id as ItemId);
    },
    async readQuarantine(): Promise<QuarantineEntry[]> {
      return (q("SELECT id, revision, reason, at FROM quarantine ORDER BY rowid").all() as Row[]).map((r) => ({
        id: r.id as string,
        revision: Number(r.revision),
        reason: r.reason as string,
        at: Number(r.at),
      }));
    },
    async write(batch) {
      transaction(() => apply(batch));
    },
    putSession(s) {
      db.exec("PRAGMA secure_delete = ON"); // an expired session's sealed key is overwritten, not freed
      transaction(() => {
        q("DELETE FROM sessions WHERE expires_at < ?").run(Date.now());
        q("INSERT OR REPLACE INTO sessions (id, sealed, created_at, expires_at) VALUES (?, ?, ?, ?)").run(
          s.id,
          s.sealed,
          s.createdAt,
          s.expiresAt,
        );
      });
    },
    readSession(id) {
      const r = q("SELECT id, sealed, created_at, expires_at FROM sessions WHERE id = ?").get(id) as Row | undefined;
      return r && { id: r.id as string, sealed: u8(r.sealed), createdAt: Number(r.created_at), expiresAt: Number(r.expires_at) };
    },
    deleteSessions() {
      // The sealed Account Keys are zeroed in place (not left in free pages), and the WAL is written back and
      // emptied, so a later copy of the vault file and an old session token together open nothing.
      db.exec("PRAGMA secure_delete = ON");
      const n = Number(q("DELETE FROM sessions").run().changes);
      db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
      return n;
    },
    changeMark() {
      const r = q("SELECT total_changes() AS n").get() as Row;
      return `${(q("PRAGMA data_version").get() as Row).data_version}:${r.n}`;
    },
    async close() {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
}
