/**
 * `GET …/updates?since=CURSOR` (protocol §5, down): reference data and HQ's decisions
 * changed after the cursor. The cursor is the highest `rev` the station has seen, as a
 * decimal string; `0` (or no `since`) means everything.
 */
import { toNumber, type Sql } from './db.ts';
import { quoteIdent } from './schema.ts';

export interface HqUpdates {
  wells: { wellId: string; name: string; primaryProduct: string }[];
  equipment: Record<string, unknown>[];
  operators: Record<string, unknown>[];
  /** The whole policy when it changed after the cursor, else null. */
  policy: Record<string, unknown> | null;
  decisions: Record<string, unknown>[];
  nextCursor: string;
}

export function asObject(value: unknown): Record<string, unknown> {
  if (typeof value === 'string') return asObject(JSON.parse(value));
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export async function readUpdates(sql: Sql, schema: string, since: number): Promise<HqUpdates> {
  const s = quoteIdent(schema);
  let next = since;
  const seen = (rev: unknown): void => {
    next = Math.max(next, toNumber(rev));
  };
  // One snapshot for the five reads, so the cursor never passes a row none of them saw.
  const { wells, equipment, operators, policy, decisions } = await sql.transaction(async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    return {
      wells: await tx.query(`SELECT well_id, name, primary_product, rev FROM ${s}.wells WHERE rev > $1 ORDER BY rev`, [since]),
      equipment: await tx.query(`SELECT equipment_id, data, rev FROM ${s}.equipment WHERE rev > $1 ORDER BY rev`, [since]),
      operators: await tx.query(`SELECT operator_id, data, rev FROM ${s}.operators WHERE rev > $1 ORDER BY rev`, [since]),
      policy: await tx.query(`SELECT data, rev FROM ${s}.policy WHERE rev > $1`, [since]),
      decisions: await tx.query(`SELECT conflict_id, data, rev FROM ${s}.decisions WHERE rev > $1 ORDER BY rev`, [since]),
    };
  });
  for (const row of [...wells, ...equipment, ...operators, ...policy, ...decisions]) seen(row['rev']);
  return {
    wells: wells.map((row) => ({ wellId: String(row['well_id']), name: String(row['name']), primaryProduct: String(row['primary_product']) })),
    equipment: equipment.map((row) => ({ ...asObject(row['data']), equipmentId: String(row['equipment_id']) })),
    operators: operators.map((row) => ({ ...asObject(row['data']), operatorId: String(row['operator_id']) })),
    policy: policy[0] === undefined ? null : asObject(policy[0]['data']),
    decisions: decisions.map((row) => ({ ...asObject(row['data']), conflictId: String(row['conflict_id']) })),
    nextCursor: String(next),
  };
}
