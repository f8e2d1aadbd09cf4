// The shared store: PostgreSQL (pg), so many stateless server processes can serve one database.
// Revisions are race-free by a row lock on the account (SELECT … FOR UPDATE) for the whole push
// transaction; live events travel between processes by NOTIFY, sent inside the same transaction.
import { randomBytes, timingSafeEqual } from "node:crypto";
import pg from "pg";
import { pendingMigrations, VERSIONS_TABLE } from "./migrations.ts";
import type {
  Account,
  BlobRecord,
  LiveEvent,
  MailCode,
  PullPage,
  PushResult,
  PushWrite,
  RotationResult,
  Session,
  Store,
  StoredItem,
} from "./store.ts";
import { MAX_BLOBS, MAX_CODE_ATTEMPTS, MAX_MANIFESTS, PULL_PAGE_BYTES, STAGED_SLACK_BYTES } from "./store.ts";

const CHANNEL = "cryptex_live";
// int8 values here are revisions and millisecond times: always below 2^53.
const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === 20 ? Number : pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
};

type Row = Record<string, unknown>;
const toAccount = (r: Row): Account => ({
  id: r.id as string,
  email: r.email as string,
  authPublicKey: r.auth_public_key as string,
  verifier: r.verifier as string,
  wrappedEak: r.wrapped_eak as string,
  eakGeneration: r.eak_generation as number,
  resetEpoch: r.reset_epoch as number,
  revision: r.revision as number,
  emailEnabled: r.email_enabled as boolean,
  createdAt: r.created_at as number,
  ...(r.kit == null ? {} : { kit: r.kit as string }),
});
const toSession = (r: Row): Session => ({
  id: r.id as string,
  accountId: r.account_id as string,
  deviceName: r.device_name as string,
  createdAt: r.created_at as number,
  lastSeenAt: r.last_seen_at as number,
  expiresAt: r.expires_at as number,
});
const toBlob = (r: Row): BlobRecord => ({
  id: r.id as string,
  size: Number(r.size),
  received: Number(r.received),
  createdAt: Number(r.created_at),
});

const toItem = (r: Row): StoredItem => ({
  id: r.id as string,
  revision: r.revision as number,
  data: r.data == null ? undefined : new Uint8Array(r.data as Buffer),
});
const buf = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

export async function openPostgresStore(url: string, onError: (e: Error) => void = () => {}): Promise<Store> {
  const pool = new pg.Pool({ connectionString: url, max: 10, types });
  pool.on("error", onError);
  async function tx<T>(fn: (c: pg.PoolClient) => Promise<T>, begin = "BEGIN"): Promise<T> {
    const c = await pool.connect();
    try {
      await c.query(begin);
      const out = await fn(c);
      await c.query("COMMIT");
      return out;
    } catch (e) {
      await c.query("ROLLBACK").catch(() => {});
      throw e;
    } finally {
      c.release();
    }
  }
  await tx(async (c) => {
    await c.query("SELECT pg_advisory_xact_lock(7355608)"); // two processes starting together must not race on DDL
    await c.query(VERSIONS_TABLE);
    const { rows } = await c.query("SELECT coalesce(max(version), 0) AS v FROM schema_migrations");
    for (const m of pendingMigrations(Number(rows[0]?.v ?? 0))) {
      await c.query(m.postgres);
      await c.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)", [m.version, m.name, Date.now()]);
    }
  }).catch(async (e) => {
    await pool.end();
    throw e;
  });

  const listeners: ((e: LiveEvent) => void)[] = [];
  let listener: pg.Client | undefined;
  let closed = false;
  async function listen(): Promise<void> {
    const c = new pg.Client({ connectionString: url, types });
    c.on("notification", (n) => {
      if (n.channel !== CHANNEL || !n.payload) return;
      let e: LiveEvent;
      try {
        e = JSON.parse(n.payload) as LiveEvent;
      } catch {
        return;
      }
      for (const l of listeners) l(e);
    });
    c.on("error", (e) => {
      onError(e);
      if (!closed) setTimeout(() => listen().catch(onError), 1000).unref();
    });
    await c.connect();
    await c.query(`LISTEN ${CHANNEL}`);
    listener = c;
  }
  await listen();

  const one = async (sql: string, params: unknown[] = []) => (await pool.query(sql, params)).rows[0] as Row | undefined;
  /** Ends every session of the account but `keep`, remembered with the reason those devices will be told. */
  async function endOthersAs(c: pg.PoolClient, accountId: string, keep: string, reason: "reset" | "rotated"): Promise<void> {
    await c.query(
      `INSERT INTO ended_sessions (token_hash, account_id, reason, expires_at)
         SELECT token_hash, account_id, $3, expires_at FROM sessions WHERE account_id = $1 AND id <> $2
       ON CONFLICT (token_hash) DO NOTHING`,
      [accountId, keep, reason],
    );
    await c.query("DELETE FROM sessions WHERE account_id = $1 AND id <> $2", [accountId, keep]);
    await c.query("DELETE FROM challenges WHERE account_id = $1", [accountId]);
  }
  const getAccount = async (id: string) => {
    const r = await one("SELECT * FROM accounts WHERE id = $1", [id]);
    return r ? toAccount(r) : undefined;
  };

  return {
    kind: "postgres",
    async serverSecret() {
      await pool.query("INSERT INTO meta (key, value) VALUES ('server_secret', $1) ON CONFLICT DO NOTHING", [randomBytes(32)]);
      const r = await one("SELECT value FROM meta WHERE key = 'server_secret'");
      return new Uint8Array(r!.value as Buffer);
    },
    async createAccount(a, s, tokenHash) {
      try {
        await tx(async (c) => {
          await c.query(
            `INSERT INTO accounts (id, email, email_lc, auth_public_key, verifier, wrapped_eak, eak_generation, reset_epoch,
               revision, email_enabled, created_at, kit) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
            [
              a.id,
              a.email,
              a.email.toLowerCase(),
              a.authPublicKey,
              a.verifier,
              a.wrappedEak,
              a.eakGeneration,
              a.resetEpoch,
              a.revision,
              a.emailEnabled,
              a.createdAt,
              a.kit ?? null,
            ],
          );
          await insertSession(c, s, tokenHash);
        });
        return "created";
      } catch (e) {
        if ((e as { code?: string }).code === "23505") return "taken";
        throw e;
      }
    },
    getAccount,
    async findAccountByEmail(email) {
      const r = await one("SELECT * FROM accounts WHERE email_lc = $1", [email.toLowerCase()]);
      return r ? toAccount(r) : undefined;
    },
    async changePassword(accountId, u) {
      return tx(async (c) => {
        const r = (await c.query("SELECT eak_generation FROM accounts WHERE id = $1 FOR UPDATE", [accountId])).rows[0];
        if (!r) return undefined;
        if (u.eakGeneration !== r.eak_generation + 1) return "stale" as const;
        const n = await c.query(
          "UPDATE accounts SET auth_public_key = $1, wrapped_eak = $2, eak_generation = $3, email_enabled = $4, kit = $5 WHERE id = $6 RETURNING *",
          [u.authPublicKey, u.wrappedEak, u.eakGeneration, u.emailEnabled, u.kit ?? null, accountId],
        );
        return toAccount(n.rows[0]);
      });
    },
    async setEmailEnabled(accountId, enabled) {
      await pool.query("UPDATE accounts SET email_enabled = $1 WHERE id = $2", [enabled, accountId]);
    },
    async resetAccount(accountId, u, keepSession) {
      return tx(async (c) => {
        const r = (await c.query("SELECT seq FROM accounts WHERE id = $1 FOR UPDATE", [accountId])).rows[0];
        if (!r) return undefined;
        await c.query("DELETE FROM items WHERE account_seq = $1", [r.seq]);
        await c.query("DELETE FROM staged_items WHERE account_seq = $1", [r.seq]);
        await c.query("DELETE FROM manifests WHERE account_seq = $1", [r.seq]);
        await c.query("DELETE FROM sync_profiles WHERE account_seq = $1", [r.seq]);
        await c.query("DELETE FROM blobs WHERE account_seq = $1", [r.seq]);
        await endOthersAs(c, accountId, keepSession, "reset");
        const n = await c.query(
          `UPDATE accounts SET auth_public_key = $1, verifier = $2, wrapped_eak = $3, eak_generation = $4, email_enabled = $5,
             kit = $6, reset_epoch = reset_epoch + 1, used_bytes = 0 WHERE seq = $7 RETURNING *`,
          [u.authPublicKey, u.verifier, u.wrappedEak, u.eakGeneration, u.emailEnabled, u.kit ?? null, r.seq],
        );
        return toAccount(n.rows[0]);
      });
    },
    async deleteAccount(accountId, endedBy) {
      return tx(async (c) => {
        const r = (await c.query("SELECT seq FROM accounts WHERE id = $1 FOR UPDATE", [accountId])).rows[0];
        if (!r) return false;
        await c.query("DELETE FROM items WHERE account_seq = $1", [r.seq]);
        await c.query("DELETE FROM staged_items WHERE account_seq = $1", [r.seq]);
        await c.query("DELETE FROM manifests WHERE account_seq = $1", [r.seq]);
        await c.query("DELETE FROM sync_profiles WHERE account_seq = $1", [r.seq]);
        await c.query("DELETE FROM blobs WHERE account_seq = $1", [r.seq]);
        if (endedBy === "reset")
          await c.query(
            `INSERT INTO ended_sessions (token_hash, account_id, reason, expires_at)
               SELECT token_hash, account_id, 'reset', expires_at FROM sessions WHERE account_id = $1 ON CONFLICT DO NOTHING`,
            [accountId],
          );
        else await c.query("DELETE FROM ended_sessions WHERE account_id = $1", [accountId]);
        await c.query("DELETE FROM sessions WHERE account_id = $1", [accountId]);
        await c.query("DELETE FROM challenges WHERE account_id = $1", [accountId]);
        await c.query("DELETE FROM accounts WHERE seq = $1", [r.seq]);
        return true;
      });
    },
    async stageRotation(accountId, newAuthKey, items) {
      return tx(async (c) => {
        const a = (await c.query("SELECT seq FROM accounts WHERE id = $1", [accountId])).rows[0];
        if (!a) return undefined;
        if (items.length === 0) return 0;
        const r = await c.query(
          `INSERT INTO staged_items (account_seq, rotation_key, id, revision, data)
           SELECT $1, $2, s.id, s.revision, s.data FROM unnest($3::uuid[], $4::bigint[], $5::bytea[]) AS s(id, revision, data)
             JOIN items i ON i.account_seq = $1 AND i.id = s.id
             WHERE i.data IS NOT NULL AND octet_length(s.data) <= octet_length(i.data) + $6
           ON CONFLICT (account_seq, id) DO UPDATE SET rotation_key = excluded.rotation_key, revision = excluded.revision,
             data = excluded.data`,
          [a.seq, newAuthKey, items.map((i) => i.id), items.map((i) => i.revision), items.map((i) => buf(i.data)), STAGED_SLACK_BYTES],
        );
        return r.rowCount ?? 0;
      });
    },
    async discardRotation(accountId) {
      await pool.query("DELETE FROM staged_items WHERE account_seq = (SELECT seq FROM accounts WHERE id = $1)", [accountId]);
    },
    async commitRotation(accountId, u, keepSession, limit) {
      return tx(async (c): Promise<RotationResult> => {
        const a = (await c.query("SELECT seq, revision, eak_generation FROM accounts WHERE id = $1 FOR UPDATE", [accountId])).rows[0];
        if (!a) return { kind: "no_account" };
        if (u.eakGeneration !== a.eak_generation + 1) return { kind: "stale" };
        const missing = await c.query(
          `SELECT i.id FROM items i LEFT JOIN staged_items s ON s.account_seq = i.account_seq AND s.id = i.id
           WHERE i.account_seq = $1 AND i.data IS NOT NULL AND (s.id IS NULL OR s.revision <> i.revision OR s.rotation_key <> $3) ORDER BY i.revision LIMIT $2`,
          [a.seq, limit, u.authPublicKey],
        );
        if (missing.rows.length > 0) return { kind: "incomplete", items: missing.rows.map((r) => r.id as string) };
        // every swapped item gets a new revision, so a device pulling by cursor sees it
        const swapped = await c.query(
          `UPDATE items SET data = r.data, revision = $1 + r.n FROM (
             SELECT i.seq AS iseq, s.data AS data, row_number() OVER (ORDER BY i.revision) AS n
             FROM items i JOIN staged_items s ON s.account_seq = i.account_seq AND s.id = i.id
             WHERE i.account_seq = $2 AND i.data IS NOT NULL) AS r
           WHERE items.seq = r.iseq`,
          [a.revision, a.seq],
        );
        await c.query("DELETE FROM staged_items WHERE account_seq = $1", [a.seq]);
        await c.query("DELETE FROM manifests WHERE account_seq = $1", [a.seq]);
        await c.query("DELETE FROM sync_profiles WHERE account_seq = $1", [a.seq]);
        if (u.syncProfile)
          await c.query("INSERT INTO sync_profiles (account_seq, data, updated_at) VALUES ($1, $2, $3)", [
            a.seq,
            buf(u.syncProfile.data),
            u.syncProfile.updatedAt,
          ]);
        await endOthersAs(c, accountId, keepSession, "rotated");
        const n = await c.query(
          `UPDATE accounts SET auth_public_key = $1, verifier = $2, wrapped_eak = $3, eak_generation = $4, email_enabled = $5,
             kit = $6, revision = revision + $7 WHERE seq = $8 RETURNING *`,
          [u.authPublicKey, u.verifier, u.wrappedEak, u.eakGeneration, u.emailEnabled, u.kit ?? null, swapped.rowCount ?? 0, a.seq],
        );
        return { kind: "rotated", account: toAccount(n.rows[0]) };
      });
    },

    async putMailCode(m: MailCode) {
      await pool.query(
        `INSERT INTO mail_codes (id, purpose, email, code_hash, payload, attempts, expires_at) VALUES ($1, $2, $3, $4, $5, 0, $6)
           ON CONFLICT (id) DO UPDATE SET purpose = excluded.purpose, email = excluded.email, code_hash = excluded.code_hash,
             payload = excluded.payload, attempts = 0, expires_at = excluded.expires_at`,
        [m.id, m.purpose, m.email, buf(m.codeHash), m.payload, m.expiresAt],
      );
    },
    async takeMailCode(id, purpose, codeHash, now) {
      return tx(async (c) => {
        const r = (
          await c.query("SELECT * FROM mail_codes WHERE id = $1 AND purpose = $2 AND expires_at > $3 FOR UPDATE", [id, purpose, now])
        ).rows[0];
        if (!r) return undefined;
        const stored = r.code_hash as Buffer;
        if (stored.length !== codeHash.length || !timingSafeEqual(stored, codeHash)) {
          if ((r.attempts as number) + 1 >= MAX_CODE_ATTEMPTS) await c.query("DELETE FROM mail_codes WHERE id = $1", [id]);
          else await c.query("UPDATE mail_codes SET attempts = attempts + 1 WHERE id = $1", [id]);
          return undefined;
        }
        await c.query("DELETE FROM mail_codes WHERE id = $1", [id]);
        return { id, purpose, email: r.email as string, codeHash, payload: r.payload as string, expiresAt: r.expires_at as number };
      });
    },

    async putChallenge(challenge, accountId, purpose, expiresAt) {
      await pool.query("INSERT INTO challenges (challenge, account_id, purpose, expires_at) VALUES ($1, $2, $3, $4)", [
        buf(challenge),
        accountId,
        purpose,
        expiresAt,
      ]);
    },
    async takeChallenge(challenge, accountId, purpose, now) {
      const r = await one("DELETE FROM challenges WHERE challenge = $1 RETURNING account_id, purpose, expires_at", [buf(challenge)]);
      return !!r && r.account_id === accountId && r.purpose === purpose && (r.expires_at as number) > now;
    },

    async createSession(s, tokenHash) {
      const c = await pool.connect();
      try {
        await insertSession(c, s, tokenHash);
      } finally {
        c.release();
      }
    },
    async findSession(tokenHash, now) {
      const r = await one("SELECT * FROM sessions WHERE token_hash = $1", [buf(tokenHash)]);
      if (!r || (r.expires_at as number) <= now) return undefined;
      return toSession(r);
    },
    async sessionEndedBy(tokenHash, now) {
      const r = await one("SELECT reason, expires_at FROM ended_sessions WHERE token_hash = $1", [buf(tokenHash)]);
      if (!r || Number(r.expires_at) <= now) return undefined;
      return r.reason === "reset" || r.reason === "rotated" ? r.reason : undefined;
    },
    async touchSession(id, lastSeenAt, expiresAt) {
      await pool.query("UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE id = $3", [lastSeenAt, expiresAt, id]);
    },
    async listSessions(accountId, now) {
      const r = await pool.query("SELECT * FROM sessions WHERE account_id = $1 AND expires_at > $2 ORDER BY created_at, seq", [
        accountId,
        now,
      ]);
      return r.rows.map(toSession);
    },
    async revokeSession(accountId, sessionId) {
      const r = await pool.query("DELETE FROM sessions WHERE account_id = $1 AND id = $2", [accountId, sessionId]);
      return (r.rowCount ?? 0) > 0;
    },
    async endOtherSessions(accountId, keepSession) {
      const r = await pool.query("DELETE FROM sessions WHERE account_id = $1 AND id <> $2 RETURNING id", [accountId, keepSession]);
      return r.rows.map((x) => x.id as string);
    },

    async pull(accountId, since, limit): Promise<PullPage | undefined> {
      // REPEATABLE READ: the items and the account revision come from one snapshot.
      return tx(async (c) => {
        const a = (await c.query("SELECT seq, revision FROM accounts WHERE id = $1", [accountId])).rows[0];
        if (!a) return undefined;
        const rows = (
          await c.query(
            // rows without data (a server-side delete flag of older versions, never obeyed by clients) are not served
            "SELECT id, revision, data FROM items WHERE account_seq = $1 AND revision > $2 AND data IS NOT NULL ORDER BY revision LIMIT $3",
            [a.seq, since, limit + 1],
          )
        ).rows;
        const items: StoredItem[] = [];
        let bytes = 0;
        for (const r of rows) {
          if (items.length === limit || (items.length > 0 && bytes >= PULL_PAGE_BYTES)) break;
          const it = toItem(r);
          bytes += it.data?.length ?? 0;
          items.push(it);
        }
        return { items, revision: a.revision as number, more: items.length < rows.length };
      }, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    },

    async push(accountId, writes: readonly PushWrite[], fromSession, quotaBytes = Number.POSITIVE_INFINITY): Promise<PushResult> {
      return tx(async (c): Promise<PushResult> => {
        const a = (await c.query("SELECT seq, revision, used_bytes FROM accounts WHERE id = $1 FOR UPDATE", [accountId])).rows[0];
        if (!a) return { kind: "no_account" };
        let revision = a.revision as number;
        if (writes.some((w) => w.baseRevision > revision)) return { kind: "future" };
        const ids = writes.map((w) => w.id);
        const cur = new Map<string, StoredItem>();
        for (const r of (
          await c.query("SELECT id, revision, data FROM items WHERE account_seq = $1 AND id = ANY($2::uuid[])", [a.seq, ids])
        ).rows) {
          cur.set(r.id, toItem(r));
        }
        const conflicts: StoredItem[] = [];
        let delta = 0;
        for (const w of writes) {
          const now = cur.get(w.id);
          if ((now?.revision ?? 0) !== w.baseRevision) conflicts.push(now ?? { id: w.id, revision: 0, data: undefined });
          delta += w.data.length - (now?.data?.length ?? 0);
        }
        if (conflicts.length > 0) return { kind: "conflict", conflicts };
        const used = a.used_bytes as number;
        if (delta > 0 && used + delta > quotaBytes) return { kind: "quota", used, quota: quotaBytes };
        const applied = writes.map((w) => ({ id: w.id, revision: ++revision }));
        await c.query(
          `INSERT INTO items (account_seq, id, revision, deleted, data)
           SELECT $1, * FROM unnest($2::uuid[], $3::bigint[], $4::boolean[], $5::bytea[])
           ON CONFLICT (account_seq, id) DO UPDATE SET revision = excluded.revision, deleted = excluded.deleted, data = excluded.data`,
          [a.seq, ids, applied.map((x) => x.revision), writes.map(() => false), writes.map((w) => buf(w.data))],
        );
        await c.query("UPDATE accounts SET revision = $1, used_bytes = used_bytes + $2 WHERE seq = $3", [revision, delta, a.seq]);
        const event: LiveEvent = { type: "revision", accountId, revision, fromSession };
        await c.query("SELECT pg_notify($1, $2)", [CHANNEL, JSON.stringify(event)]); // delivered on commit only
        return { kind: "applied", revision, items: applied };
      });
    },

    async storageUsed(accountId) {
      const r = await one("SELECT used_bytes FROM accounts WHERE id = $1", [accountId]);
      return r ? (r.used_bytes as number) : undefined;
    },
    async listManifests(accountId) {
      const r = await pool.query(
        "SELECT m.device_id, m.data, m.updated_at FROM manifests m JOIN accounts a ON a.seq = m.account_seq WHERE a.id = $1 ORDER BY m.seq",
        [accountId],
      );
      return r.rows.map((x) => ({
        deviceId: x.device_id as string,
        data: new Uint8Array(x.data as Buffer),
        updatedAt: x.updated_at as number,
      }));
    },
    async createBlob(accountId, id, size, createdAt, quotaBytes = Number.POSITIVE_INFINITY) {
      return tx(async (c) => {
        const a = (await c.query("SELECT seq, used_bytes FROM accounts WHERE id = $1 FOR UPDATE", [accountId])).rows[0];
        if (!a) return "no_account" as const;
        if ((await c.query("SELECT 1 FROM blobs WHERE account_seq = $1 AND id = $2", [a.seq, id])).rows[0]) return "exists" as const;
        const n = (await c.query("SELECT count(*)::int AS n FROM blobs WHERE account_seq = $1", [a.seq])).rows[0].n as number;
        if (n >= MAX_BLOBS) return "too_many" as const;
        if (Number(a.used_bytes) + size > quotaBytes) return "quota" as const;
        await c.query("UPDATE accounts SET used_bytes = used_bytes + $1 WHERE seq = $2", [size, a.seq]);
        await c.query("INSERT INTO blobs (account_seq, id, size, received, created_at) VALUES ($1, $2, $3, 0, $4)", [
          a.seq,
          id,
          size,
          createdAt,
        ]);
        return "created" as const;
      });
    },
    async getBlob(accountId, id) {
      const r = await one(
        "SELECT b.id, b.size, b.received, b.created_at FROM blobs b JOIN accounts a ON a.seq = b.account_seq WHERE a.id = $1 AND b.id = $2",
        [accountId, id],
      );
      return r ? toBlob(r) : undefined;
    },
    async setBlobReceived(accountId, id, received) {
      await pool.query(
        "UPDATE blobs SET received = least(size, $1) WHERE account_seq = (SELECT seq FROM accounts WHERE id = $2) AND id = $3",
        [received, accountId, id],
      );
    },
    async deleteBlob(accountId, id) {
      return tx(async (c) => {
        const a = (await c.query("SELECT seq FROM accounts WHERE id = $1 FOR UPDATE", [accountId])).rows[0];
        if (!a) return false;
        const r = (await c.query("DELETE FROM blobs WHERE account_seq = $1 AND id = $2 RETURNING size", [a.seq, id])).rows[0];
        if (!r) return false;
        await c.query("UPDATE accounts SET used_bytes = greatest(0, used_bytes - $1) WHERE seq = $2", [r.size, a.seq]);
        return true;
      });
    },
    async dropStaleUploads(startedBefore, limit) {
      return tx(async (c) => {
        const rows = (
          await c.query(
            `DELETE FROM blobs WHERE seq IN (SELECT seq FROM blobs WHERE received < size AND created_at < $1 LIMIT $2)
             RETURNING account_seq, id, size`,
            [startedBefore, limit],
          )
        ).rows as { account_seq: string; id: string; size: string }[];
        const out: { accountId: string; id: string }[] = [];
        for (const r of rows) {
          const a = await c.query("UPDATE accounts SET used_bytes = greatest(0, used_bytes - $1) WHERE seq = $2 RETURNING id", [
            r.size,
            r.account_seq,
          ]);
          if (a.rows[0]) out.push({ accountId: a.rows[0].id as string, id: r.id });
        }
        return out;
      });
    },
    async getSyncProfile(accountId) {
      const r = await one("SELECT p.data, p.updated_at FROM sync_profiles p JOIN accounts a ON a.seq = p.account_seq WHERE a.id = $1", [
        accountId,
      ]);
      return r ? { data: new Uint8Array(r.data as Buffer), updatedAt: Number(r.updated_at) } : undefined;
    },
    async putSyncProfile(accountId, data, updatedAt) {
      return tx(async (c) => {
        const a = (await c.query("SELECT seq FROM accounts WHERE id = $1 FOR UPDATE", [accountId])).rows[0];
        if (!a) return "no_account" as const;
        await c.query(
          `INSERT INTO sync_profiles (account_seq, data, updated_at) VALUES ($1, $2, $3)
           ON CONFLICT (account_seq) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at`,
          [a.seq, buf(data), updatedAt],
        );
        return "stored" as const;
      });
    },
    async putManifest(accountId, m, quotaBytes = Number.POSITIVE_INFINITY) {
      return tx(async (c) => {
        const a = (await c.query("SELECT seq, used_bytes FROM accounts WHERE id = $1 FOR UPDATE", [accountId])).rows[0];
        if (!a) return "no_account" as const;
        const old = (
          await c.query("SELECT octet_length(data) AS size FROM manifests WHERE account_seq = $1 AND device_id = $2", [a.seq, m.deviceId])
        ).rows[0];
        if (!old) {
          const n = (await c.query("SELECT count(*)::int AS n FROM manifests WHERE account_seq = $1", [a.seq])).rows[0].n as number;
          if (n >= MAX_MANIFESTS) return "too_many" as const;
        }
        const delta = m.data.length - ((old?.size as number | undefined) ?? 0);
        if (delta > 0 && (a.used_bytes as number) + delta > quotaBytes) return "quota" as const;
        await c.query("UPDATE accounts SET used_bytes = used_bytes + $1 WHERE seq = $2", [delta, a.seq]);
        await c.query(
          `INSERT INTO manifests (account_seq, device_id, data, updated_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (account_seq, device_id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at`,
          [a.seq, m.deviceId, buf(m.data), m.updatedAt],
        );
        return "stored" as const;
      });
    },

    async publish(event) {
      await pool.query("SELECT pg_notify($1, $2)", [CHANNEL, JSON.stringify(event)]);
    },
    subscribe(l) {
      listeners.push(l);
    },
    async sweep(now) {
      await pool.query("DELETE FROM challenges WHERE expires_at <= $1", [now]);
      await pool.query("DELETE FROM sessions WHERE expires_at <= $1", [now]);
      await pool.query("DELETE FROM ended_sessions WHERE expires_at <= $1", [now]);
      await pool.query("DELETE FROM mail_codes WHERE expires_at <= $1", [now]);
    },
    async close() {
      closed = true;
      await listener?.end().catch(() => {});
      await pool.end();
    },
  };
}

async function insertSession(c: pg.PoolClient, s: Session, tokenHash: Uint8Array) {
  await c.query(
    "INSERT INTO sessions (id, token_hash, account_id, device_name, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    [s.id, buf(tokenHash), s.accountId, s.deviceName, s.createdAt, s.lastSeenAt, s.expiresAt],
  );
}
