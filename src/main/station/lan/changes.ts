/**
 * The `changes` feed (protocol §2): records and conflicts changed after a cursor. The
 * cursor is the history position (events.seq) up to which the device has seen changes;
 * every record and conflict carries the seq of the item that last changed it.
 */
import type { StationDb } from '../db/open-database.ts';

export const DEFAULT_CHANGES_LIMIT = 500;
export const MAX_CHANGES_LIMIT = 5_000;

export interface ChangesPage {
  records: {
    key: string;
    type: string;
    wellId: string;
    version: number;
    status: 'OK' | 'DISPUTED';
    value: unknown;
    conflictId: string | null;
    updatedAt: string;
  }[];
  conflicts: { conflictId: string; recordKey: string; status: string; strategy: string; reason: string; winner: string | null; candidates: string[] }[];
  nextCursor: string;
  hasMore: boolean;
}

/** Parses a cursor; null when it is not one this station issued. */
export function parseCursor(since: string | undefined): number | null {
  if (since === undefined || since === '') return 0;
  return /^\d{1,15}$/.test(since) ? Number(since) : null;
}

export function readChanges(db: StationDb, since: number, limit: number): ChangesPage {
  const rows = db
    .prepare(
      `SELECT key, type, well_id AS wellId, version, status, value, conflict_id AS conflictId, updated_at AS updatedAt, change_seq AS changeSeq
       FROM records WHERE change_seq > ? ORDER BY change_seq LIMIT ?`,
    )
    .all(since, limit + 1) as (Omit<ChangesPage['records'][number], 'value'> & { value: string; changeSeq: number })[];
  const hasMore = rows.length > limit;
  const page = rows.slice(0, limit);
  const head = (db.prepare('SELECT coalesce(max(seq), 0) AS n FROM events').get() as { n: number }).n;
  const upTo = hasMore ? (page.at(-1)?.changeSeq ?? since) : Math.max(head, since);
  const conflicts = db
    .prepare(
      `SELECT id AS conflictId, record_key AS recordKey, status, strategy, reason, winner, candidates
       FROM conflicts WHERE change_seq > ? AND change_seq <= ? ORDER BY change_seq`,
    )
    .all(since, upTo) as (Omit<ChangesPage['conflicts'][number], 'candidates'> & { candidates: string })[];
  return {
    records: page.map(({ changeSeq: _seq, value, ...r }) => ({ ...r, value: JSON.parse(value) as unknown })),
    conflicts: conflicts.map((c) => ({ ...c, candidates: JSON.parse(c.candidates) as string[] })),
    nextCursor: String(upTo),
    hasMore,
  };
}
