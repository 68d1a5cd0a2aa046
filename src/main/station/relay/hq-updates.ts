/**
 * Down from HQ (protocol §5): reference data (wells with their primary product, equipment,
 * operators) and policy, applied in one transaction with an audit entry. HQ cannot weaken
 * a locked type: a policy that would set a safety type to an automatic strategy is refused
 * whole and the refusal is audited. HQ's decisions on conflicts are applied like a
 * supervisor's (`resolveConflict` / `overrideResolution`, by `hq:<name>`), so they are in
 * the history, relayed, audited and reach the tablets through `changes`, but never over a
 * decision the station's own supervisor already made: a decision is never overturned
 * without a person at the station, so HQ's is then recorded as skipped, with the reason.
 * A conflict HQ saw across stations carries HQ's id; it applies to this station's open
 * conflict on the same record, with HQ's value when HQ chose another office's report.
 */
import { z } from 'zod';
import { updatePolicy } from '../../../shared/engine/policy.ts';
import { STRATEGIES, type Strategy } from '../../../shared/engine/types.ts';
import { EVENT_TYPES, type EventType } from '../../../shared/events/types.ts';
import type { EngineSettings } from '../../../shared/engine/types.ts';
import { appendAudit } from '../audit/audit-log.ts';
import type { StationDb } from '../db/open-database.ts';
import { DecisionError, overrideResolution, resolveConflict, type DecisionChoice } from '../ingest/decide.ts';
import type { Store } from '../ingest/write-session.ts';
import { readSettings, writeSettings } from '../settings/settings-store.ts';

const updatesSchema = z.object({
  wells: z.array(z.object({ wellId: z.string().min(1).max(200), name: z.string().max(200).nullable().optional(), primaryProduct: z.string() })),
  equipment: z.array(z.record(z.string(), z.unknown())),
  operators: z.array(z.record(z.string(), z.unknown())),
  policy: z.record(z.string(), z.unknown()).nullable(),
  decisions: z.array(z.record(z.string(), z.unknown())),
  nextCursor: z.string().regex(/^\d{1,15}$/),
});
export type HqUpdates = z.infer<typeof updatesSchema>;

export function parseHqUpdates(body: unknown): HqUpdates | null {
  const parsed = updatesSchema.safeParse(body);
  return parsed.success ? parsed.data : null;
}

export function hqUpdatesCursor(db: StationDb): string {
  const row = db.prepare("SELECT value FROM settings WHERE key = 'hqUpdatesCursor'").get() as { value: string } | undefined;
  return row === undefined ? '0' : (JSON.parse(row.value) as string);
}

export interface AppliedUpdates {
  wells: number;
  equipment: number;
  operators: number;
  policy: 'unchanged' | 'applied' | 'refused';
  decisionsReceived: number;
  /** Conflicts HQ's decisions closed here. */
  decisionsApplied: string[];
  /** HQ decisions not applied, each with why (already decided here, not this station's, not valid). */
  decisionsSkipped: { conflictId: string; reason: string }[];
}

interface HqDecision {
  conflictId: string;
  choice: DecisionChoice;
  decidedBy: string;
  comment: string;
  /** The candidates HQ decided (its `supersedes`), when HQ says. */
  seenCandidates?: readonly string[] | undefined;
}

/** HQ's decision as sent down: `chosenEventId` (or `choose`) or a corrected `value`; who; why. */
function decisionOf(raw: Record<string, unknown>): HqDecision | string {
  const conflictId = raw['conflictId'];
  if (typeof conflictId !== 'string' || conflictId === '') return 'it names no conflict';
  const chosen = raw['chosenEventId'] ?? raw['choose'];
  const value = raw['value'];
  let choice: DecisionChoice;
  if (typeof chosen === 'string' && chosen !== '') choice = { choose: chosen };
  else if (typeof value === 'object' && value !== null && !Array.isArray(value)) choice = { value: value as Record<string, unknown> };
  else return 'it chooses no event and gives no value';
  const by = raw['decidedBy'] ?? raw['by'];
  const comment = typeof raw['comment'] === 'string' ? raw['comment'].trim() : '';
  const decidedBy = `hq:${typeof by === 'string' && by.trim() !== '' ? by.trim() : 'unknown'}`;
  const supersedes = raw['supersedes'];
  const seen = Array.isArray(supersedes) && supersedes.every((x) => typeof x === 'string') ? (supersedes as string[]) : undefined;
  return { conflictId, choice, decidedBy, comment: comment === '' ? 'Decided at HQ (no comment given).' : `Decided at HQ: ${comment}`, seenCandidates: seen };
}

function applyDecisions(store: Store, decisions: readonly Record<string, unknown>[], settings: EngineSettings, now: () => Date): Pick<AppliedUpdates, 'decisionsApplied' | 'decisionsSkipped'> {
  const applied: string[] = [];
  const skipped: AppliedUpdates['decisionsSkipped'] = [];
  for (const raw of decisions) {
    const decision = decisionOf(raw);
    const conflictId = typeof raw['conflictId'] === 'string' ? raw['conflictId'] : '(none)';
    if (typeof decision === 'string') {
      skipped.push({ conflictId, reason: `HQ's decision cannot be read: ${decision}` });
      continue;
    }
    let row = store.db.prepare('SELECT status, is_open AS isOpen FROM conflicts WHERE id = ?').get(decision.conflictId) as { status: string; isOpen: number } | undefined;
    const recordKey = raw['recordKey'];
    if (row === undefined && typeof recordKey === 'string') {
      // A conflict HQ saw across stations has HQ's id; here it is the open conflict of the same record, if any.
      const local = store.db.prepare('SELECT id, status, is_open AS isOpen FROM conflicts WHERE record_key = ? AND is_open = 1').get(recordKey) as
        | { id: string; status: string; isOpen: number }
        | undefined;
      if (local !== undefined) {
        row = local;
        decision.conflictId = local.id;
        // Only when HQ decided every entry of it: an open conflict here can be a later
        // dispute (against this station's own decision, say) that HQ never saw. The
        // decision itself refuses (CONFLICT_CHANGED) when HQ did not say what it decided.
        decision.seenCandidates ??= [];
        // HQ may have chosen another station's report: its value then stands as the decision here.
        const chosen = 'choose' in decision.choice ? decision.choice.choose : null;
        const isCandidate = chosen !== null && store.db.prepare('SELECT 1 FROM conflict_candidates WHERE conflict_id = ? AND event_id = ?').get(local.id, chosen) !== undefined;
        const value = raw['value'];
        if (!isCandidate && typeof value === 'object' && value !== null && !Array.isArray(value)) decision.choice = { value: value as Record<string, unknown> };
      }
    }
    if (row === undefined) {
      skipped.push({ conflictId, reason: 'not a conflict of this station' });
      continue;
    }
    if (row.isOpen !== 1) {
      const by = store.db.prepare('SELECT decided_by AS decidedBy FROM decisions WHERE conflict_id = ? ORDER BY decided_at DESC LIMIT 1').get(decision.conflictId) as { decidedBy: string } | undefined;
      skipped.push({ conflictId, reason: `already decided at the station${by === undefined ? '' : ` by ${by.decidedBy}`}; HQ's decision does not overturn it` });
      continue;
    }
    try {
      (row.status === 'PENDING_REVIEW' ? resolveConflict : overrideResolution)(store, decision, { settings, now });
      applied.push(decision.conflictId);
    } catch (err) {
      if (!(err instanceof DecisionError)) throw err;
      skipped.push({ conflictId, reason: err.code === 'CONFLICT_CHANGED' ? `HQ did not decide every entry here: ${err.message} It stays for a supervisor at the station.` : err.message });
    }
  }
  return { decisionsApplied: applied, decisionsSkipped: skipped };
}

/** Applies HQ's updates in one transaction; `settings()` is read after the policy and wells changed, for the decisions. */
export function applyHqUpdates(store: Store, updates: HqUpdates, settings: () => EngineSettings, now: () => Date): AppliedUpdates {
  const { db } = store;
  const at = now().toISOString();
  const nothing = updates.wells.length + updates.equipment.length + updates.operators.length + updates.decisions.length === 0 && updates.policy === null;
  if (nothing) {
    // Nothing new at HQ: no write, no audit entry.
    if (updates.nextCursor !== hqUpdatesCursor(db)) writeSettings(db, { hqUpdatesCursor: updates.nextCursor }, at);
    return { wells: 0, equipment: 0, operators: 0, policy: 'unchanged', decisionsReceived: 0, decisionsApplied: [], decisionsSkipped: [] };
  }
  return db
    .transaction((): AppliedUpdates => {
      const wellRow = db.prepare(
        'INSERT INTO wells (id, name, primary_product, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET name = excluded.name, primary_product = excluded.primary_product, updated_at = excluded.updated_at',
      );
      for (const w of updates.wells) wellRow.run(w.wellId, w.name ?? null, w.primaryProduct === 'gas' ? 'gas' : 'oil', at);
      const equipmentRow = db.prepare('INSERT INTO equipment (id, well_id, name, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET well_id = excluded.well_id, name = excluded.name, updated_at = excluded.updated_at');
      for (const e of updates.equipment) if (typeof e['equipmentId'] === 'string') equipmentRow.run(e['equipmentId'], typeof e['wellId'] === 'string' ? e['wellId'] : null, typeof e['name'] === 'string' ? e['name'] : null, at);
      const operatorRow = db.prepare('INSERT INTO operators (id, name, updated_at) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at');
      for (const o of updates.operators) if (typeof o['operatorId'] === 'string') operatorRow.run(o['operatorId'], typeof o['name'] === 'string' ? o['name'] : null, at);
      let policy: AppliedUpdates['policy'] = 'unchanged';
      let refusal: string | null = null;
      if (updates.policy !== null) {
        const change: Partial<Record<EventType, Strategy>> = {};
        for (const [type, strategy] of Object.entries(updates.policy)) {
          if ((EVENT_TYPES as readonly string[]).includes(type) && (STRATEGIES as readonly unknown[]).includes(strategy)) change[type as EventType] = strategy as Strategy;
        }
        const checked = updatePolicy(readSettings(db).policy, change);
        if (checked.ok) {
          writeSettings(db, { policy: checked.policy }, at);
          policy = 'applied';
        } else {
          policy = 'refused';
          refusal = checked.message;
        }
      }
      writeSettings(db, { hqUpdatesCursor: updates.nextCursor }, at);
      const decided = applyDecisions(store, updates.decisions, settings(), now);
      const applied: AppliedUpdates = { wells: updates.wells.length, equipment: updates.equipment.length, operators: updates.operators.length, policy, decisionsReceived: updates.decisions.length, ...decided };
      appendAudit(db, { at, actor: 'hq', action: 'hq.updates', subject: `cursor ${updates.nextCursor}`, details: { ...applied, ...(refusal === null ? {} : { refusal }) } });
      return applied;
    })
    .immediate();
}
