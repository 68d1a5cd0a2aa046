/**
 * What an HQ supervisor does with HQ-level conflicts (those the shared engine finds across
 * stations, hq-engine.ts): list them, and decide one. A decision goes through the shared
 * engine's `applyDecision` on HQ's record (the conflict becomes RESOLVED, every candidate
 * superseded) and, in the same transaction, into the tenant's `decisions`, which stations
 * receive through `GET …/updates`. The record's row is locked first, like a batch does, so
 * a decision and a batch on the same key take turns.
 */
import { randomUUID } from 'node:crypto';
import { contentOf } from '../src/shared/engine/content.ts';
import { isCollectionType } from '../src/shared/engine/policy.ts';
import type { ConflictStatus } from '../src/shared/engine/types.ts';
import type { EventType } from '../src/shared/events/types.ts';
import { validateEvent } from '../src/shared/events/validate-event.ts';
import { upsertReferenceIn } from './admin.ts';
import { toNumber, type Sql, type SqlExecutor } from './db.ts';
import { claimInputs, loadPayloads } from './engine-inputs.ts';
import { loadTenantSettings, loadWells } from './engine-settings.ts';
import { addHqDecision } from './key-steps.ts';
import { ConflictLog, lockRecords, writeRecords } from './record-store.ts';
import { digestOf } from './relayed-items.ts';
import { quoteIdent } from './schema.ts';

export type HqDecisionErrorCode = 'UNKNOWN_TENANT' | 'CONFLICT_NOT_FOUND' | 'CONFLICT_NOT_OPEN' | 'COMMENT_REQUIRED' | 'NOT_A_CANDIDATE' | 'NOT_DECIDABLE' | 'VALIDATION_FAILED';

export class HqDecisionError extends Error {
  constructor(
    readonly code: HqDecisionErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface HqConflict {
  conflictId: string;
  recordKey: string;
  type: string;
  wellId: string;
  status: ConflictStatus;
  strategy: string;
  reason: string;
  winner: string | null;
  candidates: string[];
  /** Stations that relayed any of the candidates. */
  stations: string[];
  isOpen: boolean;
  openedAt: string;
  updatedAt: string;
}

const COMMENT_MAX_CHARS = 2_000;

/** What `engine_inputs.station_id` says for a decision taken at HQ. */
const HQ_STATION = 'hq';

function isoOf(value: unknown): string {
  return value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString();
}

function textOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function listOf(value: unknown): string[] {
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  return Array.isArray(parsed) ? parsed.map(String) : [];
}

async function tenantSchema(sql: SqlExecutor, tenantId: string): Promise<string> {
  const rows = await sql.query('SELECT schema_name FROM hq.tenants WHERE tenant_id = $1', [tenantId]);
  const schema = rows[0]?.['schema_name'];
  if (typeof schema !== 'string') throw new HqDecisionError('UNKNOWN_TENANT', `HQ has no tenant ${JSON.stringify(tenantId)}; add a station for it first (add-station).`);
  return quoteIdent(schema);
}

/** HQ-level conflicts, oldest first; `status` narrows to one status. */
export async function listConflicts(sql: Sql, tenantId: string, filter: { status?: ConflictStatus } = {}): Promise<HqConflict[]> {
  const s = await tenantSchema(sql, tenantId);
  const rows = await sql.query(
    `SELECT conflict_id, record_key, type, well_id, status, strategy, reason, winner, candidates, stations, is_open, opened_at, updated_at
     FROM ${s}.conflicts WHERE ($1::text IS NULL OR status = $1) ORDER BY opened_at, conflict_id`,
    [filter.status ?? null],
  );
  return rows.map((row) => ({
    conflictId: String(row['conflict_id']),
    recordKey: String(row['record_key']),
    type: String(row['type']),
    wellId: String(row['well_id']),
    status: String(row['status']) as ConflictStatus,
    strategy: String(row['strategy']),
    reason: String(row['reason']),
    winner: textOrNull(row['winner']),
    candidates: listOf(row['candidates']),
    stations: listOf(row['stations']),
    isOpen: row['is_open'] === true,
    openedAt: isoOf(row['opened_at']),
    updatedAt: isoOf(row['updated_at']),
  }));
}

export interface HqDecisionRequest {
  conflictId: string;
  /** The candidate event whose value is kept. */
  choose: string;
  decidedBy: string;
  comment: string;
}

export interface HqDecisionContext {
  now: () => Date;
  newId?: () => string;
}

export interface HqDecisionOutcome {
  decisionId: string;
  conflictId: string;
  recordKey: string;
}

/** Decides an open HQ-level conflict (PENDING_REVIEW, or an automatic decision to override). */
export async function decideConflict(sql: Sql, tenantId: string, req: HqDecisionRequest, ctx: HqDecisionContext): Promise<HqDecisionOutcome> {
  const comment = req.comment.trim();
  if (comment.length > COMMENT_MAX_CHARS) throw new HqDecisionError('VALIDATION_FAILED', `The comment is longer than ${COMMENT_MAX_CHARS} characters.`);
  if (req.decidedBy.trim() === '') throw new HqDecisionError('VALIDATION_FAILED', 'Say who decides (--by NAME).');
  return sql.transaction(async (tx) => {
    const s = await tenantSchema(tx, tenantId);
    const found = await tx.query(`SELECT record_key, type, well_id, status FROM ${s}.conflicts WHERE conflict_id = $1`, [req.conflictId]);
    const row = found[0];
    if (row === undefined) throw new HqDecisionError('CONFLICT_NOT_FOUND', `HQ has no conflict ${req.conflictId} for tenant ${tenantId}; list them with \`hq conflicts --tenant ${tenantId}\`.`);
    const ref = { key: String(row['record_key']), type: String(row['type']) as EventType, wellId: String(row['well_id']) };
    if (isCollectionType(ref.type)) throw new HqDecisionError('NOT_DECIDABLE', 'Notes and photos are merged, never chosen between: there is nothing to decide.');
    const st = (await lockRecords(tx, s, [ref])).get(ref.key);
    const open = st?.engine.conflict ?? null;
    if (st === undefined || open === null || open.id !== req.conflictId) {
      throw new HqDecisionError('CONFLICT_NOT_OPEN', `Conflict ${req.conflictId} is already closed (${String(row['status'])}); a later dispute on ${ref.key} is a new conflict.`);
    }
    const settings = { ...(await loadTenantSettings(tx, s)), wells: await loadWells(tx, s, [ref.wellId]) };
    if (comment === '' && settings.policy[ref.type] === 'MANUAL_REVIEW') {
      throw new HqDecisionError('COMMENT_REQUIRED', 'This is a safety-critical record: say why you chose this value (--comment).');
    }
    if (!open.candidates.includes(req.choose)) {
      throw new HqDecisionError('NOT_A_CANDIDATE', `${req.choose} is not a candidate of conflict ${req.conflictId}; choose one of ${open.candidates.join(', ')}.`);
    }
    const at = ctx.now().toISOString();
    const decisionId = ctx.newId?.() ?? `hqd-${randomUUID()}`;
    const payload = (await loadPayloads(tx, s, [req.choose])).get(req.choose);
    const value = validateEvent({ id: decisionId, type: ref.type, operatorId: req.decidedBy, occurredAt: at, payload });
    if (!value.ok) throw new HqDecisionError('VALIDATION_FAILED', `The chosen value is not valid any more: ${value.message}`);
    const content = contentOf(value.event.type, value.event.payload);
    const out = addHqDecision(st, { id: decisionId, conflictId: req.conflictId, chosen: req.choose, decidedBy: req.decidedBy, comment, ...content }, payload, settings);
    if (!out.ok) throw new HqDecisionError(out.error.code, out.error.message);
    // Held like a relayed decision, so its value can be shown again later (record-store.ts).
    await claimInputs(tx, s, HQ_STATION, [{ id: decisionId, digest: digestOf(['decision', req.conflictId, req.choose, payload, req.decidedBy, at, comment]), payload }]);
    const conflicts = new ConflictLog();
    conflicts.record(st, out.conflictChanges);
    await writeRecords(tx, s, [st]);
    await conflicts.write(tx, s, [st]);
    await upsertReferenceIn(tx, tenantId, 'decisions', req.conflictId, {
      decisionId,
      recordKey: ref.key,
      status: 'RESOLVED',
      chosenEventId: req.choose,
      value: payload,
      decidedBy: req.decidedBy,
      decidedAt: at,
      comment,
      supersedes: open.candidates,
    });
    return { decisionId, conflictId: req.conflictId, recordKey: ref.key };
  });
}

export interface EngineReject {
  stationId: string;
  lane: string;
  seq: number;
  itemId: string | null;
  kind: string;
  code: string;
  message: string;
  at: string;
}

/** Relayed items the engine could not apply (stored in `items` all the same), newest first. */
export async function listEngineRejects(sql: Sql, tenantId: string, limit = 200): Promise<EngineReject[]> {
  const s = await tenantSchema(sql, tenantId);
  const rows = await sql.query(`SELECT station_id, lane, seq, item_id, kind, code, message, at FROM ${s}.engine_rejects ORDER BY at DESC, station_id, lane, seq DESC LIMIT $1`, [limit]);
  return rows.map((row) => ({
    stationId: String(row['station_id']),
    lane: String(row['lane']),
    seq: toNumber(row['seq']),
    itemId: textOrNull(row['item_id']),
    kind: String(row['kind']),
    code: String(row['code']),
    message: String(row['message']),
    at: isoOf(row['at']),
  }));
}
