/**
 * `engine_inputs`: every event and decision id the HQ engine applied, with a digest of its
 * content, the station that relayed it first and its payload (the value a record shows
 * when that item decides it). Claiming is an INSERT … ON CONFLICT DO NOTHING in sorted id
 * order, so two receivers racing on one id take turns on the unique index and cannot
 * deadlock; the payloads live here, written once, rather than in the key states that a
 * batch rewrites whole (record-store.ts looks them up when a value moves to an older item).
 */
import type { SqlExecutor } from './db.ts';

export interface InputClaim {
  id: string;
  digest: string;
  payload: unknown;
}

/**
 * Claims the ids not held yet (the first claim of an id in `claims` counts); returns the
 * digest of every id that was held before this transaction, by any station.
 */
export async function claimInputs(tx: SqlExecutor, s: string, stationId: string, claims: readonly InputClaim[]): Promise<Map<string, string>> {
  const first = new Map<string, InputClaim>();
  for (const claim of claims) if (!first.has(claim.id)) first.set(claim.id, claim);
  const rows = [...first.values()].map((c) => ({ input_id: c.id, digest: c.digest, payload: c.payload }));
  const claimed = await tx.query(
    `INSERT INTO ${s}.engine_inputs (input_id, digest, station_id, payload)
     SELECT r.input_id, r.digest, $2, r.payload FROM json_to_recordset($1::json) AS r(input_id text, digest text, payload json)
     ORDER BY r.input_id
     ON CONFLICT (input_id) DO NOTHING
     RETURNING input_id`,
    [JSON.stringify(rows), stationId],
  );
  const fresh = new Set(claimed.map((row) => String(row['input_id'])));
  const held = [...first.keys()].filter((id) => !fresh.has(id));
  if (held.length === 0) return new Map();
  const found = await tx.query(`SELECT input_id, digest FROM ${s}.engine_inputs WHERE input_id = ANY (ARRAY(SELECT json_array_elements_text($1::json)))`, [JSON.stringify(held)]);
  return new Map(found.map((row) => [String(row['input_id']), String(row['digest'])]));
}

/** Gives back ids claimed in this transaction whose item was not applied after all. */
export async function releaseClaims(tx: SqlExecutor, s: string, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await tx.query(`DELETE FROM ${s}.engine_inputs WHERE input_id = ANY (ARRAY(SELECT json_array_elements_text($1::json)))`, [JSON.stringify(ids)]);
}

/** The payloads of the given ids (one query). */
export async function loadPayloads(tx: SqlExecutor, s: string, ids: readonly string[]): Promise<Map<string, unknown>> {
  if (ids.length === 0) return new Map();
  const rows = await tx.query(`SELECT input_id, payload FROM ${s}.engine_inputs WHERE input_id = ANY (ARRAY(SELECT json_array_elements_text($1::json)))`, [JSON.stringify(ids)]);
  return new Map(rows.map((row) => [String(row['input_id']), typeof row['payload'] === 'string' ? (JSON.parse(row['payload']) as unknown) : row['payload']]));
}
