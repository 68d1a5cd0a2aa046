/**
 * `export`: events, records, conflicts, audit or quarantine as JSON (an array of objects,
 * camelCase keys as on the wire) or CSV, streamed row by row so a large station exports
 * in constant memory. CSV cells that a spreadsheet would run as a formula are prefixed
 * with an apostrophe.
 */
import type { StationDb } from '../station/db/open-database.ts';

export const EXPORTS = ['events', 'records', 'conflicts', 'audit', 'quarantine'] as const;
export type ExportWhat = (typeof EXPORTS)[number];

const json = (text: string | null): unknown => (text === null ? null : (JSON.parse(text) as unknown));

const QUERIES: Record<ExportWhat, { sql: string; map: (row: Record<string, unknown>) => Record<string, unknown> }> = {
  events: {
    sql: `SELECT e.seq, e.id, e.kind, e.type, r.key AS recordKey, e.device_id AS deviceId, b.batch_id AS batchId, e.operator_id AS operatorId,
                 e.occurred_at AS occurredAt, e.base_version AS baseVersion, e.payload, e.status, e.result, e.supersedes, e.superseded_by AS supersededBy,
                 e.clock_skew_ms AS clockSkewMs, e.received_at AS receivedAt
          FROM events e JOIN records r ON r.id = e.record_id LEFT JOIN batches b ON b.seq = e.batch_seq ORDER BY e.seq`,
    map: (r) => ({ ...r, payload: json(r['payload'] as string), result: json(r['result'] as string), supersedes: json(r['supersedes'] as string | null) ?? [], supersededBy: json(r['supersededBy'] as string | null) ?? [] }),
  },
  records: {
    sql: 'SELECT key, type, well_id AS wellId, version, status, value, value_from AS valueFrom, conflict_id AS conflictId, updated_at AS updatedAt FROM records ORDER BY key',
    map: (r) => ({ ...r, value: json(r['value'] as string) }),
  },
  conflicts: {
    sql: `SELECT id AS conflictId, record_key AS recordKey, type, status, strategy, reason, winner, candidates, distinct_values AS distinctValues,
                 is_open AS isOpen, opened_at AS openedAt, updated_at AS updatedAt, closed_at AS closedAt FROM conflicts ORDER BY rowid`,
    map: (r) => ({ ...r, candidates: json(r['candidates'] as string), isOpen: r['isOpen'] === 1 }),
  },
  audit: {
    sql: 'SELECT seq, at, actor, action, subject, details, prev_hash AS prevHash, hash FROM audit ORDER BY seq',
    map: (r) => ({ ...r, details: json(r['details'] as string) }),
  },
  quarantine: {
    sql: 'SELECT id, event_id AS eventId, device_id AS deviceId, code, message, raw, received_at AS receivedAt FROM quarantine ORDER BY id',
    map: (r) => ({ ...r, raw: json(r['raw'] as string) }),
  },
};

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint' ? String(value) : (JSON.stringify(value) ?? '');
  if (typeof value === 'string' && /^[=+@\t\r]|^-[^0-9.]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Writes the export through `write` in chunks; returns the number of rows. */
export function exportTable(db: StationDb, what: ExportWhat, format: 'json' | 'csv', write: (chunk: string) => void): number {
  const q = QUERIES[what];
  let n = 0;
  let buffer = '';
  let header: string[] | null = null;
  const flush = (force: boolean): void => {
    if (buffer.length > 65_536 || (force && buffer.length > 0)) {
      write(buffer);
      buffer = '';
    }
  };
  if (format === 'json') buffer += '[';
  const statement = db.prepare(q.sql);
  for (const raw of statement.iterate() as IterableIterator<Record<string, unknown>>) {
    const row = q.map(raw);
    if (format === 'json') {
      buffer += `${n === 0 ? '\n' : ',\n'}${JSON.stringify(row)}`;
    } else {
      if (header === null) {
        header = Object.keys(row);
        buffer += `${header.join(',')}\r\n`;
      }
      buffer += `${header.map((k) => csvCell(row[k])).join(',')}\r\n`;
    }
    n++;
    flush(false);
  }
  if (format === 'csv' && header === null) buffer += `${statement.columns().map((c) => c.name).join(',')}\r\n`;
  if (format === 'json') buffer += n === 0 ? ']\n' : '\n]\n';
  flush(true);
  return n;
}
