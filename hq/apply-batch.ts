/**
 * Applies one relay batch (protocol §5) in one transaction. The (station, lane) cursor row
 * is locked with `SELECT … FOR UPDATE`, so concurrent requests for the same lane, from any
 * receiver process on the same PostgreSQL, take turns. Items at or below the cursor are
 * skipped (a resend changes nothing); a batch that starts past the next expected seq is
 * refused with the seq HQ expects. The new items are stored, then applied to HQ's records
 * by the shared engine (hq-engine.ts) in the same transaction. The answer is returned
 * only after COMMIT.
 */
import { z } from 'zod';
import { toNumber, type Sql } from './db.ts';
import { applyToEngine, NO_ENGINE_COUNTS, type EngineCounts } from './hq-engine.ts';
import { quoteIdent } from './schema.ts';

import { LANES, type Lane } from '../src/shared/protocol/sync.ts';

export { LANES, type Lane };

export const MAX_ITEMS_PER_BATCH = 50_000;

export const BatchItemSchema = z.strictObject({
  seq: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  // event | conflict | decision today; the lane carries what the station sends.
  kind: z.string().min(1).max(64),
  at: z.string().min(1).max(64),
  data: z.record(z.string(), z.unknown()),
});

export type BatchItem = z.infer<typeof BatchItemSchema>;

export const BatchSchema = z
  .strictObject({
    stationId: z.string().min(1).max(128),
    tenantId: z.string().min(1).max(48),
    lane: z.enum(LANES),
    fromSeq: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
    toSeq: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
    items: z.array(BatchItemSchema).min(1).max(MAX_ITEMS_PER_BATCH),
  })
  .superRefine((batch, ctx) => {
    if (batch.toSeq !== batch.fromSeq + batch.items.length - 1) {
      ctx.addIssue({ code: 'custom', path: ['toSeq'], message: `toSeq must be fromSeq + ${batch.items.length - 1} for ${batch.items.length} items` });
    }
    batch.items.forEach((item, index) => {
      if (item.seq !== batch.fromSeq + index) {
        ctx.addIssue({ code: 'custom', path: ['items', index, 'seq'], message: `items must be numbered fromSeq, fromSeq + 1, …: expected ${batch.fromSeq + index}` });
      }
    });
  });

export type Batch = z.infer<typeof BatchSchema>;

export type ApplyResult =
  | { ok: true; lane: Lane; ackedThroughSeq: number; appliedCount: number; engine: EngineCounts }
  | { ok: false; code: 'SEQ_GAP'; expectedFromSeq: number; ackedThroughSeq: number };

export async function applyBatch(sql: Sql, schema: string, batch: Batch): Promise<ApplyResult> {
  const s = quoteIdent(schema);
  return sql.transaction(async (tx) => {
    await tx.query(`INSERT INTO ${s}.lane_cursors (station_id, lane) VALUES ($1, $2) ON CONFLICT (station_id, lane) DO NOTHING`, [batch.stationId, batch.lane]);
    const cursor = await tx.query(`SELECT acked_through_seq FROM ${s}.lane_cursors WHERE station_id = $1 AND lane = $2 FOR UPDATE`, [batch.stationId, batch.lane]);
    const acked = toNumber(cursor[0]?.['acked_through_seq']);
    if (batch.fromSeq > acked + 1) {
      return { ok: false, code: 'SEQ_GAP', expectedFromSeq: acked + 1, ackedThroughSeq: acked } as const;
    }
    if (batch.toSeq <= acked) return { ok: true, lane: batch.lane, ackedThroughSeq: acked, appliedCount: 0, engine: NO_ENGINE_COUNTS } as const;
    const fresh = batch.items.filter((item) => item.seq > acked);
    // One statement for the whole batch: the items travel as one JSON parameter.
    const inserted = await tx.query(
      `INSERT INTO ${s}.items (station_id, lane, seq, kind, at, data)
       SELECT $1, $2, (e->>'seq')::bigint, e->>'kind', e->>'at', e->'data' FROM jsonb_array_elements($3::jsonb) AS e
       ON CONFLICT (station_id, lane, seq) DO NOTHING
       RETURNING seq`,
      [batch.stationId, batch.lane, JSON.stringify(fresh)],
    );
    const insertedSeqs = new Set(inserted.map((row) => toNumber(row['seq'])));
    const engine = await applyToEngine(tx, s, { stationId: batch.stationId, lane: batch.lane }, fresh.filter((item) => insertedSeqs.has(item.seq)));
    await tx.query(`UPDATE ${s}.lane_cursors SET acked_through_seq = $3, updated_at = now() WHERE station_id = $1 AND lane = $2`, [batch.stationId, batch.lane, batch.toSeq]);
    return { ok: true, lane: batch.lane, ackedThroughSeq: batch.toSeq, appliedCount: inserted.length, engine } as const;
  });
}
