// The server's schema history: one ordered list of migrations, each written for SQLite and for PostgreSQL side by
// side. A store applies the ones its database lacks at start-up, in one transaction, and refuses a database made
// by a newer server. Never edit a migration that has shipped: add a new one at the end.
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sqlite: string;
  readonly postgres: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    // The schema from before versions were recorded: CREATE … IF NOT EXISTS, so a database made then adopts it as is.
    version: 1,
    name: "accounts, sessions, challenges, items, manifests",
    sqlite: `
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
      CREATE TABLE IF NOT EXISTS accounts (
        seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, email TEXT NOT NULL, email_lc TEXT NOT NULL UNIQUE,
        auth_public_key TEXT NOT NULL, verifier TEXT NOT NULL, wrapped_eak TEXT NOT NULL, eak_generation INTEGER NOT NULL,
        reset_epoch INTEGER NOT NULL, revision INTEGER NOT NULL, email_enabled INTEGER NOT NULL, created_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS sessions (
        seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, token_hash BLOB NOT NULL UNIQUE, account_id TEXT NOT NULL,
        device_name TEXT NOT NULL, created_at INTEGER NOT NULL, last_seen_at INTEGER NOT NULL, expires_at INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS sessions_account ON sessions (account_id);
      CREATE TABLE IF NOT EXISTS ended_sessions (
        seq INTEGER PRIMARY KEY, token_hash BLOB NOT NULL UNIQUE, account_id TEXT NOT NULL, reason TEXT NOT NULL, expires_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS challenges (
        seq INTEGER PRIMARY KEY, challenge BLOB NOT NULL UNIQUE, account_id TEXT NOT NULL, purpose TEXT NOT NULL, expires_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS items (
        seq INTEGER PRIMARY KEY, account_seq INTEGER NOT NULL, id TEXT NOT NULL, revision INTEGER NOT NULL,
        deleted INTEGER NOT NULL, data BLOB);
      CREATE UNIQUE INDEX IF NOT EXISTS items_id ON items (account_seq, id);
      CREATE INDEX IF NOT EXISTS items_revision ON items (account_seq, revision);
      CREATE TABLE IF NOT EXISTS manifests (
        seq INTEGER PRIMARY KEY, account_seq INTEGER NOT NULL, device_id TEXT NOT NULL, data BLOB NOT NULL, updated_at INTEGER NOT NULL);
      CREATE UNIQUE INDEX IF NOT EXISTS manifests_device ON manifests (account_seq, device_id);
    `,
    postgres: `
      CREATE TABLE IF NOT EXISTS meta (key text PRIMARY KEY, value bytea NOT NULL);
      CREATE TABLE IF NOT EXISTS accounts (
        seq bigserial PRIMARY KEY, id uuid NOT NULL UNIQUE, email text NOT NULL, email_lc text NOT NULL UNIQUE,
        auth_public_key text NOT NULL, verifier text NOT NULL, wrapped_eak text NOT NULL, eak_generation integer NOT NULL,
        reset_epoch integer NOT NULL, revision bigint NOT NULL, email_enabled boolean NOT NULL, created_at bigint NOT NULL);
      CREATE TABLE IF NOT EXISTS sessions (
        seq bigserial PRIMARY KEY, id uuid NOT NULL UNIQUE, token_hash bytea NOT NULL UNIQUE, account_id uuid NOT NULL,
        device_name text NOT NULL, created_at bigint NOT NULL, last_seen_at bigint NOT NULL, expires_at bigint NOT NULL);
      CREATE INDEX IF NOT EXISTS sessions_account ON sessions (account_id);
      CREATE TABLE IF NOT EXISTS ended_sessions (
        seq bigserial PRIMARY KEY, token_hash bytea NOT NULL UNIQUE, account_id uuid NOT NULL, reason text NOT NULL, expires_at bigint NOT NULL);
      CREATE TABLE IF NOT EXISTS challenges (
        challenge bytea PRIMARY KEY, account_id uuid NOT NULL, purpose text NOT NULL, expires_at bigint NOT NULL);
      CREATE TABLE IF NOT EXISTS items (
        seq bigserial PRIMARY KEY, account_seq bigint NOT NULL, id uuid NOT NULL, revision bigint NOT NULL,
        deleted boolean NOT NULL, data bytea);
      CREATE UNIQUE INDEX IF NOT EXISTS items_id ON items (account_seq, id);
      CREATE INDEX IF NOT EXISTS items_revision ON items (account_seq, revision);
      CREATE TABLE IF NOT EXISTS manifests (
        seq bigserial PRIMARY KEY, account_seq bigint NOT NULL, device_id uuid NOT NULL, data bytea NOT NULL, updated_at bigint NOT NULL);
      CREATE UNIQUE INDEX IF NOT EXISTS manifests_device ON manifests (account_seq, device_id);
    `,
  },
  {
    // The storage quota: bytes each account holds, kept by every write; filled from what older databases hold.
    version: 2,
    name: "accounts.used_bytes",
    sqlite: `
      ALTER TABLE accounts ADD COLUMN used_bytes INTEGER NOT NULL DEFAULT 0;
      UPDATE accounts SET used_bytes =
        coalesce((SELECT sum(length(data)) FROM items WHERE account_seq = accounts.seq), 0) +
        coalesce((SELECT sum(length(data)) FROM manifests WHERE account_seq = accounts.seq), 0);
    `,
    postgres: `
      ALTER TABLE accounts ADD COLUMN used_bytes bigint NOT NULL DEFAULT 0;
      UPDATE accounts SET used_bytes =
        coalesce((SELECT sum(octet_length(data)) FROM items WHERE account_seq = accounts.seq), 0) +
        coalesce((SELECT sum(octet_length(data)) FROM manifests WHERE account_seq = accounts.seq), 0);
    `,
  },
  {
    // Codes mailed to confirm a sign-up or a forgotten-password erase: one use, bounded attempts, expiry.
    version: 3,
    name: "mail_codes",
    sqlite: `
      CREATE TABLE mail_codes (
        seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, purpose TEXT NOT NULL, email TEXT NOT NULL, code_hash BLOB NOT NULL,
        payload TEXT NOT NULL, attempts INTEGER NOT NULL, expires_at INTEGER NOT NULL);
    `,
    postgres: `
      CREATE TABLE mail_codes (
        id text PRIMARY KEY, purpose text NOT NULL, email text NOT NULL, code_hash bytea NOT NULL, payload text NOT NULL,
        attempts integer NOT NULL, expires_at bigint NOT NULL);
    `,
  },
  {
    // The fingerprint of the account's current Emergency Kit (sent by the client; NULL: unknown for older accounts).
    version: 4,
    name: "accounts.kit",
    sqlite: "ALTER TABLE accounts ADD COLUMN kit TEXT;",
    postgres: "ALTER TABLE accounts ADD COLUMN kit text;",
  },
  {
    // Account Key rotation: re-encrypted copies staged per item, switched in one transaction.
    version: 5,
    name: "staged_items",
    sqlite: `
      CREATE TABLE staged_items (
        seq INTEGER PRIMARY KEY, account_seq INTEGER NOT NULL, id TEXT NOT NULL, rotation_key TEXT NOT NULL, revision INTEGER NOT NULL,
        data BLOB NOT NULL);
      CREATE UNIQUE INDEX staged_items_id ON staged_items (account_seq, id);
    `,
    postgres: `
      CREATE TABLE staged_items (
        seq bigserial PRIMARY KEY, account_seq bigint NOT NULL, id uuid NOT NULL, rotation_key text NOT NULL, revision bigint NOT NULL,
        data bytea NOT NULL);
      CREATE UNIQUE INDEX staged_items_id ON staged_items (account_seq, id);
    `,
  },
  {
    // The account's sync method (docs/sync.md), sealed by its devices: one small opaque blob per account.
    version: 6,
    name: "sync_profiles",
    sqlite: `
      CREATE TABLE sync_profiles (account_seq INTEGER PRIMARY KEY, data BLOB NOT NULL, updated_at INTEGER NOT NULL);
    `,
    postgres: `
      CREATE TABLE sync_profiles (account_seq bigint PRIMARY KEY, data bytea NOT NULL, updated_at bigint NOT NULL);
    `,
  },
  {
    // Attachment blobs (docs/server.md): the bytes are files under DATA_DIR; a row records the declared size
    // (counted in used_bytes from the first byte on) and how much of an upload has arrived, so it can resume.
    version: 7,
    name: "blobs",
    sqlite: `
      CREATE TABLE blobs (
        seq INTEGER PRIMARY KEY, account_seq INTEGER NOT NULL, id TEXT NOT NULL, size INTEGER NOT NULL, received INTEGER NOT NULL,
        created_at INTEGER NOT NULL);
      CREATE UNIQUE INDEX blobs_id ON blobs (account_seq, id);
    `,
    postgres: `
      CREATE TABLE blobs (
        seq bigserial PRIMARY KEY, account_seq bigint NOT NULL, id uuid NOT NULL, size bigint NOT NULL, received bigint NOT NULL,
        created_at bigint NOT NULL);
      CREATE UNIQUE INDEX blobs_id ON blobs (account_seq, id);
    `,
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** The table that records applied versions, the same in both dialects. */
export const VERSIONS_TABLE =
  "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL)";

/** The migrations a database at version `current` still needs; a database newer than this code is refused. */
export function pendingMigrations(current: number): readonly Migration[] {
  if (current > SCHEMA_VERSION) {
    throw new Error(`the database schema is version ${current}, newer than this server's ${SCHEMA_VERSION}: run a newer server`);
  }
  return MIGRATIONS.filter((m) => m.version > current);
}
