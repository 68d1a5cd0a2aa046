/**
 * Relay batches for HQ tests: a station core's real outbox read as protocol §5 batches
 * (what its relay would send), or hand-made items for tests that play a station.
 */
import { BatchSchema, type Batch } from '../../hq/apply-batch.ts';
import type { StationDb } from '../../src/main/station/db/open-database.ts';
import { OutboxSource } from '../../src/main/station/relay/outbox-source.ts';
import { LANES, type Lane } from '../../src/shared/protocol/sync.ts';

/** Every item of the station's outbox, one batch per non-empty lane, in lane priority. */
export function outboxBatches(db: StationDb, stationId: string, tenantId: string, lanes: readonly Lane[] = LANES): Batch[] {
  const source = new OutboxSource(db);
  return lanes.flatMap((lane) => {
    const last = source.lastSeq(lane);
    if (last === 0) return [];
    return [BatchSchema.parse({ stationId, tenantId, lane, fromSeq: 1, toSeq: last, items: source.read(lane, 1, last) })];
  });
}

/** An event item's data as a station relays it (protocol §5): the event plus how the station judged it. */
export function relayedEvent(event: Record<string, unknown>, deviceId: string, judged: { supersedes?: string[]; supersededBy?: string[]; status?: string } = {}): Record<string, unknown> {
  return {
    ...event,
    deviceId,
    batchId: `batch-${deviceId}`,
    clockSkewMs: 0,
    supersedes: judged.supersedes ?? [],
    supersededBy: judged.supersededBy ?? [],
    result: { eventId: event['id'], status: judged.status ?? 'APPLIED' },
  };
}

/** Items `fromSeq…` of one lane, each `{kind, data}`. */
export function laneBatch(stationId: string, tenantId: string, lane: Lane, fromSeq: number, items: readonly { kind: string; data: Record<string, unknown> }[]): Batch {
  return BatchSchema.parse({
    stationId,
    tenantId,
    lane,
    fromSeq,
    toSeq: fromSeq + items.length - 1,
    items: items.map((item, i) => ({ seq: fromSeq + i, kind: item.kind, at: new Date(Date.UTC(2026, 5, 10, 23, 0, i)).toISOString(), data: item.data })),
  });
}
