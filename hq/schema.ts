/**
 * HQ's schema: plain, idempotent SQL (`CREATE … IF NOT EXISTS`), so every receiver process
 * runs it at start-up. A transaction-scoped advisory lock makes concurrent start-ups on one
 * PostgreSQL take turns (concurrent `CREATE … IF NOT EXISTS` can otherwise collide in the
 * catalog).
 *
 * - `hq` (shared): `stations` (id, tenant, SHA-256 of its key) and `tenants` (tenant → schema).
 * - `tenant_<id>` (one per tenant): `lane_cursors`, `items`, `blobs`, `blob_chunks`, the
 *   reference data HQ sends down (`wells`, `equipment`, `operators`, `policy`, `decisions`),
 *   each row stamped with `rev` from the tenant's `rev_seq`, which is the `updates` cursor,
 *   and the HQ engine's `records`, `engine_inputs`, `conflicts` and `engine_rejects`.
 */
import type { Sql, SqlExecutor } from './db.ts';

/** Any int8 works as a key for `pg_advisory_xact_lock`; this one is "hq-migrate". */
const MIGRATION_LOCK_KEY = 7_305_812_001;

export const TENANT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,47}$/;
export const STATION_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

const SHARED_SCHEMA = [
  'CREATE SCHEMA IF NOT EXISTS hq',
  `CREATE TABLE IF NOT EXISTS hq.tenants (
     tenant_id text PRIMARY KEY,
     schema_name text NOT NULL UNIQUE,
     created_at timestamptz NOT NULL DEFAULT now())`,
  `CREATE TABLE IF NOT EXISTS hq.stations (
     station_id text PRIMARY KEY,
     tenant_id text NOT NULL REFERENCES hq.tenants (tenant_id),
     key_sha256 text NOT NULL UNIQUE,
     created_at timestamptz NOT NULL DEFAULT now(),
     key_issued_at timestamptz NOT NULL DEFAULT now())`,
];

function tenantTables(schema: string): string[] {
  const s = quoteIdent(schema);
  return [
    `CREATE SCHEMA IF NOT EXISTS ${s}`,
    `CREATE SEQUENCE IF NOT EXISTS ${s}.rev_seq`,
    `CREATE TABLE IF NOT EXISTS ${s}.lane_cursors (
       station_id text NOT NULL,
       lane text NOT NULL,
       acked_through_seq bigint NOT NULL DEFAULT 0,
       updated_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (station_id, lane))`,
    `CREATE TABLE IF NOT EXISTS ${s}.items (
       station_id text NOT NULL,
       lane text NOT NULL,
       seq bigint NOT NULL,
       kind text NOT NULL,
       at text NOT NULL,
       data jsonb NOT NULL,
       received_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (station_id, lane, seq))`,
    `CREATE TABLE IF NOT EXISTS ${s}.blobs (
       station_id text NOT NULL,
       sha256 text NOT NULL,
       total_bytes bigint NOT NULL,
       held_bytes bigint NOT NULL DEFAULT 0,
       complete boolean NOT NULL DEFAULT false,
       updated_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (station_id, sha256))`,
    `CREATE TABLE IF NOT EXISTS ${s}.blob_chunks (
       station_id text NOT NULL,
       sha256 text NOT NULL,
       start_byte bigint NOT NULL,
       bytes bytea NOT NULL,
       PRIMARY KEY (station_id, sha256, start_byte))`,
    `CREATE TABLE IF NOT EXISTS ${s}.wells (
       well_id text PRIMARY KEY,
       name text NOT NULL,
       primary_product text NOT NULL,
       rev bigint NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS ${s}.equipment (
       equipment_id text PRIMARY KEY,
       data jsonb NOT NULL,
       rev bigint NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS ${s}.operators (
       operator_id text PRIMARY KEY,
       data jsonb NOT NULL,
       rev bigint NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS ${s}.policy (
       id int PRIMARY KEY CHECK (id = 1),
       data jsonb NOT NULL,
       rev bigint NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS ${s}.decisions (
       conflict_id text PRIMARY KEY,
       data jsonb NOT NULL,
       rev bigint NOT NULL)`,
    ...engineTables(s),
  ];
}

/**
 * The shared engine applied across stations (hq-engine.ts): one row per record key (its
 * engine state, value and status; the row lock is what serialises receivers on a key),
 * every event and decision id applied with the digest of its content, the station that
 * relayed it first and its payload (dedupe across stations), HQ-level conflicts, and the relayed items the
 * engine could not apply.
 */
function engineTables(s: string): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS ${s}.records (
       record_key text PRIMARY KEY,
       type text NOT NULL,
       well_id text NOT NULL,
       status text NOT NULL DEFAULT 'OK',
       value jsonb,
       value_from text,
       conflict_id text,
       version int NOT NULL DEFAULT 0,
       state text,
       updated_at timestamptz NOT NULL DEFAULT now())`,
    `CREATE TABLE IF NOT EXISTS ${s}.engine_inputs (
       input_id text PRIMARY KEY,
       digest text NOT NULL,
       station_id text NOT NULL,
       payload json)`,
    `CREATE TABLE IF NOT EXISTS ${s}.conflicts (
       conflict_id text PRIMARY KEY,
       record_key text NOT NULL,
       type text NOT NULL,
       well_id text NOT NULL,
       status text NOT NULL,
       strategy text NOT NULL,
       reason text NOT NULL,
       winner text,
       candidates jsonb NOT NULL,
       stations jsonb NOT NULL,
       is_open boolean NOT NULL,
       opened_at timestamptz NOT NULL DEFAULT now(),
       updated_at timestamptz NOT NULL DEFAULT now())`,
    `CREATE INDEX IF NOT EXISTS conflicts_by_status ON ${s}.conflicts (status, is_open)`,
    `CREATE TABLE IF NOT EXISTS ${s}.engine_rejects (
       station_id text NOT NULL,
       lane text NOT NULL,
       seq bigint NOT NULL,
       item_id text,
       kind text NOT NULL,
       code text NOT NULL,
       message text NOT NULL,
       at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (station_id, lane, seq))`,
  ];
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** `tenant_<id>`: lower case, `-` → `_`. `hq.tenants.schema_name` is UNIQUE, so two ids that map alike are refused. */
export function tenantSchemaName(tenantId: string): string {
  if (!TENANT_ID_PATTERN.test(tenantId)) throw new RangeError(`tenant id ${JSON.stringify(tenantId)} must be 1–48 letters, digits, '-' or '_'`);
  return `tenant_${tenantId.toLowerCase().replaceAll('-', '_')}`;
}

async function runLocked(sql: Sql, statements: (tx: SqlExecutor) => Promise<void>): Promise<void> {
  await sql.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await statements(tx);
  });
}

/** Creates the shared schema and every known tenant's tables (idempotent). */
export async function migrate(sql: Sql): Promise<void> {
  await runLocked(sql, async (tx) => {
    for (const statement of SHARED_SCHEMA) await tx.query(statement);
    const tenants = await tx.query('SELECT schema_name FROM hq.tenants');
    for (const row of tenants) {
      for (const statement of tenantTables(String(row['schema_name']))) await tx.query(statement);
    }
  });
}

/** Registers a tenant and creates its schema (idempotent); returns the schema name. */
export async function ensureTenant(sql: Sql, tenantId: string): Promise<string> {
  const schema = tenantSchemaName(tenantId);
  await runLocked(sql, async (tx) => {
    const taken = await tx.query('SELECT tenant_id FROM hq.tenants WHERE schema_name = $1', [schema]);
    const owner = taken[0]?.['tenant_id'];
    if (owner !== undefined && owner !== tenantId) {
      throw new RangeError(`tenant id ${JSON.stringify(tenantId)} maps to the same schema as ${JSON.stringify(owner)}; choose another`);
    }
    await tx.query('INSERT INTO hq.tenants (tenant_id, schema_name) VALUES ($1, $2) ON CONFLICT (tenant_id) DO NOTHING', [tenantId, schema]);
    for (const statement of tenantTables(schema)) await tx.query(statement);
  });
  return schema;
}
