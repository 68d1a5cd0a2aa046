/**
 * What an HQ administrator does: issue station keys (kept only as a SHA-256), and fill the
 * reference data stations receive through `GET …/updates` (wells, equipment, operators,
 * policy, decisions on conflicts). Every reference write takes a fresh `rev` from the
 * tenant's sequence: that is the `since` cursor.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { PrimaryProduct } from '../src/shared/engine/types.ts';
import type { Sql, SqlExecutor } from './db.ts';
import { ensureTenant, quoteIdent, STATION_ID_PATTERN, tenantSchemaName } from './schema.ts';

export interface StationRecord {
  stationId: string;
  tenantId: string;
}

export function hashStationKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/**
 * Registers a station (or re-issues its key: the old key stops working at once) and returns
 * the new key. The key is shown once; HQ keeps only its hash.
 */
export async function addStation(sql: Sql, input: StationRecord): Promise<{ stationKey: string }> {
  if (!STATION_ID_PATTERN.test(input.stationId)) throw new RangeError(`station id ${JSON.stringify(input.stationId)} must be 1–128 letters, digits, '.', ':', '-' or '_'`);
  await ensureTenant(sql, input.tenantId);
  const stationKey = `hqk_${randomBytes(32).toString('base64url')}`;
  const rows = await sql.query(
    `INSERT INTO hq.stations (station_id, tenant_id, key_sha256) VALUES ($1, $2, $3)
     ON CONFLICT (station_id) DO UPDATE SET key_sha256 = EXCLUDED.key_sha256, key_issued_at = now()
       WHERE hq.stations.tenant_id = EXCLUDED.tenant_id
     RETURNING station_id`,
    [input.stationId, input.tenantId, hashStationKey(stationKey)],
  );
  if (rows.length === 0) throw new RangeError(`station ${input.stationId} belongs to another tenant; it keeps its key`);
  return { stationKey };
}

/** The station a bearer key belongs to, or undefined. */
export async function findStationByKey(sql: Sql, key: string): Promise<StationRecord | undefined> {
  const rows = await sql.query('SELECT station_id, tenant_id FROM hq.stations WHERE key_sha256 = $1', [hashStationKey(key)]);
  const row = rows[0];
  return row === undefined ? undefined : { stationId: String(row['station_id']), tenantId: String(row['tenant_id']) };
}

export interface WellInput {
  wellId: string;
  name: string;
  primaryProduct: PrimaryProduct;
}

function table(tenantId: string, name: string): string {
  return `${quoteIdent(tenantSchemaName(tenantId))}.${name}`;
}

function nextRev(tenantId: string): string {
  return `nextval('${tenantSchemaName(tenantId)}.rev_seq')`;
}

/**
 * Writers of a tenant's reference data take turns (a transaction-scoped advisory lock
 * taken before `nextval`), so revs commit in order and a station reading `rev > since`
 * never skips a lower rev that commits later.
 */
async function lockRevisions(tx: SqlExecutor, tenantId: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`hq-rev:${tenantSchemaName(tenantId)}`]);
}

/** One reference write, in a transaction of its own. */
async function writeReference(sql: Sql, tenantId: string, text: string, params: readonly unknown[]): Promise<void> {
  await ensureTenant(sql, tenantId);
  await sql.transaction(async (tx) => {
    await lockRevisions(tx, tenantId);
    await tx.query(text, params);
  });
}

export async function upsertWell(sql: Sql, tenantId: string, well: WellInput): Promise<void> {
  await writeReference(
    sql,
    tenantId,
    `INSERT INTO ${table(tenantId, 'wells')} (well_id, name, primary_product, rev) VALUES ($1, $2, $3, ${nextRev(tenantId)})
     ON CONFLICT (well_id) DO UPDATE SET name = EXCLUDED.name, primary_product = EXCLUDED.primary_product, rev = EXCLUDED.rev`,
    [well.wellId, well.name, well.primaryProduct],
  );
}

export type ReferenceKind = 'equipment' | 'operators' | 'decisions';

const REFERENCE_KEY: Record<ReferenceKind, string> = { equipment: 'equipment_id', operators: 'operator_id', decisions: 'conflict_id' };

function referenceUpsert(tenantId: string, kind: ReferenceKind): string {
  const key = REFERENCE_KEY[kind];
  return `INSERT INTO ${table(tenantId, kind)} (${key}, data, rev) VALUES ($1, $2::jsonb, ${nextRev(tenantId)})
     ON CONFLICT (${key}) DO UPDATE SET data = EXCLUDED.data, rev = EXCLUDED.rev`;
}

/** Equipment, operators and HQ's decisions on conflicts: an id and a JSON object each. */
export async function upsertReference(sql: Sql, tenantId: string, kind: ReferenceKind, id: string, data: Record<string, unknown>): Promise<void> {
  await writeReference(sql, tenantId, referenceUpsert(tenantId, kind), [id, JSON.stringify(data)]);
}

/** The same, inside the caller's transaction (an HQ decision commits with the record it changes). */
export async function upsertReferenceIn(tx: SqlExecutor, tenantId: string, kind: ReferenceKind, id: string, data: Record<string, unknown>): Promise<void> {
  await lockRevisions(tx, tenantId);
  await tx.query(referenceUpsert(tenantId, kind), [id, JSON.stringify(data)]);
}

export async function setPolicy(sql: Sql, tenantId: string, policy: Record<string, unknown>): Promise<void> {
  await writeReference(
    sql,
    tenantId,
    `INSERT INTO ${table(tenantId, 'policy')} (id, data, rev) VALUES (1, $1::jsonb, ${nextRev(tenantId)})
     ON CONFLICT (id) DO UPDATE SET data = EXCLUDED.data, rev = EXCLUDED.rev`,
    [JSON.stringify(policy)],
  );
}
