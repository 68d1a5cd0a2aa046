/**
 * Read models of the dashboard: the queries behind StationApi's read methods. Each takes
 * the database handle and returns contract types; nothing here writes.
 */
import { SAFETY_TYPES } from '../../../shared/engine/policy.ts';
import { canonicalJson } from '../../../shared/canonical-json.ts';
import type {
  AuditRow,
  Candidate,
  ConflictDetail,
  ConflictRow,
  DeviceRow,
  EntryStanding,
  HistoryItem,
  InspectionAlert,
  QuarantineRow,
  RecordRow,
  WellDetail,
  WellStatusNow,
  WellSummary,
} from '../../../shared/api/station-api.ts';
import type { EngineSettings, KeyState, Outcome } from '../../../shared/engine/types.ts';
import { liveItems } from '../../../shared/engine/evaluate.ts';
import type { EventType } from '../../../shared/events/types.ts';
import { normalizeReading } from '../../../shared/units/normalize.ts';
import type { ReadingUnit } from '../../../shared/events/types.ts';
import type { StationDb } from '../db/open-database.ts';
import { wellKeyCondition } from '../db/key-ranges.ts';
import { FOR_REVIEW } from '../ingest/ingest-batch.ts';
import { decodeState } from '../ingest/state-codec.ts';

type Row = Record<string, unknown>;

/** A time a tablet wrote, corrected by that dock's measured clock skew (unchanged when it is not an instant). */
function correctedBySkew(iso: string, skewMs: number | null): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) || skewMs === null ? iso : new Date(ms - skewMs).toISOString();
}
const parse = (text: unknown): unknown => (typeof text === 'string' ? (JSON.parse(text) as unknown) : null);

interface ConflictDbRow {
  conflictId: string;
  recordKey: string;
  type: EventType;
  wellId: string;
  status: ConflictRow['status'];
  strategy: ConflictRow['strategy'];
  reason: string;
  winner: string | null;
  candidates: string;
  distinctValues: number;
  isOpen: number;
  openedAt: string;
  updatedAt: string;
}

const CONFLICT_COLUMNS = `c.id AS conflictId, c.record_key AS recordKey, c.type, r.well_id AS wellId, c.status, c.strategy, c.reason, c.winner, c.candidates,
  c.distinct_values AS distinctValues, c.is_open AS isOpen, c.opened_at AS openedAt, c.updated_at AS updatedAt`;

function toConflictRow(r: ConflictDbRow): ConflictRow {
  return { ...r, candidates: JSON.parse(r.candidates) as string[], isOpen: r.isOpen === 1 };
}

/** SQL conditions and their parameters, built from optional filters. */
class Where {
  readonly #clauses: string[] = [];
  readonly params: unknown[] = [];

  /** Adds `column = value` when the value is given. */
  eq(column: string, value: unknown): this {
    if (value !== undefined) this.add(`${column} = ?`, value);
    return this;
  }

  add(clause: string, ...params: unknown[]): this {
    this.#clauses.push(clause);
    this.params.push(...params);
    return this;
  }

  wellIs(wellId: string | undefined, keyColumn: string): this {
    if (wellId === undefined) return this;
    const c = wellKeyCondition(wellId, keyColumn);
    return this.add(c.sql, ...c.params);
  }

  toString(): string {
    return this.#clauses.length > 0 ? `WHERE ${this.#clauses.join(' AND ')}` : '';
  }
}

export interface ConflictFilter {
  open?: boolean | undefined;
  decidable?: boolean | undefined;
  status?: string | undefined;
  type?: string | undefined;
  wellId?: string | undefined;
  strategy?: string | undefined;
  limit?: number | undefined;
}

/** The safety types as an SQL list of literals (constants of the engine, not input). */
const SAFETY_SQL = SAFETY_TYPES.map((t) => `'${t}'`).join(', ');

/** Open conflicts a supervisor can decide, by status; `pendingSafety` of the pending ones, the safety-critical. */
export function countOpenConflicts(db: StationDb): { pendingReview: number; pendingSafety: number; autoResolvedOpen: number } {
  const rows = db
    .prepare(`SELECT status, c.type IN (${SAFETY_SQL}) AS safety, count(*) AS n FROM conflicts c WHERE is_open = 1 AND strategy NOT IN ('MERGE', 'KEEP_BOTH') GROUP BY status, safety`)
    .all() as { status: string; safety: number; n: number }[];
  const sum = (keep: (r: { status: string; safety: number }) => boolean): number => rows.filter(keep).reduce((n, r) => n + r.n, 0);
  return {
    pendingReview: sum((r) => r.status === 'PENDING_REVIEW'),
    pendingSafety: sum((r) => r.status === 'PENDING_REVIEW' && r.safety === 1),
    autoResolvedOpen: sum((r) => r.status === 'AUTO_RESOLVED'),
  };
}

/**
 * Inspections docked since `since` whose record now says FAIL or NEEDS_ATTENTION, newest
 * first by corrected time: a later entry or a decision that passed the equipment takes it
 * off the list; a decision alone does not put an old inspection on it. Events are appended
 * in arrival order, so the walk goes back from the newest and stops at the first one
 * received before `since`; it costs a day's events, not the history.
 */
export function listInspectionAlerts(db: StationDb, since: string, limit = 50): { alerts: InspectionAlert[]; total: number } {
  const recordIds = new Set<number>();
  const walk = db.prepare('SELECT record_id AS recordId, kind, type, received_at AS receivedAt FROM events ORDER BY seq DESC');
  for (const row of walk.iterate() as Iterable<{ recordId: number; kind: string; type: string; receivedAt: string }>) {
    if (row.receivedAt < since) break;
    if (row.kind === 'event' && row.type === 'EQUIPMENT_INSPECTED') recordIds.add(row.recordId);
  }
  if (recordIds.size === 0) return { alerts: [], total: 0 };
  const rows = db
    .prepare(
      `SELECT r.key, r.well_id AS wellId, r.value, e.operator_id AS operatorId, e.clock_skew_ms AS skewMs,
              d.decided_by AS decidedBy, d.id IS NOT NULL AND d.chosen_event_id IS NULL AS corrected, c.id AS openConflictId
       FROM records r
       LEFT JOIN decisions d ON d.id = r.value_from
       LEFT JOIN events e ON e.id = CASE WHEN d.id IS NULL THEN r.value_from ELSE d.chosen_event_id END
       LEFT JOIN conflicts c ON c.id = r.conflict_id AND c.is_open = 1
       WHERE r.id IN (SELECT value FROM json_each(?))`,
    )
    .all(JSON.stringify([...recordIds])) as { key: string; wellId: string; value: string; operatorId: string | null; skewMs: number | null; decidedBy: string | null; corrected: number; openConflictId: string | null }[];
  const alerts: InspectionAlert[] = [];
  for (const r of rows) {
    const v = parse(r.value) as { equipmentId?: string; inspectedAt?: string; result?: string; checklist?: Record<string, string>; notes?: string } | null;
    if (v === null || (v.result !== 'FAIL' && v.result !== 'NEEDS_ATTENTION')) continue;
    const inspectedAt = v.inspectedAt ?? '';
    alerts.push({
      recordKey: r.key,
      wellId: r.wellId,
      equipmentId: v.equipmentId ?? '',
      result: v.result,
      inspectedAt,
      correctedAt: correctedBySkew(inspectedAt, r.skewMs),
      failedItems: Object.entries(v.checklist ?? {}).flatMap(([item, result]) => (result === 'FAIL' ? [item] : [])),
      notes: v.notes ?? null,
      operatorId: r.corrected === 1 ? null : r.operatorId,
      decidedBy: r.decidedBy,
      corrected: r.corrected === 1,
      openConflictId: r.openConflictId,
    });
  }
  alerts.sort((a, b) => b.correctedAt.localeCompare(a.correctedAt) || a.recordKey.localeCompare(b.recordKey));
  return { alerts: alerts.slice(0, limit), total: alerts.length };
}

export function listConflicts(db: StationDb, f: ConflictFilter): ConflictRow[] {
  const where = new Where().eq('c.status', f.status).eq('c.type', f.type).eq('c.strategy', f.strategy).wellIs(f.wellId, 'c.record_key');
  // With no filter this is the review queue: open conflicts a person can decide. A status
  // asked for returns every conflict that has it (protocol §4 `listConflicts({status})`):
  // RESOLVED ones are closed, and merged notes and kept photos are AUTO_RESOLVED too.
  if (f.open ?? f.status === undefined) where.add('c.is_open = 1');
  if (f.decidable ?? (f.status === undefined && f.strategy === undefined)) where.add("c.strategy NOT IN ('MERGE', 'KEEP_BOTH')");
  const sql = `SELECT ${CONFLICT_COLUMNS} FROM conflicts c JOIN records r ON r.id = c.record_id
    ${String(where)}
    ORDER BY CASE WHEN c.status = 'PENDING_REVIEW' AND c.type IN (${SAFETY_SQL}) THEN 0 WHEN c.status = 'PENDING_REVIEW' THEN 1 WHEN c.status = 'AUTO_RESOLVED' THEN 2 ELSE 3 END,
      c.opened_at, c.rowid LIMIT ?`;
  return (db.prepare(sql).all(...where.params, f.limit ?? 10_000) as ConflictDbRow[]).map(toConflictRow);
}

function differingFields(payloads: readonly Record<string, unknown>[]): Set<string> {
  const fields = new Set(payloads.flatMap((p) => Object.keys(p)));
  const differing = new Set<string>();
  for (const field of fields) {
    const values = new Set(payloads.map((p) => canonicalJson(p[field] ?? null)));
    if (values.size > 1) differing.add(field);
  }
  return differing;
}

export function getConflictDetail(db: StationDb, conflictId: string, settings: EngineSettings): ConflictDetail | null {
  const row = db.prepare(`SELECT ${CONFLICT_COLUMNS} FROM conflicts c JOIN records r ON r.id = c.record_id WHERE c.id = ?`).get(conflictId) as ConflictDbRow | undefined;
  if (row === undefined) return null;
  const conflict = toConflictRow(row);
  const byId = db.prepare(
    'SELECT id, kind, device_id AS deviceId, operator_id AS operatorId, occurred_at AS occurredAt, clock_skew_ms AS clockSkewMs, received_at AS receivedAt, payload FROM events WHERE id = ?',
  );
  const events = conflict.candidates
    .map((cid) => byId.get(cid) as { id: string; kind: 'event' | 'decision'; deviceId: string | null; operatorId: string; occurredAt: string; clockSkewMs: number; receivedAt: string; payload: string } | undefined)
    .filter((e) => e !== undefined);
  const payloads = events.map((e) => JSON.parse(e.payload) as Record<string, unknown>);
  const differing = differingFields(payloads);
  const candidatesDetail: Candidate[] = events.map((e, i) => {
    const payload = payloads[i] ?? {};
    return {
      eventId: e.id,
      kind: e.kind,
      deviceId: e.deviceId,
      operatorId: e.operatorId,
      occurredAt: e.occurredAt,
      correctedAt: correctedBySkew(e.occurredAt, e.clockSkewMs),
      clockSkewMs: e.clockSkewMs,
      receivedAt: e.receivedAt,
      payload,
      isWinner: conflict.winner === e.id,
      differingFields: Object.keys(payload).filter((k) => differing.has(k)),
      photoUrl: conflict.type === 'PHOTO_ATTACHED' && typeof payload['sha256'] === 'string' ? `/api/v1/photos/${String(payload['sha256']).toLowerCase()}` : null,
    };
  });
  const record = db.prepare('SELECT status, value FROM records WHERE key = ?').get(conflict.recordKey) as { status: 'OK' | 'DISPUTED'; value: string };
  const decision = db.prepare('SELECT decided_by AS decidedBy, decided_at AS decidedAt, comment, chosen_event_id AS chosenEventId FROM decisions WHERE conflict_id = ? ORDER BY decided_at DESC LIMIT 1').get(conflictId) as
    | ConflictDetail['decision']
    | undefined;
  const collection = conflict.strategy === 'MERGE' || conflict.strategy === 'KEEP_BOTH';
  return {
    ...conflict,
    candidatesDetail,
    commentRequired: settings.policy[conflict.type] === 'MANUAL_REVIEW',
    allowed: !conflict.isOpen || collection ? 'NONE' : conflict.status === 'PENDING_REVIEW' ? 'RESOLVE' : 'OVERRIDE',
    recordStatus: record.status,
    recordValue: JSON.parse(record.value) as unknown,
    decision: decision ?? null,
  };
}

export function listDevices(db: StationDb): DeviceRow[] {
  const devices = db.prepare('SELECT id, name, paired_at AS pairedAt, last_dock_at AS lastDockAt, clock_skew_ms AS clockSkewMs, revoked_at AS revokedAt FROM devices ORDER BY id').all() as {
    id: string;
    name: string;
    pairedAt: string;
    lastDockAt: string | null;
    clockSkewMs: number | null;
    revokedAt: string | null;
  }[];
  const lastDock = db.prepare('SELECT summary FROM batches WHERE device_id = ? AND received_at >= ? ORDER BY seq');
  return devices.map((d) => {
    let lastBatch: Record<string, number> | null = null;
    let lastBatchForReview: number | null = null;
    if (d.lastDockAt !== null) {
      // A dock is the batches a tablet sent within 15 minutes of its last one.
      const since = new Date(Date.parse(d.lastDockAt) - 15 * 60_000).toISOString();
      lastBatch = {};
      lastBatchForReview = 0;
      for (const b of lastDock.all(d.id, since) as { summary: string }[]) {
        for (const [k, v] of Object.entries(JSON.parse(b.summary) as Record<string, number>)) {
          if (k === FOR_REVIEW) lastBatchForReview += v;
          else lastBatch[k] = (lastBatch[k] ?? 0) + v;
        }
      }
    }
    return { deviceId: d.id, deviceName: d.name, pairedAt: d.pairedAt, lastDockAt: d.lastDockAt, clockSkewMs: d.clockSkewMs, revoked: d.revokedAt !== null, lastBatch, lastBatchForReview };
  });
}

export function listRecords(db: StationDb, f: { wellId?: string | undefined; type?: string | undefined; status?: string | undefined; limit?: number | undefined }): RecordRow[] {
  const where = new Where().wellIs(f.wellId, 'key').eq('type', f.type).eq('status', f.status);
  const rows = db
    .prepare(`SELECT key, type, well_id AS wellId, version, status, value, conflict_id AS conflictId, updated_at AS updatedAt FROM records ${String(where)} ORDER BY key LIMIT ?`)
    .all(...where.params, f.limit ?? 5_000) as (Omit<RecordRow, 'value'> & { value: string })[];
  return rows.map((r) => ({ ...r, value: JSON.parse(r.value) as unknown }));
}

interface ProductionValue {
  oilBbl: number;
  gasMcf: number;
  waterBbl: number;
}

export function listWells(db: StationDb, settings: EngineSettings): WellSummary[] {
  const stats = db.prepare("SELECT well_id AS wellId, count(*) AS records, sum(status = 'DISPUTED') AS disputed, max(updated_at) AS lastUpdatedAt FROM records GROUP BY well_id ORDER BY well_id").all() as {
    wellId: string;
    records: number;
    disputed: number;
    lastUpdatedAt: string | null;
  }[];
  const names = new Map((db.prepare('SELECT id, name FROM wells').all() as { id: string; name: string | null }[]).map((w) => [w.id, w.name]));
  const lastProduction = new Map<string, WellSummary['lastProduction']>();
  // By key range on the key index ('/' < '0'), not a scan of every record for its type.
  for (const r of db.prepare("SELECT well_id AS wellId, key, value FROM records WHERE key >= 'production/' AND key < 'production0' ORDER BY key").iterate() as IterableIterator<{
    wellId: string;
    key: string;
    value: string;
  }>) {
    const v = JSON.parse(r.value) as ProductionValue;
    lastProduction.set(r.wellId, { date: r.key.split('/')[2] ?? '', oilBbl: v.oilBbl, gasMcf: v.gasMcf, waterBbl: v.waterBbl });
  }
  const statuses = new Map<string, WellStatusNow>();
  for (const r of db.prepare("SELECT well_id AS wellId, value, status FROM records WHERE key >= 'status/' AND key < 'status0'").iterate() as IterableIterator<StatusRow>) {
    statuses.set(r.wellId, wellStatusOf(r));
  }
  return stats.map((s) => ({
    wellId: s.wellId,
    name: names.get(s.wellId) ?? null,
    primaryProduct: settings.wells[s.wellId] ?? 'oil',
    disputed: s.disputed,
    records: s.records,
    lastProduction: lastProduction.get(s.wellId) ?? null,
    status: statuses.get(s.wellId) ?? null,
    lastUpdatedAt: s.lastUpdatedAt,
  }));
}

interface StatusRow {
  wellId: string;
  value: string;
  status: 'OK' | 'DISPUTED';
}

function wellStatusOf(r: StatusRow): WellStatusNow {
  const v = JSON.parse(r.value) as { status?: string; effectiveAt?: string; reason?: string };
  return { status: v.status ?? '', since: v.effectiveAt ?? '', reason: v.reason ?? null, disputed: r.status === 'DISPUTED' };
}

function wellSummary(db: StationDb, wellId: string, settings: EngineSettings): WellSummary | null {
  const c = wellKeyCondition(wellId);
  const stats = db.prepare(`SELECT count(*) AS records, coalesce(sum(status = 'DISPUTED'), 0) AS disputed, max(updated_at) AS lastUpdatedAt FROM records WHERE ${c.sql}`).get(...c.params) as {
    records: number;
    disputed: number;
    lastUpdatedAt: string | null;
  };
  if (stats.records === 0) return null;
  const p = wellKeyCondition(wellId);
  const last = db.prepare(`SELECT key, value FROM records WHERE type = 'PRODUCTION_LOGGED' AND ${p.sql} ORDER BY key DESC LIMIT 1`).get(...p.params) as { key: string; value: string } | undefined;
  const v = last === undefined ? null : (JSON.parse(last.value) as ProductionValue);
  const name = (db.prepare('SELECT name FROM wells WHERE id = ?').get(wellId) as { name: string | null } | undefined)?.name ?? null;
  const statusRow = db.prepare("SELECT well_id AS wellId, value, status FROM records WHERE key = 'status/' || ?").get(wellId) as StatusRow | undefined;
  return {
    wellId,
    name,
    primaryProduct: settings.wells[wellId] ?? 'oil',
    disputed: stats.disputed,
    records: stats.records,
    lastProduction: last === undefined || v === null ? null : { date: last.key.split('/')[2] ?? '', oilBbl: v.oilBbl, gasMcf: v.gasMcf, waterBbl: v.waterBbl },
    status: statusRow === undefined ? null : wellStatusOf(statusRow),
    lastUpdatedAt: stats.lastUpdatedAt,
  };
}

const PRESSURE_METRICS = new Set(['TUBING_PRESSURE', 'CASING_PRESSURE', 'LINE_PRESSURE']);

/** Where each item of a record stands now (see `HistoryItem.standing`). */
function standingsOf(state: KeyState): Map<string, EntryStanding> {
  const live = new Set(liveItems(state.items).map((it) => it.id));
  const conflict = state.conflict !== null && state.conflict.status !== 'RESOLVED' ? state.conflict : null;
  const collection = state.type === 'NOTES_ADDED' || state.type === 'PHOTO_ATTACHED';
  const valueContent = state.items.find((it) => it.id === state.valueFrom)?.content;
  const out = new Map<string, EntryStanding>();
  for (const it of state.items) {
    const candidate = conflict?.candidates.includes(it.id) === true;
    const holdsValue = !collection && (it.id === state.valueFrom || (valueContent !== undefined && it.content === valueContent));
    let standing: EntryStanding;
    // A decision supersedes every entry it decided, the chosen one too: that one's value stands.
    if (!live.has(it.id)) standing = holdsValue && conflict === null ? 'CURRENT' : 'REPLACED';
    else if (collection) standing = 'CURRENT';
    else if (candidate && conflict?.status === 'PENDING_REVIEW') standing = 'IN_REVIEW';
    else if (holdsValue) standing = 'CURRENT';
    else standing = 'NOT_CHOSEN';
    out.set(it.id, standing);
  }
  return out;
}

export function getWellDetail(db: StationDb, wellId: string, days: number, settings: EngineSettings, now: Date): WellDetail | null {
  const well = wellSummary(db, wellId, settings);
  if (well === null) return null;
  const from = new Date(now.getTime() - days * 86_400_000).toISOString().slice(0, 10);
  const c = wellKeyCondition(wellId);
  const records = db.prepare(`SELECT id, key, type, status, value, state FROM records WHERE ${c.sql} ORDER BY key`).all(...c.params) as {
    id: number;
    key: string;
    type: EventType;
    status: 'OK' | 'DISPUTED';
    value: string;
    state: string;
  }[];
  const production: WellDetail['production'] = [];
  const pressures: WellDetail['pressures'] = [];
  const itemIds: string[] = [];
  const standings = new Map<string, EntryStanding>();
  for (const r of records) {
    const date = r.key.split('/').at(-1) ?? '';
    if (r.type === 'PRODUCTION_LOGGED' && date >= from) {
      const v = JSON.parse(r.value) as ProductionValue;
      production.push({ date, oilBbl: v.oilBbl, gasMcf: v.gasMcf, waterBbl: v.waterBbl, status: r.status });
    }
    if (r.type === 'WELL_READING_RECORDED' && date >= from) {
      const v = JSON.parse(r.value) as { metric: string; value: number; unit: ReadingUnit; measuredAt: string };
      if (PRESSURE_METRICS.has(v.metric)) pressures.push({ at: v.measuredAt, metric: v.metric, psi: normalizeReading(v.value, v.unit) });
    }
    const state = decodeState(r.state, r.key, r.type);
    for (const [id, standing] of standingsOf(state)) {
      itemIds.push(id);
      standings.set(id, standing);
    }
  }
  const byId = db.prepare(
    `SELECT e.seq, e.id AS eventId, e.kind, e.type, r.key AS recordKey, e.device_id AS deviceId, e.operator_id AS operatorId, e.occurred_at AS occurredAt,
            e.clock_skew_ms AS clockSkewMs, e.received_at AS receivedAt, e.status, e.result, e.payload FROM events e JOIN records r ON r.id = e.record_id WHERE e.id = ?`,
  );
  const history: HistoryItem[] = itemIds
    .map((eid) => byId.get(eid) as Row | undefined)
    .filter((r): r is Row => r !== undefined)
    .sort((a, b) => (b['seq'] as number) - (a['seq'] as number))
    .slice(0, 1_000)
    .map((r) => ({
      seq: r['seq'] as number,
      eventId: r['eventId'] as string,
      kind: r['kind'] as 'event' | 'decision',
      type: r['type'] as EventType,
      recordKey: r['recordKey'] as string,
      deviceId: r['deviceId'] as string | null,
      operatorId: r['operatorId'] as string,
      occurredAt: r['occurredAt'] as string,
      correctedAt: correctedBySkew(r['occurredAt'] as string, r['clockSkewMs'] as number),
      clockSkewMs: r['clockSkewMs'] as number,
      receivedAt: r['receivedAt'] as string,
      status: r['status'] as string,
      outcome: ((parse(r['result']) as { outcome?: Outcome } | null)?.outcome ?? null) as Outcome | null,
      standing: standings.get(r['eventId'] as string) ?? 'REPLACED',
      payload: parse(r['payload']) as Record<string, unknown>,
    }));
  pressures.sort((a, b) => (a.at < b.at ? -1 : 1));
  return { well, production, pressures, history };
}

export function listAudit(db: StationDb, f: { q?: string | undefined; beforeSeq?: number | undefined; limit?: number | undefined }): AuditRow[] {
  const where = new Where();
  if (f.beforeSeq !== undefined) where.add('seq < ?', f.beforeSeq);
  if (f.q !== undefined && f.q.trim() !== '') {
    const like = `%${f.q.trim().replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    where.add("(actor LIKE ? ESCAPE '\\' OR action LIKE ? ESCAPE '\\' OR subject LIKE ? ESCAPE '\\' OR details LIKE ? ESCAPE '\\')", like, like, like, like);
  }
  const rows = db
    .prepare(`SELECT seq, at, actor, action, subject, details, hash FROM audit ${String(where)} ORDER BY seq DESC LIMIT ?`)
    .all(...where.params, f.limit ?? 500) as (Omit<AuditRow, 'details'> & { details: string })[];
  return rows.map((r) => ({ ...r, details: JSON.parse(r.details) as unknown }));
}

export function listQuarantine(db: StationDb, limit: number): QuarantineRow[] {
  const rows = db.prepare('SELECT id, event_id AS eventId, device_id AS deviceId, code, message, raw, received_at AS receivedAt FROM quarantine ORDER BY id DESC LIMIT ?').all(limit) as (Omit<QuarantineRow, 'raw'> & {
    raw: string;
  })[];
  return rows.map((r) => ({ ...r, raw: JSON.parse(r.raw) as unknown }));
}
