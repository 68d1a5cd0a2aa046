/**
 * Reads the outbox as HQ receives it (protocol §5): items of one lane from a seq on, each
 * `{seq, kind, at, data}` — an event as received plus how the station judged it, a
 * conflict snapshot, or a decision — and keeps HQ's acknowledgements in relay_state.
 */
import type { Lane } from '../../../shared/protocol/sync.ts';
import type { StationDb } from '../db/open-database.ts';

export interface RelayItem {
  seq: number;
  /** `parked`: a placeholder for an item set aside (HQ refused it, or the station cannot read it). */
  kind: 'event' | 'conflict' | 'decision' | 'parked';
  at: string;
  data: unknown;
}

/** What travels in place of a parked item: the lane's numbering goes on and HQ learns why. */
export function parkedPlaceholder(seq: number, at: string, reason: string, original: { kind: string; id: string | null }): RelayItem {
  return { seq, kind: 'parked', at, data: { reason, parkedKind: original.kind, id: original.id } };
}

export const UNREADABLE_PREFIX = 'the station cannot read this item';

interface OutboxRow {
  seq: number;
  kind: 'event' | 'conflict' | 'decision';
  data: string | null;
  createdAt: string;
  id: string | null;
  type: string | null;
  deviceId: string | null;
  batchId: string | null;
  operatorId: string | null;
  occurredAt: string | null;
  baseVersion: number | null;
  payload: string | null;
  result: string | null;
  supersedes: string | null;
  supersededBy: string | null;
  clockSkewMs: number | null;
  conflictId: string | null;
  chosenEventId: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  comment: string | null;
}

const json = (text: string | null): unknown => (text === null ? null : (JSON.parse(text) as unknown));

function itemOf(row: OutboxRow): RelayItem {
  if (row.kind === 'conflict') return { seq: row.seq, kind: 'conflict', at: row.createdAt, data: json(row.data) };
  if (row.kind === 'decision') {
    return {
      seq: row.seq,
      kind: 'decision',
      at: row.createdAt,
      data: {
        decisionId: row.id,
        conflictId: row.conflictId,
        chosenEventId: row.chosenEventId,
        value: json(row.payload),
        decidedBy: row.decidedBy,
        decidedAt: row.decidedAt,
        comment: row.comment,
        supersedes: json(row.supersedes) ?? [],
      },
    };
  }
  return {
    seq: row.seq,
    kind: 'event',
    at: row.createdAt,
    data: {
      id: row.id,
      type: row.type,
      operatorId: row.operatorId,
      occurredAt: row.occurredAt,
      baseVersion: row.baseVersion,
      payload: json(row.payload),
      deviceId: row.deviceId,
      batchId: row.batchId,
      clockSkewMs: row.clockSkewMs,
      supersedes: json(row.supersedes) ?? [],
      supersededBy: json(row.supersededBy) ?? [],
      result: json(row.result),
    },
  };
}

export class OutboxSource {
  readonly #db: StationDb;
  constructor(db: StationDb) {
    this.#db = db;
  }

  /** Items of `lane` with seq ≥ fromSeq, at most `limit`, in seq order. */
  read(lane: Lane, fromSeq: number, limit: number): RelayItem[] {
    const rows = this.#db
      .prepare(
        `SELECT o.seq, o.kind, o.data, o.created_at AS createdAt, e.id, e.type, e.device_id AS deviceId, b.batch_id AS batchId, e.operator_id AS operatorId,
                e.occurred_at AS occurredAt, e.base_version AS baseVersion, e.payload, e.result, e.supersedes, e.superseded_by AS supersededBy, e.clock_skew_ms AS clockSkewMs,
                d.conflict_id AS conflictId, d.chosen_event_id AS chosenEventId, d.decided_by AS decidedBy, d.decided_at AS decidedAt, d.comment
         FROM outbox o LEFT JOIN events e ON e.seq = o.event_seq LEFT JOIN batches b ON b.seq = e.batch_seq LEFT JOIN decisions d ON d.id = e.id
         WHERE o.lane = ? AND o.seq >= ? ORDER BY o.seq LIMIT ?`,
      )
      .all(lane, fromSeq, limit) as OutboxRow[];
    return rows.map((row) => {
      try {
        return itemOf(row);
      } catch (err) {
        // A damaged row must not wedge the lane: it travels as a placeholder, and the relay parks it.
        return parkedPlaceholder(row.seq, row.createdAt, `${UNREADABLE_PREFIX} (${err instanceof Error ? err.message : String(err)})`, { kind: row.kind, id: row.id });
      }
    });
  }

  lastSeq(lane: Lane): number {
    return (this.#db.prepare('SELECT coalesce(max(seq), 0) AS n FROM outbox WHERE lane = ?').get(lane) as { n: number }).n;
  }

  ackedThrough(lane: Lane): number {
    return (this.#db.prepare('SELECT acked_through_seq AS n FROM relay_state WHERE lane = ?').get(lane) as { n: number } | undefined)?.n ?? 0;
  }

  /** HQ's word, also when it is lower than before (HQ restored from a backup). */
  setAckedThrough(lane: Lane, seq: number, at: string): void {
    this.#db
      .prepare(
        `INSERT INTO relay_state (lane, last_seq, acked_through_seq, updated_at) VALUES (?, 0, ?, ?)
         ON CONFLICT(lane) DO UPDATE SET acked_through_seq = excluded.acked_through_seq, updated_at = excluded.updated_at`,
      )
      .run(lane, seq, at);
  }
}
