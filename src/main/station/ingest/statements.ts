/**
 * Prepared statements of the write path, built once per database handle. Hot statements
 * are plain better-sqlite3 (no ORM on the hot path); the schema itself is drizzle's.
 */
import type Database from 'better-sqlite3';
import type { StationDb } from '../db/open-database.ts';

export interface HeldEventRow {
  id: string;
  seq: number;
  kind: 'event' | 'decision';
  type: string;
  operatorId: string;
  occurredAt: string;
  payload: string;
}

export interface RecordRow {
  id: number;
  key: string;
  type: string;
  state: string;
  value: string;
  valueFrom: string | null;
}

export interface Statements {
  /** Held events among the ids of a JSON array: one query per batch instead of one per event. */
  findEvents: Database.Statement<[string], HeldEventRow>;
  payloadOf: Database.Statement<[string], { payload: string }>;
  insertEvent: Database.Statement<unknown[]>;
  insertBatch: Database.Statement<unknown[]>;
  updateBatchSummary: Database.Statement<unknown[]>;
  findRecord: Database.Statement<[string], RecordRow>;
  /** Records among the keys of a JSON array (one query per batch). */
  findRecords: Database.Statement<[string], RecordRow>;
  maxRecordId: Database.Statement<[], { n: number }>;
  insertRecord: Database.Statement<unknown[]>;
  updateRecord: Database.Statement<unknown[]>;
  insertConflict: Database.Statement<unknown[]>;
  updateConflict: Database.Statement<unknown[]>;
  closeConflict: Database.Statement<unknown[]>;
  insertCandidate: Database.Statement<unknown[]>;
  insertOutbox: Database.Statement<unknown[]>;
  laneSeqs: Database.Statement<[], { lane: string; lastSeq: number }>;
  upsertLaneSeq: Database.Statement<unknown[]>;
  insertQuarantine: Database.Statement<unknown[]>;
  touchDevice: Database.Statement<unknown[]>;
  maxEventSeq: Database.Statement<[], { n: number }>;
  maxBatchSeq: Database.Statement<[], { n: number }>;
}

export function prepareStatements(db: StationDb): Statements {
  return {
    findEvents: db.prepare(
      'SELECT e.id, e.seq, e.kind, e.type, e.operator_id AS operatorId, e.occurred_at AS occurredAt, e.payload FROM json_each(?) j JOIN events e ON e.id = j.value',
    ),
    payloadOf: db.prepare('SELECT payload FROM events WHERE id = ?'),
    insertEvent: db.prepare(
      `INSERT INTO events (seq, id, kind, type, record_id, device_id, batch_seq, operator_id, occurred_at, base_version, payload, status, result, supersedes, superseded_by, clock_skew_ms, received_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertBatch: db.prepare(
      'INSERT INTO batches (seq, batch_id, device_id, received_at, device_time, clock_skew_ms, event_count, summary) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    updateBatchSummary: db.prepare('UPDATE batches SET summary = ? WHERE seq = ?'),
    findRecord: db.prepare('SELECT id, key, type, state, value, value_from AS valueFrom FROM records WHERE key = ?'),
    findRecords: db.prepare(
      'SELECT r.id, r.key, r.type, r.state, r.value, r.value_from AS valueFrom FROM json_each(?) j JOIN records r ON r.key = j.value',
    ),
    maxRecordId: db.prepare('SELECT coalesce(max(id), 0) AS n FROM records'),
    insertRecord: db.prepare(
      `INSERT INTO records (id, key, type, well_id, version, status, value, value_from, conflict_id, state, updated_at, change_seq)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    updateRecord: db.prepare(
      'UPDATE records SET version = ?, status = ?, value = ?, value_from = ?, conflict_id = ?, state = ?, updated_at = ?, change_seq = ? WHERE id = ?',
    ),
    insertConflict: db.prepare(
      `INSERT INTO conflicts (id, record_id, record_key, type, status, strategy, reason, winner, candidates, distinct_values, is_open, opened_at, updated_at, closed_at, change_seq)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, NULL, ?)`,
    ),
    updateConflict: db.prepare(
      'UPDATE conflicts SET status = ?, strategy = ?, reason = ?, winner = ?, candidates = ?, distinct_values = ?, updated_at = ?, change_seq = ? WHERE id = ?',
    ),
    closeConflict: db.prepare(
      'UPDATE conflicts SET status = ?, reason = ?, winner = ?, is_open = 0, updated_at = ?, closed_at = ?, change_seq = ? WHERE id = ?',
    ),
    insertCandidate: db.prepare('INSERT OR IGNORE INTO conflict_candidates (conflict_id, event_id) VALUES (?, ?)'),
    insertOutbox: db.prepare('INSERT INTO outbox (lane, seq, kind, event_seq, data, created_at) VALUES (?, ?, ?, ?, ?, ?)'),
    laneSeqs: db.prepare('SELECT lane, last_seq AS lastSeq FROM relay_state'),
    upsertLaneSeq: db.prepare(
      'INSERT INTO relay_state (lane, last_seq, acked_through_seq, updated_at) VALUES (?, ?, 0, ?) ON CONFLICT(lane) DO UPDATE SET last_seq = excluded.last_seq, updated_at = excluded.updated_at',
    ),
    insertQuarantine: db.prepare(
      'INSERT OR IGNORE INTO quarantine (event_id, dedupe_key, device_id, batch_seq, code, message, raw, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    touchDevice: db.prepare('UPDATE devices SET last_dock_at = ?, clock_skew_ms = ? WHERE id = ?'),
    maxEventSeq: db.prepare('SELECT coalesce(max(seq), 0) AS n FROM events'),
    maxBatchSeq: db.prepare('SELECT coalesce(max(seq), 0) AS n FROM batches'),
  };
}
