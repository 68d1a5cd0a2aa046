/**
 * rebuildProjection: recomputes every record, and its open conflict, from the history
 * alone (events and decisions in arrival order) with the same engine, and compares the
 * result with the live projection. A station whose projection differs from its history
 * has a bug; `apply: true` rewrites the projection from the history.
 */
import { canonicalJson } from '../../../shared/canonical-json.ts';
import { contentOf, engineEventOf } from '../../../shared/engine/content.ts';
import { applyDecision, applyEvent, emptyKeyState } from '../../../shared/engine/key-reducer.ts';
import type { EngineSettings } from '../../../shared/engine/types.ts';
import type { EventType } from '../../../shared/events/types.ts';
import { validateEvent } from '../../../shared/events/validate-event.ts';
import type { StationDb } from '../db/open-database.ts';
import { projectValue, type RecordSlot } from './write-session.ts';

interface HistoryRow {
  seq: number;
  id: string;
  kind: 'event' | 'decision';
  type: EventType;
  recordId: number;
  key: string;
  deviceId: string | null;
  operatorId: string;
  occurredAt: string;
  baseVersion: number | null;
  payload: string;
  clockSkewMs: number;
  conflictId: string | null;
  chosen: string | null;
  comment: string | null;
}

export interface ProjectionDiff {
  ok: boolean;
  records: number;
  mismatches: string[];
}

function replayHistory(db: StationDb, settings: EngineSettings): Map<string, RecordSlot> {
  const slots = new Map<string, RecordSlot>();
  const payloadOf = db.prepare('SELECT payload FROM events WHERE id = ?');
  const rows = db
    .prepare(
      `SELECT e.seq, e.id, e.kind, e.type, e.record_id AS recordId, r.key, e.device_id AS deviceId, e.operator_id AS operatorId, e.occurred_at AS occurredAt,
              e.base_version AS baseVersion, e.payload, e.clock_skew_ms AS clockSkewMs, d.conflict_id AS conflictId, d.chosen_event_id AS chosen, d.comment
       FROM events e JOIN records r ON r.id = e.record_id LEFT JOIN decisions d ON d.id = e.id ORDER BY e.seq`,
    )
    .iterate() as IterableIterator<HistoryRow>;
  for (const row of rows) {
    let slot = slots.get(row.key);
    if (slot === undefined) {
      slot = { id: row.recordId, isNew: true, key: row.key, state: emptyKeyState(row.key, row.type), valueJson: 'null', valueObject: undefined, changeSeq: 0, dirty: true };
      slots.set(row.key, slot);
    }
    const payload = JSON.parse(row.payload) as unknown;
    const parsed = validateEvent({ id: row.id, type: row.type, operatorId: row.operatorId, occurredAt: row.occurredAt, baseVersion: row.baseVersion, payload });
    if (!parsed.ok) throw new Error(`history item ${row.id} no longer validates: ${parsed.message}`);
    if (row.kind === 'event') {
      const out = applyEvent(slot.state, engineEventOf(parsed.event, row.deviceId ?? '', row.clockSkewMs), settings);
      projectValue(slot, out.state, parsed.event, row.payload, (id) => (payloadOf.get(id) as { payload: string } | undefined)?.payload ?? 'null');
    } else {
      const c = contentOf(parsed.event.type, parsed.event.payload);
      const out = applyDecision(
        slot.state,
        { id: row.id, conflictId: row.conflictId ?? '', chosen: row.chosen, decidedBy: row.operatorId, comment: row.comment ?? '', timeMs: c.timeMs, content: c.content, nums: c.nums, label: c.label },
        settings,
      );
      if (!out.ok) throw new Error(`decision ${row.id} no longer applies: ${out.error.message}`);
      slot.state = out.state;
      slot.valueJson = row.payload;
    }
    slot.changeSeq = row.seq;
  }
  return slots;
}

/** Replays the history and compares it with the `records` table (and the open conflicts). */
export function rebuildProjection(db: StationDb, settings: EngineSettings): ProjectionDiff {
  const rebuilt = replayHistory(db, settings);
  const live = db.prepare('SELECT key, version, status, value, value_from AS valueFrom, conflict_id AS conflictId FROM records').all() as {
    key: string;
    version: number;
    status: string;
    value: string;
    valueFrom: string | null;
    conflictId: string | null;
  }[];
  const openConflict = db.prepare('SELECT status, winner, candidates FROM conflicts WHERE id = ?');
  const mismatches: string[] = [];
  for (const row of live) {
    const slot = rebuilt.get(row.key);
    if (slot === undefined) {
      mismatches.push(`${row.key}: in the projection but no history`);
      continue;
    }
    const s = slot.state;
    const expected = { version: s.version, status: s.status, valueFrom: s.valueFrom, conflictId: s.conflict?.id ?? null, value: canonicalJson(JSON.parse(slot.valueJson)) };
    const actual = { version: row.version, status: row.status, valueFrom: row.valueFrom, conflictId: row.conflictId, value: canonicalJson(JSON.parse(row.value)) };
    if (canonicalJson(expected) !== canonicalJson(actual)) mismatches.push(`${row.key}: projection ${canonicalJson(actual)} ≠ history ${canonicalJson(expected)}`);
    if (s.conflict !== null) {
      const c = openConflict.get(s.conflict.id) as { status: string; winner: string | null; candidates: string } | undefined;
      const want = canonicalJson({ status: s.conflict.status, winner: s.conflict.winner, candidates: s.conflict.candidates });
      const got = c === undefined ? 'missing' : canonicalJson({ status: c.status, winner: c.winner, candidates: JSON.parse(c.candidates) as unknown });
      if (want !== got) mismatches.push(`${row.key}: conflict ${s.conflict.id} is ${got}, history says ${want}`);
    }
  }
  if (rebuilt.size !== live.length) mismatches.push(`history has ${rebuilt.size} records, the projection ${live.length}`);
  return { ok: mismatches.length === 0, records: live.length, mismatches };
}
