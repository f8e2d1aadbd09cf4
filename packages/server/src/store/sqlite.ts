// The embedded store: one SQLite file (node:sqlite) in WAL mode with synchronous=FULL, so an acknowledged
// commit survives kill -9 and power loss. Rowid tables with indexed UUIDs (measured 9× faster than
// WITHOUT ROWID text keys). One server process per file; live events stay inside the process.
import { randomBytes, timingSafeEqual } from "node:crypto";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { DatabaseSync, type SQLInputValue, type StatementSync } from "node:sqlite";
import { pendingMigrations, VERSIONS_TABLE } from "./migrations.ts";
import type {
  Account,
  BlobRecord,
  ChallengePurpose,
  LiveEvent,
  MailCode,
  Manifest,
  PullPage,
  PushResult,
  PushWrite,
  ResetUpdate,
  RotationResult,
  Session,
  Store,
  StoredItem,
} from "./store.ts";
import { MAX_BLOBS, MAX_CODE_ATTEMPTS, MAX_MANIFESTS, PULL_PAGE_BYTES, STAGED_SLACK_BYTES } from "./store.ts";

type Row = Record<string, SQLInputValue>;

const toAccount = (r: Row): Account => ({
  id: r.id as string,
  email: r.email as string,
  authPublicKey: r.auth_public_key as string,
  verifier: r.verifier as string,
  wrappedEak: r.wrapped_eak as string,
  eakGeneration: Number(r.eak_generation),
  resetEpoch: Number(r.reset_epoch),
  revision: Number(r.revision),
  emailEnabled: Number(r.email_enabled) === 1,
  createdAt: Number(r.created_at),
  ...(r.kit == null ? {} : { kit: r.kit as string }),
});

const toSession = (r: Row): Session => ({
  id: r.id as string,
  accountId: r.account_id as string,
  deviceName: r.device_name as string,
  createdAt: Number(r.created_at),
  lastSeenAt: Number(r.last_seen_at),
  expiresAt: Number(r.expires_at),
});

const toItem = (r: Row): StoredItem => ({
  id: r.id as string,
  revision: Number(r.revision),
  data: r.data == null ? undefined : (r.data as Uint8Array),
});

const toBlob = (r: Row): BlobRecord => ({
  id: r.id as string,
  size: Number(r.size),
  received: Number(r.received),
  createdAt: Number(r.created_at),
});

/** Brings the file's schema up to date in one transaction (DDL is transactional in SQLite). */
function migrate(db: DatabaseSync): void {
  db.exec("BEGIN IMMEDIATE");
  try {
    db.exec(VERSIONS_TABLE);
    const current = Number(db.prepare("SELECT coalesce(max(version), 0) AS v FROM schema_migrations").get()?.v ?? 0);
    for (const m of pendingMigrations(current)) {
      db.exec(m.sqlite);
      db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)").run(m.version, m.name, Date.now());
    }
    db.exec("COMMIT");
  } catch (e) {
    db.exec("ROLLBACK");
    throw e;
  }
}

export function openSqliteStore(file: string): Store {
  if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
  const db = new DatabaseSync(file);
  db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;");
  migrate(db);
  const cache = new Map<string, StatementSync>();
  const q = (sql: string): StatementSync => {
    let s = cache.get(sql);
    if (!s) {
      s = db.prepare(sql);
      cache.set(sql, s);
    }
    return s;
  };
  const listeners: ((e: LiveEvent) => void)[] = [];

  /** Runs fn in one write transaction; any throw rolls everything back. */
  function tx<T>(fn: () => T): T {
    db.exec("BEGIN IMMEDIATE");
    try {
      const out = fn();
      db.exec("COMMIT");
      return out;
    } catch (e) {
      db.exec("ROLLBACK");
      throw e;
    }
  }
  const accountSeq = (id: string): number | undefined => {
    const r = q("SELECT seq FROM accounts WHERE id = ?").get(id);
    return r ? Number(r.seq) : undefined;
  };
  /** Ends every session of the account but `keep`, remembered with the reason those devices will be told. */
  const endOthersAs = (accountId: string, keep: string, reason: "reset" | "rotated") => {
    q(
      `INSERT OR IGNORE INTO ended_sessions (token_hash, account_id, reason, expires_at)
         SELECT token_hash, account_id, ?, expires_at FROM sessions WHERE account_id = ? AND id <> ?`,
    ).run(reason, accountId, keep);
    q("DELETE FROM sessions WHERE account_id = ? AND id <> ?").run(accountId, keep);
    q("DELETE FROM challenges WHERE account_id = ?").run(accountId);
  };
  const getAccount = (id: string) => {
    const r = q("SELECT * FROM accounts WHERE id = ?").get(id);
    return r ? toAccount(r) : undefined;
  };

  const store: Store = {
    kind: "sqlite",
    async serverSecret() {
      return tx(() => {
        const r = q("SELECT value FROM meta WHERE key = 'server_secret'").get();
        if (r) return new Uint8Array(r.value as Uint8Array);
        const secret = new Uint8Array(randomBytes(32));
        q("INSERT INTO meta (key, value) VALUES ('server_secret', ?)").run(secret);
        return secret;
      });
    },

    async createAccount(a, s, tokenHash) {
      return tx(() => {
        const exists = q("SELECT 1 FROM accounts WHERE id = ? OR email_lc = ?").get(a.id, a.email.toLowerCase());
        if (exists) return "taken" as const;
        q(
          `INSERT INTO accounts (id, email, email_lc, auth_public_key, verifier, wrapped_eak, eak_generation, reset_epoch,
             revision, email_enabled, created_at, kit) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          a.id,
          a.email,
          a.email.toLowerCase(),
          a.authPublicKey,
          a.verifier,
          a.wrappedEak,
          a.eakGeneration,
          a.resetEpoch,
          a.revision,
          a.emailEnabled ? 1 : 0,
          a.createdAt,
          a.kit ?? null,
        );
        insertSession(s, tokenHash);
        return "created" as const;
      });
    },
    async getAccount(id) {
      return getAccount(id);
    },
    async findAccountByEmail(email) {
      const r = q("SELECT * FROM accounts WHERE email_lc = ?").get(email.toLowerCase());
      return r ? toAccount(r) : undefined;
    },
    async changePassword(accountId, u) {
      return tx(() => {
        const a = getAccount(accountId);
        if (!a) return undefined;
        if (u.eakGeneration !== a.eakGeneration + 1) return "stale" as const;
        q("UPDATE accounts SET auth_public_key = ?, wrapped_eak = ?, eak_generation = ?, email_enabled = ?, kit = ? WHERE id = ?").run(
          u.authPublicKey,
          u.wrappedEak,
          u.eakGeneration,
          u.emailEnabled ? 1 : 0,
          u.kit ?? null,
          accountId,
        );
        return getAccount(accountId);
      });
    },
    async setEmailEnabled(accountId, enabled) {
      q("UPDATE accounts SET email_enabled = ? WHERE id = ?").run(enabled ? 1 : 0, accountId);
    },
    async resetAccount(accountId, u: ResetUpdate, keepSession) {
      return tx(() => {
        const seq = accountSeq(accountId);
        if (seq === undefined) return undefined;
        q("DELETE FROM items WHERE account_seq = ?").run(seq);
        q("DELETE FROM staged_items WHERE account_seq = ?").run(seq);
        q("DELETE FROM manifests WHERE account_seq = ?").run(seq);
        q("DELETE FROM sync_profiles WHERE account_seq = ?").run(seq);
        q("DELETE FROM blobs WHERE account_seq = ?").run(seq);
        endOthersAs(accountId, keepSession, "reset");
        q(
          `UPDATE accounts SET auth_public_key = ?, verifier = ?, wrapped_eak = ?, eak_generation = ?, email_enabled = ?,
             kit = ?, reset_epoch = reset_epoch + 1, used_bytes = 0 WHERE seq = ?`,
        ).run(u.authPublicKey, u.verifier, u.wrappedEak, u.eakGeneration, u.emailEnabled ? 1 : 0, u.kit ?? null, seq);
        return getAccount(accountId);
      });
    },
    async deleteAccount(accountId, endedBy) {
      return tx(() => {
        const seq = accountSeq(accountId);
        if (seq === undefined) return false;
        q("DELETE FROM items WHERE account_seq = ?").run(seq);
        q("DELETE FROM staged_items WHERE account_seq = ?").run(seq);
        q("DELETE FROM manifests WHERE account_seq = ?").run(seq);
        q("DELETE FROM sync_profiles WHERE account_seq = ?").run(seq);
        q("DELETE FROM blobs WHERE account_seq = ?").run(seq);
        if (endedBy === "reset")
          q(
            `INSERT OR IGNORE INTO ended_sessions (token_hash, account_id, reason, expires_at)
               SELECT token_hash, account_id, 'reset', expires_at FROM sessions WHERE account_id = ?`,
          ).run(accountId);
        else q("DELETE FROM ended_sessions WHERE account_id = ?").run(accountId);
        q("DELETE FROM sessions WHERE account_id = ?").run(accountId);
        q("DELETE FROM challenges WHERE account_id = ?").run(accountId);
        q("DELETE FROM accounts WHERE seq = ?").run(seq);
        return true;
      });
    },
    async stageRotation(accountId, newAuthKey, items) {
      return tx(() => {
        const seq = accountSeq(accountId);
        if (seq === undefined) return undefined;
        const put = q(
          `INSERT INTO staged_items (account_seq, id, rotation_key, revision, data)
             SELECT account_seq, id, ?, ?, ? FROM items
             WHERE account_seq = ? AND id = ? AND data IS NOT NULL AND length(data) + ? >= ?
           ON CONFLICT (account_seq, id) DO UPDATE SET rotation_key = excluded.rotation_key, revision = excluded.revision,
             data = excluded.data`,
        );
        let kept = 0;
        for (const it of items)
          kept += Number(put.run(newAuthKey, it.revision, it.data, seq, it.id, STAGED_SLACK_BYTES, it.data.length).changes);
        return kept;
      });
    },
    async discardRotation(accountId) {
      const seq = accountSeq(accountId);
      if (seq !== undefined) q("DELETE FROM staged_items WHERE account_seq = ?").run(seq);
    },
    async commitRotation(accountId, u, keepSession, limit) {
      return tx((): RotationResult => {
        const a = q("SELECT seq, revision, eak_generation FROM accounts WHERE id = ?").get(accountId);
        if (!a) return { kind: "no_account" };
        const seq = Number(a.seq);
        if (u.eakGeneration !== Number(a.eak_generation) + 1) return { kind: "stale" };
        const missing = q(
          `SELECT i.id FROM items i LEFT JOIN staged_items s ON s.account_seq = i.account_seq AND s.id = i.id
           WHERE i.account_seq = ? AND i.data IS NOT NULL AND (s.id IS NULL OR s.revision <> i.revision OR s.rotation_key <> ?) ORDER BY i.revision LIMIT ?`,
        ).all(seq, u.authPublicKey, limit);
        if (missing.length > 0) return { kind: "incomplete", items: missing.map((r) => r.id as string) };
        // every swapped item gets a new revision, so a device pulling by cursor sees it
        const swapped = q(
          `UPDATE items SET data = r.data, revision = ? + r.n FROM (
             SELECT i.seq AS iseq, s.data AS data, row_number() OVER (ORDER BY i.revision) AS n
             FROM items i JOIN staged_items s ON s.account_seq = i.account_seq AND s.id = i.id
             WHERE i.account_seq = ? AND i.data IS NOT NULL) AS r
           WHERE items.seq = r.iseq`,
        ).run(Number(a.revision), seq);
        q("DELETE FROM staged_items WHERE account_seq = ?").run(seq);
        q("DELETE FROM manifests WHERE account_seq = ?").run(seq);
        q("DELETE FROM sync_profiles WHERE account_seq = ?").run(seq);
        if (u.syncProfile)
          q("INSERT INTO sync_profiles (account_seq, data, updated_at) VALUES (?, ?, ?)").run(
            seq,
            u.syncProfile.data,
            u.syncProfile.updatedAt,
          );
        endOthersAs(accountId, keepSession, "rotated");
        q(
          `UPDATE accounts SET auth_public_key = ?, verifier = ?, wrapped_eak = ?, eak_generation = ?, email_enabled = ?,
             kit = ?, revision = revision + ? WHERE seq = ?`,
        ).run(
          u.authPublicKey,
          u.verifier,
          u.wrappedEak,
          u.eakGeneration,
          u.emailEnabled ? 1 : 0,
          u.kit ?? null,
          Number(swapped.changes),
          seq,
        );
        return { kind: "rotated", account: getAccount(accountId)! };
      });
    },

    async putMailCode(c: MailCode) {
      q(
        `INSERT INTO mail_codes (id, purpose, email, code_hash, payload, attempts, expires_at) VALUES (?, ?, ?, ?, ?, 0, ?)
           ON CONFLICT (id) DO UPDATE SET purpose = excluded.purpose, email = excluded.email, code_hash = excluded.code_hash,
             payload = excluded.payload, attempts = 0, expires_at = excluded.expires_at`,
      ).run(c.id, c.purpose, c.email, c.codeHash, c.payload, c.expiresAt);
    },
    async takeMailCode(id, purpose, codeHash, now) {
      return tx(() => {
        const r = q("SELECT * FROM mail_codes WHERE id = ? AND purpose = ? AND expires_at > ?").get(id, purpose, now);
        if (!r) return undefined;
        const stored = r.code_hash as Uint8Array;
        if (stored.length !== codeHash.length || !timingSafeEqual(stored, codeHash)) {
          if (Number(r.attempts) + 1 >= MAX_CODE_ATTEMPTS) q("DELETE FROM mail_codes WHERE id = ?").run(id);
          else q("UPDATE mail_codes SET attempts = attempts + 1 WHERE id = ?").run(id);
          return undefined;
        }
        q("DELETE FROM mail_codes WHERE id = ?").run(id);
        return { id, purpose, email: r.email as string, codeHash, payload: r.payload as string, expiresAt: Number(r.expires_at) };
      });
    },

    async putChallenge(challenge, accountId, purpose: ChallengePurpose, expiresAt) {
      q("INSERT INTO challenges (challenge, account_id, purpose, expires_at) VALUES (?, ?, ?, ?)").run(
        challenge,
        accountId,
        purpose,
        expiresAt,
      );
    },
    async takeChallenge(challenge, accountId, purpose, now) {
      const r = q("DELETE FROM challenges WHERE challenge = ? RETURNING account_id, purpose, expires_at").get(challenge);
      return !!r && r.account_id === accountId && r.purpose === purpose && Number(r.expires_at) > now;
    },

    async createSession(s, tokenHash) {
      insertSession(s, tokenHash);
    },
    async findSession(tokenHash, now) {
      const r = q("SELECT * FROM sessions WHERE token_hash = ?").get(tokenHash);
      if (!r || Number(r.expires_at) <= now) return undefined;
      return toSession(r);
    },
    async sessionEndedBy(tokenHash, now) {
      const r = q("SELECT reason, expires_at FROM ended_sessions WHERE token_hash = ?").get(tokenHash);
      if (!r || Number(r.expires_at) <= now) return undefined;
      return r.reason === "reset" || r.reason === "rotated" ? r.reason : undefined;
    },
    async touchSession(id, lastSeenAt, expiresAt) {
      q("UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE id = ?").run(lastSeenAt, expiresAt, id);
    },
    async listSessions(accountId, now) {
      return q("SELECT * FROM sessions WHERE account_id = ? AND expires_at > ? ORDER BY created_at, seq")
        .all(accountId, now)
        .map(toSession);
    },
    async revokeSession(accountId, sessionId) {
      const r = q("DELETE FROM sessions WHERE account_id = ? AND id = ?").run(accountId, sessionId);
      return Number(r.changes) > 0;
    },
    async endOtherSessions(accountId, keepSession) {
      return q("DELETE FROM sessions WHERE account_id = ? AND id <> ? RETURNING id")
        .all(accountId, keepSession)
        .map((r) => r.id as string);
    },

    async pull(accountId, since, limit): Promise<PullPage | undefined> {
      // One read transaction: the items and the account revision come from the same snapshot.
      db.exec("BEGIN");
      try {
        const a = q("SELECT seq, revision FROM accounts WHERE id = ?").get(accountId);
        if (!a) return undefined;
        const rows = q(
          // rows without data (a server-side delete flag of older versions, never obeyed by clients) are not served
          "SELECT id, revision, data FROM items WHERE account_seq = ? AND revision > ? AND data IS NOT NULL ORDER BY revision LIMIT ?",
        ).all(a.seq as number, since, limit + 1);
        const items: StoredItem[] = [];
        let bytes = 0;
        for (const r of rows) {
          if (items.length === limit || (items.length > 0 && bytes >= PULL_PAGE_BYTES)) break;
          const it = toItem(r);
          bytes += it.data?.length ?? 0;
          items.push(it);
        }
        return { items, revision: Number(a.revision), more: items.length < rows.length };
      } finally {
        db.exec("COMMIT");
      }
    },

    async push(accountId, writes: readonly PushWrite[], fromSession, quotaBytes = Number.POSITIVE_INFINITY): Promise<PushResult> {
      const result = tx((): PushResult => {
        const a = q("SELECT seq, revision, used_bytes FROM accounts WHERE id = ?").get(accountId);
        if (!a) return { kind: "no_account" };
        const seq = Number(a.seq);
        let revision = Number(a.revision);
        if (writes.some((w) => w.baseRevision > revision)) return { kind: "future" };
        const conflicts: StoredItem[] = [];
        let delta = 0;
        const get = q("SELECT id, revision, data FROM items WHERE account_seq = ? AND id = ?");
        for (const w of writes) {
          const cur = get.get(seq, w.id);
          const current = cur ? Number(cur.revision) : 0;
          if (current !== w.baseRevision) conflicts.push(cur ? toItem(cur) : { id: w.id, revision: 0, data: undefined });
          delta += w.data.length - ((cur?.data as Uint8Array | null | undefined)?.length ?? 0);
        }
        if (conflicts.length > 0) return { kind: "conflict", conflicts };
        const used = Number(a.used_bytes);
        if (delta > 0 && used + delta > quotaBytes) return { kind: "quota", used, quota: quotaBytes };
        const put = q(
          `INSERT INTO items (account_seq, id, revision, deleted, data) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (account_seq, id) DO UPDATE SET revision = excluded.revision, deleted = excluded.deleted, data = excluded.data`,
        );
        const applied: { id: string; revision: number }[] = [];
        for (const w of writes) {
          revision++;
          put.run(seq, w.id, revision, 0, w.data);
          applied.push({ id: w.id, revision });
        }
        q("UPDATE accounts SET revision = ?, used_bytes = used_bytes + ? WHERE seq = ?").run(revision, delta, seq);
        return { kind: "applied", revision, items: applied };
      });
      if (result.kind === "applied") await store.publish({ type: "revision", accountId, revision: result.revision, fromSession });
      return result;
    },

    async storageUsed(accountId) {
      const r = q("SELECT used_bytes FROM accounts WHERE id = ?").get(accountId);
      return r ? Number(r.used_bytes) : undefined;
    },

    async listManifests(accountId) {
      const seq = accountSeq(accountId);
      if (seq === undefined) return [];
      return q("SELECT device_id, data, updated_at FROM manifests WHERE account_seq = ? ORDER BY seq")
        .all(seq)
        .map((r) => ({ deviceId: r.device_id as string, data: r.data as Uint8Array, updatedAt: Number(r.updated_at) }));
    },
    async putManifest(accountId, m: Manifest, quotaBytes = Number.POSITIVE_INFINITY) {
      return tx(() => {
        const a = q("SELECT seq, used_bytes FROM accounts WHERE id = ?").get(accountId);
        if (!a) return "no_account" as const;
        const seq = Number(a.seq);
        const old = q("SELECT length(data) AS size FROM manifests WHERE account_seq = ? AND device_id = ?").get(seq, m.deviceId);
        if (!old && Number(q("SELECT count(*) AS n FROM manifests WHERE account_seq = ?").get(seq)!.n) >= MAX_MANIFESTS)
          return "too_many" as const;
        const delta = m.data.length - (old ? Number(old.size) : 0);
        if (delta > 0 && Number(a.used_bytes) + delta > quotaBytes) return "quota" as const;
        q("UPDATE accounts SET used_bytes = used_bytes + ? WHERE seq = ?").run(delta, seq);
        q(
          `INSERT INTO manifests (account_seq, device_id, data, updated_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (account_seq, device_id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at`,
        ).run(seq, m.deviceId, m.data, m.updatedAt);
        return "stored" as const;
      });
    },

    async createBlob(accountId, id, size, createdAt, quotaBytes = Number.POSITIVE_INFINITY) {
      return tx(() => {
        const a = q("SELECT seq, used_bytes FROM accounts WHERE id = ?").get(accountId);
        if (!a) return "no_account" as const;
        const seq = Number(a.seq);
        if (q("SELECT 1 FROM blobs WHERE account_seq = ? AND id = ?").get(seq, id)) return "exists" as const;
        if (Number(q("SELECT count(*) AS n FROM blobs WHERE account_seq = ?").get(seq)!.n) >= MAX_BLOBS) return "too_many" as const;
        if (Number(a.used_bytes) + size > quotaBytes) return "quota" as const;
        q("UPDATE accounts SET used_bytes = used_bytes + ? WHERE seq = ?").run(size, seq);
        q("INSERT INTO blobs (account_seq, id, size, received, created_at) VALUES (?, ?, ?, 0, ?)").run(seq, id, size, createdAt);
        return "created" as const;
      });
    },
    async getBlob(accountId, id) {
      const seq = accountSeq(accountId);
      if (seq === undefined) return undefined;
      const r = q("SELECT id, size, received, created_at FROM blobs WHERE account_seq = ? AND id = ?").get(seq, id);
      return r ? toBlob(r) : undefined;
    },
    async setBlobReceived(accountId, id, received) {
      const seq = accountSeq(accountId);
      if (seq !== undefined) q("UPDATE blobs SET received = min(size, ?) WHERE account_seq = ? AND id = ?").run(received, seq, id);
    },
    async deleteBlob(accountId, id) {
      return tx(() => {
        const seq = accountSeq(accountId);
        if (seq === undefined) return false;
        const r = q("DELETE FROM blobs WHERE account_seq = ? AND id = ? RETURNING size").get(seq, id);
        if (!r) return false;
        q("UPDATE accounts SET used_bytes = max(0, used_bytes - ?) WHERE seq = ?").run(Number(r.size), seq);
        return true;
      });
    },

    async dropStaleUploads(startedBefore, limit) {
      return tx(() => {
        const rows = q(
          `SELECT b.seq, b.account_seq, b.size, b.id, a.id AS account_id FROM blobs b JOIN accounts a ON a.seq = b.account_seq
           WHERE b.received < b.size AND b.created_at < ? LIMIT ?`,
        ).all(startedBefore, limit);
        for (const r of rows) {
          q("DELETE FROM blobs WHERE seq = ?").run(r.seq as number);
          q("UPDATE accounts SET used_bytes = max(0, used_bytes - ?) WHERE seq = ?").run(Number(r.size), r.account_seq as number);
        }
        return rows.map((r) => ({ accountId: r.account_id as string, id: r.id as string }));
      });
    },

    async getSyncProfile(accountId) {
      const seq = accountSeq(accountId);
      if (seq === undefined) return undefined;
      const r = q("SELECT data, updated_at FROM sync_profiles WHERE account_seq = ?").get(seq);
      return r ? { data: r.data as Uint8Array, updatedAt: Number(r.updated_at) } : undefined;
    },
    async putSyncProfile(accountId, data, updatedAt) {
      return tx(() => {
        const seq = accountSeq(accountId);
        if (seq === undefined) return "no_account" as const;
        q(
          `INSERT INTO sync_profiles (account_seq, data, updated_at) VALUES (?, ?, ?)
           ON CONFLICT (account_seq) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at`,
        ).run(seq, data, updatedAt);
        return "stored" as const;
      });
    },

    async publish(event) {
      for (const l of listeners) l(event);
    },
    subscribe(listener) {
      listeners.push(listener);
    },
    async sweep(now) {
      q("DELETE FROM challenges WHERE expires_at <= ?").run(now);
      q("DELETE FROM sessions WHERE expires_at <= ?").run(now);
      q("DELETE FROM ended_sessions WHERE expires_at <= ?").run(now);
      q("DELETE FROM mail_codes WHERE expires_at <= ?").run(now);
    },
    async close() {
      if (db.isOpen) db.close();
    },
  };

  function insertSession(s: Session, tokenHash: Uint8Array) {
    q(
      "INSERT INTO sessions (id, token_hash, account_id, device_name, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
    ).run(s.id, tokenHash, s.accountId, s.deviceName, s.createdAt, s.lastSeenAt, s.expiresAt);
  }
  return store;
}
