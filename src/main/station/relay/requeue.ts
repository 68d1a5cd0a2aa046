/**
 * Sends parked items again (ADR 0008): once HQ or the item is fixed, each item parked and
 * not yet requeued is enqueued anew at the end of its lane (a new seq: HQ already holds a
 * placeholder at the old one), audited. If HQ refuses it again, it is parked again. A row
 * the station itself could not read is left alone: sending it again cannot help.
 */
import type { Lane } from '../../../shared/protocol/sync.ts';
import { appendAudit } from '../audit/audit-log.ts';
import type { StationDb } from '../db/open-database.ts';
import { UNREADABLE_PREFIX } from './outbox-source.ts';

export interface Requeued {
  lane: Lane;
  seq: number;
  newSeq: number;
}

export interface RequeueResult {
  requeued: Requeued[];
  /** Parked rows the station cannot read: `lane:seq`. */
  unreadable: string[];
}

export function requeueParked(db: StationDb, at: string, actor: string): RequeueResult {
  return db
    .transaction((): RequeueResult => {
      const details = (action: string): { lane: Lane; seq: number; reason?: string }[] =>
        (db.prepare('SELECT details FROM audit WHERE action = ? ORDER BY seq').all(action) as { details: string }[]).map((r) => JSON.parse(r.details) as { lane: Lane; seq: number; reason?: string });
      const done = new Set(details('relay.requeued').map((d) => `${d.lane}:${d.seq}`));
      const result: RequeueResult = { requeued: [], unreadable: [] };
      for (const parked of details('relay.parked')) {
        const id = `${parked.lane}:${parked.seq}`;
        if (done.has(id)) continue;
        if (parked.reason?.startsWith(UNREADABLE_PREFIX) === true) {
          result.unreadable.push(id);
          continue;
        }
        const row = db.prepare('SELECT kind, event_seq AS eventSeq, data FROM outbox WHERE lane = ? AND seq = ?').get(parked.lane, parked.seq) as { kind: string; eventSeq: number | null; data: string | null } | undefined;
        if (row === undefined) continue;
        const last = db.prepare('SELECT max(coalesce((SELECT last_seq FROM relay_state WHERE lane = ?), 0), coalesce((SELECT max(seq) FROM outbox WHERE lane = ?), 0)) AS n').get(parked.lane, parked.lane) as { n: number };
        const newSeq = last.n + 1;
        db.prepare('INSERT INTO outbox (lane, seq, kind, event_seq, data, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(parked.lane, newSeq, row.kind, row.eventSeq, row.data, at);
        db.prepare(
          `INSERT INTO relay_state (lane, last_seq, acked_through_seq, updated_at) VALUES (?, ?, 0, ?)
           ON CONFLICT(lane) DO UPDATE SET last_seq = excluded.last_seq, updated_at = excluded.updated_at`,
        ).run(parked.lane, newSeq, at);
        appendAudit(db, { at, actor, action: 'relay.requeued', subject: `outbox/${parked.lane}/${parked.seq}`, details: { lane: parked.lane, seq: parked.seq, newSeq } });
        result.requeued.push({ lane: parked.lane, seq: parked.seq, newSeq });
      }
      return result;
    })
    .immediate();
}
