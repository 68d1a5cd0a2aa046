/**
 * Supervisor decisions (protocol §1, §4): `resolveConflict` decides a PENDING_REVIEW
 * conflict, `overrideResolution` replaces an automatic decision. A decision is an item of
 * its own in the history (events.kind = 'decision') that supersedes every candidate it
 * decided; it is relayed (kind `decision`) and audited with who, when and why.
 */
import { randomUUID } from 'node:crypto';
import { contentOf } from '../../../shared/engine/content.ts';
import { SAFETY_TYPES } from '../../../shared/engine/policy.ts';
import { applyDecision } from '../../../shared/engine/key-reducer.ts';
import type { EngineSettings } from '../../../shared/engine/types.ts';
import { recordKeyOf } from '../../../shared/events/record-key.ts';
import type { EventType, ParsedEvent } from '../../../shared/events/types.ts';
import { validateEvent } from '../../../shared/events/validate-event.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { committedBase, executePlan } from './write-plan.ts';
import type { Store } from './write-session.ts';
import { WriteSession } from './write-session.ts';

export type DecisionErrorCode =
  | 'CONFLICT_NOT_FOUND'
  | 'CONFLICT_NOT_PENDING'
  | 'CONFLICT_NOT_AUTO_RESOLVED'
  | 'CONFLICT_NOT_OPEN'
  | 'COMMENT_REQUIRED'
  | 'NOT_A_CANDIDATE'
  | 'NOT_DECIDABLE'
  | 'CONFLICT_CHANGED'
  | 'VALIDATION_FAILED';

export class DecisionError extends Error {
  readonly code: DecisionErrorCode;
  constructor(code: DecisionErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

export type DecisionChoice = { choose: string } | { value: Record<string, unknown> };

export interface DecisionRequest {
  conflictId: string;
  choice: DecisionChoice;
  decidedBy: string;
  comment: string;
  /**
   * The candidates the decider was shown. A decision supersedes every candidate of the
   * conflict, so when an entry arrived after the decider looked (a re-inspection by
   * someone who saw the review joins it), the decision is refused (CONFLICT_CHANGED)
   * instead of silently overruling an entry nobody weighed. Absent: not checked.
   */
  seenCandidates?: readonly string[] | undefined;
}

export interface DecisionContext {
  settings: EngineSettings;
  now: () => Date;
  newId?: () => string;
}

export interface DecisionOutcome {
  decisionId: string;
  conflictId: string;
  recordKey: string;
  version: number;
}

const COMMENT_MAX_CHARS = 2_000;

/**
 * The comment as stored: trimmed of white space and of the invisible characters a
 * keyboard or a paste can leave (zero-width spaces, joiners, BOM), so that a comment
 * nobody can see does not count as one.
 */
export function cleanComment(raw: string): string {
  return raw.replace(/^[\s\u200B-\u200D\u2060\uFEFF]+|[\s\u200B-\u200D\u2060\uFEFF]+$/gu, '');
}

function parsePayload(type: EventType, payload: unknown, by: string, at: string): ParsedEvent | string {
  const v = validateEvent({ id: 'decision', type, operatorId: by, occurredAt: at, payload });
  return v.ok ? v.event : v.message;
}

export function resolveConflict(store: Store, req: DecisionRequest, ctx: DecisionContext): DecisionOutcome {
  return decide(store, req, ctx, 'RESOLVE');
}

export function overrideResolution(store: Store, req: DecisionRequest, ctx: DecisionContext): DecisionOutcome {
  return decide(store, req, ctx, 'OVERRIDE');
}

function decide(store: Store, req: DecisionRequest, ctx: DecisionContext, kind: 'RESOLVE' | 'OVERRIDE'): DecisionOutcome {
  const { db, stmts } = store;
  const run = db.transaction((): DecisionOutcome => {
    const row = db.prepare('SELECT record_key AS recordKey, type, status, is_open AS isOpen FROM conflicts WHERE id = ?').get(req.conflictId) as
      | { recordKey: string; type: EventType; status: string; isOpen: number }
      | undefined;
    if (row === undefined) throw new DecisionError('CONFLICT_NOT_FOUND', `No conflict ${req.conflictId}; it may belong to another station.`);
    if (row.isOpen !== 1) throw new DecisionError('CONFLICT_NOT_OPEN', `Conflict ${req.conflictId} is already closed (${row.status}); a later dispute on the record is a new conflict.`);
    if (kind === 'RESOLVE' && row.status !== 'PENDING_REVIEW') {
      throw new DecisionError('CONFLICT_NOT_PENDING', `Conflict ${req.conflictId} was decided automatically (${row.status}); use override to replace that decision.`);
    }
    if (kind === 'OVERRIDE' && row.status !== 'AUTO_RESOLVED') {
      throw new DecisionError('CONFLICT_NOT_AUTO_RESOLVED', `Conflict ${req.conflictId} waits for review (${row.status}); resolve it instead of overriding.`);
    }
    const comment = cleanComment(req.comment);
    if (comment === '' && ctx.settings.policy[row.type] === 'MANUAL_REVIEW') {
      throw new DecisionError(
        'COMMENT_REQUIRED',
        SAFETY_TYPES.includes(row.type)
          ? 'This is a safety-critical record: write a comment saying why you chose this value.'
          : "The station's policy sends this type to a supervisor: write a comment saying why you chose this value.",
      );
    }
    if (comment.length > COMMENT_MAX_CHARS) throw new DecisionError('VALIDATION_FAILED', `The comment is longer than ${COMMENT_MAX_CHARS} characters.`);
    const at = ctx.now().toISOString();
    const session = new WriteSession(store, committedBase(stmts), at);
    const slot = session.slot(row.recordKey, row.type);
    if (req.seenCandidates !== undefined) {
      const seen = new Set(req.seenCandidates);
      const unseen = (slot.state.conflict?.candidates ?? []).filter((id) => !seen.has(id));
      if (unseen.length > 0) {
        throw new DecisionError(
          'CONFLICT_CHANGED',
          `New entries arrived in conflict ${req.conflictId} after it was looked at (${unseen.join(', ')}): look at the conflict again and decide with them in view.`,
        );
      }
    }
    let payloadJson: string;
    let chosen: string | null;
    if ('choose' in req.choice) {
      chosen = req.choice.choose;
      if (!(slot.state.conflict?.candidates ?? []).includes(chosen)) {
        throw new DecisionError('NOT_A_CANDIDATE', `${chosen} is not a candidate of conflict ${req.conflictId}; choose one of ${(slot.state.conflict?.candidates ?? []).join(', ')}.`);
      }
      payloadJson = stmts.payloadOf.get(chosen)?.payload ?? 'null';
    } else {
      chosen = null;
      payloadJson = JSON.stringify(req.choice.value);
    }
    const parsed = parsePayload(row.type, JSON.parse(payloadJson), req.decidedBy, at);
    if (typeof parsed === 'string') throw new DecisionError('VALIDATION_FAILED', `The corrected value is not valid: ${parsed}`);
    // A chosen candidate belongs to this record by definition, even if the field-day
    // settings changed since it arrived; only a typed value is checked against the key.
    const parsedKey = chosen === null ? recordKeyOf(parsed, ctx.settings) : row.recordKey;
    if (parsedKey !== row.recordKey) {
      throw new DecisionError('VALIDATION_FAILED', `The corrected value belongs to record ${parsedKey}, not ${row.recordKey}: keep the same well, equipment and field day.`);
    }
    const content = contentOf(parsed.type, parsed.payload);
    const decisionId = ctx.newId?.() ?? `dec-${randomUUID()}`;
    const before = slot.state.conflict;
    const out = applyDecision(
      slot.state,
      { id: decisionId, conflictId: req.conflictId, chosen, decidedBy: req.decidedBy, comment, timeMs: content.timeMs, content: content.content, nums: content.nums, label: content.label },
      ctx.settings,
    );
    if (!out.ok) throw new DecisionError(out.error.code, out.error.message);
    const version = out.state.version;
    const result = { decision: 'RESOLVED', conflictId: req.conflictId, recordKey: row.recordKey, version };
    const seq = session.nextEventSeq();
    session.write('insertEvent', [seq, decisionId, 'decision', row.type, slot.id, null, null, req.decidedBy, at, null, payloadJson, 'RESOLVED', JSON.stringify(result), JSON.stringify(out.supersedes), null, 0, at]);
    slot.state = out.state;
    slot.valueJson = payloadJson;
    session.markDirty(slot, seq);
    session.enqueue('critical', 'decision', seq, null);
    session.persistConflicts(slot, out.conflictChanges, before, seq);
    session.flush();
    executePlan(store, session.ops);
    db.prepare(
      'INSERT INTO decisions (id, conflict_id, record_id, kind, chosen_event_id, value, decided_by, decided_at, comment, supersedes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(decisionId, req.conflictId, slot.id, kind, chosen, payloadJson, req.decidedBy, at, comment, JSON.stringify(out.supersedes));
    appendAudit(db, {
      at,
      actor: `user:${req.decidedBy}`,
      action: kind === 'RESOLVE' ? 'conflict.resolve' : 'conflict.override',
      subject: req.conflictId,
      details: { decisionId, recordKey: row.recordKey, chosen, value: chosen === null ? req.choice : undefined, comment, version },
    });
    return { decisionId, conflictId: req.conflictId, recordKey: row.recordKey, version };
  });
  return run.immediate();
}
