/**
 * The `changes` feed (protocol §2): records and conflicts changed after a cursor. The
 * cursor is a position in the event log (events.seq): the feed walks the log from there,
 * collects the records it touched (each record's row already holds its latest state) and
 * the conflicts of those records changed in the same span. Walking the append-only log
 * means ingest keeps no "changed at" index up to date.
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

/**
 * Runs `read` in one read snapshot. The writer thread commits while a page is read; the
 * walk and the head must see the same events, or the cursor could pass events the walk
 * never saw. A plain BEGIN is read-only until something writes, so it does not wait for
 * the writer (`guardWrites` lets read-only statements through).
 */
function inOneSnapshot<T>(db: StationDb, read: () => T): T {
  if (db.inTransaction) return read();
  db.prepare('BEGIN').run();
  try {
    return read();
  } finally {
    db.prepare('COMMIT').run();
  }
}

export function readChanges(db: StationDb, since: number, limit: number): ChangesPage {
  return inOneSnapshot(db, () => readChangesNow(db, since, limit));
}

function readChangesNow(db: StationDb, since: number, limit: number): ChangesPage {
  const touched = new Set<number>();
  let upTo = since;
  let hasMore = false;
  for (const row of db.prepare('SELECT seq, record_id AS recordId FROM events WHERE seq > ? ORDER BY seq').iterate(since) as IterableIterator<{ seq: number; recordId: number }>) {
    if (!touched.has(row.recordId) && touched.size === limit) {
      hasMore = true;
      break;
    }
    touched.add(row.recordId);
    upTo = row.seq;
  }
  // Read to the end: the cursor is the head, also when `since` was beyond it (a cursor of
  // another station, or of this one before a restore from backup): later events must
  // come after the cursor, not be skipped until they pass it.
  if (!hasMore) upTo = (db.prepare('SELECT coalesce(max(seq), 0) AS n FROM events').get() as { n: number }).n;
  const recordById = db.prepare(
    'SELECT key, type, well_id AS wellId, version, status, value, conflict_id AS conflictId, updated_at AS updatedAt, change_seq AS changeSeq FROM records WHERE id = ?',
  );
  const conflictsOf = db.prepare(
    `SELECT id AS conflictId, record_key AS recordKey, status, strategy, reason, winner, candidates, change_seq AS changeSeq
     FROM conflicts WHERE record_id = ? AND change_seq > ? AND change_seq <= ?`,
  );
  type RecordDbRow = Omit<ChangesPage['records'][number], 'value'> & { value: string; changeSeq: number };
  type ConflictDbRow = Omit<ChangesPage['conflicts'][number], 'candidates'> & { candidates: string; changeSeq: number };
  const records: RecordDbRow[] = [];
  const conflicts: ConflictDbRow[] = [];
  for (const id of touched) {
    const record = recordById.get(id) as RecordDbRow | undefined;
    if (record !== undefined) records.push(record);
    conflicts.push(...(conflictsOf.all(id, since, upTo) as ConflictDbRow[]));
  }
  records.sort((a, b) => a.changeSeq - b.changeSeq);
  conflicts.sort((a, b) => a.changeSeq - b.changeSeq);
  return {
    records: records.map(({ changeSeq: _seq, value, ...r }) => ({ ...r, value: JSON.parse(value) as unknown })),
    conflicts: conflicts.map(({ changeSeq: _seq, candidates, ...c }) => ({ ...c, candidates: JSON.parse(candidates) as string[] })),
    nextCursor: String(upTo),
    hasMore,
  };
}
