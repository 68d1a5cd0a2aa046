/**
 * One device batch, one SQLite transaction (protocol §2). Per element: validate the id →
 * dedupe by id (same content: DUPLICATE; other content: EVENT_ID_REUSED) → validate →
 * resolve the record key → run the engine → write the event, the record, conflicts, the
 * outbox row; rejected input goes to quarantine with its raw body. One audit entry covers
 * the batch.
 *
 * `planBatch` decides all of it by reading only, into a write plan (`write-plan.ts`);
 * `ingestBatch` plans and writes in one transaction. The station's LAN path plans here
 * and writes on its writer thread (`write-queue.ts`). Either way the caller acknowledges
 * only after COMMIT; a crash before that is a resend, and resends are idempotent by id.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../../shared/canonical-json.ts';
import { engineEventOf } from '../../../shared/engine/content.ts';
import { applyEvent } from '../../../shared/engine/key-reducer.ts';
import type { EngineSettings } from '../../../shared/engine/types.ts';
import { parseInstant } from '../../../shared/events/instant.ts';
import { recordKeyOf } from '../../../shared/events/record-key.ts';
import type { ParsedEvent, ValidationResult } from '../../../shared/events/types.ts';
import { validateEvent } from '../../../shared/events/validate-event.ts';
import { cutDeeperThan, MAX_EVENT_DEPTH, nestsDeeperThan } from '../../../shared/text-checks.ts';
import { laneOf, type RejectCode, type SyncEventResult, type SyncRequest, type SyncResponse } from '../../../shared/protocol/sync.ts';
import type { HeldEventRow } from './statements.ts';
import { committedBase, executePlan, type WriteBase, type WriteOp } from './write-plan.ts';
import { projectValue, WriteSession, type RecordSlot, type Store } from './write-session.ts';

/** Key in a batch summary counting the events that went to a supervisor's review. */
export const FOR_REVIEW = 'forReview';

export interface IngestContext {
  settings: EngineSettings;
  now: () => Date;
}

export class IngestError extends Error {
  readonly code: 'BAD_REQUEST';
  constructor(message: string) {
    super(message);
    this.code = 'BAD_REQUEST';
  }
}

interface Rejection {
  eventId: string | null;
  code: RejectCode;
  message: string;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The same instant, however it is spelled ("…:00Z", "…:00.000Z"). */
function sameInstant(held: string, sent: unknown): boolean {
  if (held === sent) return true;
  if (typeof sent !== 'string') return false;
  const ms = parseInstant(sent);
  return ms !== null && ms === parseInstant(held);
}

/**
 * Same id, same content? Content is type, operatorId, occurredAt and payload (not
 * baseVersion); occurredAt is the same instant however it is spelled ("…:00Z", "…:00.000Z").
 */
function sameContent(held: { type: string; operatorId: string; occurredAt: string; payload: string }, raw: Record<string, unknown>): boolean {
  return (
    held.type === raw['type'] &&
    held.operatorId === raw['operatorId'] &&
    sameInstant(held.occurredAt, raw['occurredAt']) &&
    canonicalJson(JSON.parse(held.payload)) === canonicalJson(raw['payload'])
  );
}

/**
 * The same content once validated: what validation normalises (optional fields sent as
 * null, the case of a photo's sha256) does not make a resend a different event. Runs only
 * when the plain comparison said no.
 */
function sameValidatedContent(held: HeldEventRow, checked: ValidationResult | { ok: true; event: ParsedEvent; key: string }): boolean {
  if (!checked.ok) return false;
  const before = validateEvent({ id: held.id, type: held.type, operatorId: held.operatorId, occurredAt: held.occurredAt, payload: JSON.parse(held.payload) as unknown });
  if (!before.ok) return false;
  const now = checked.event;
  return (
    before.event.type === now.type &&
    before.event.operatorId === now.operatorId &&
    sameInstant(before.event.occurredAt, now.occurredAt) &&
    canonicalJson(before.event.payload) === canonicalJson(now.payload)
  );
}

/** A batch element validated and keyed ahead of the writes (validation reads no state). */
type PreparedElement =
  | { raw: unknown; id: null }
  | { raw: Record<string, unknown>; id: string; checked: Exclude<ValidationResult, { ok: true }> }
  | { raw: Record<string, unknown>; id: string; checked: { ok: true; event: ParsedEvent; key: string } };

function prepare(input: unknown, ctx: IngestContext): PreparedElement {
  // Nesting deep enough to exhaust the stack of JSON.stringify is cut before anything
  // walks the element; the cut copy is what quarantine keeps.
  const tooDeep = nestsDeeperThan(input, MAX_EVENT_DEPTH);
  const raw = tooDeep ? cutDeeperThan(input, MAX_EVENT_DEPTH) : input;
  if (!isPlainObject(raw) || typeof raw['id'] !== 'string') return { raw, id: null };
  const id = raw['id'];
  if (tooDeep) return { raw, id, checked: { ok: false, eventId: id, code: 'VALIDATION_FAILED', message: `the event nests objects or arrays more than ${MAX_EVENT_DEPTH} levels deep` } };
  const v = validateEvent(raw);
  return v.ok ? { raw, id, checked: { ok: true, event: v.event, key: recordKeyOf(v.event, ctx.settings) } } : { raw, id, checked: v };
}

/** A batch decided and not yet written: its answer once `ops` commit, and what they write. */
export interface BatchPlan {
  response: SyncResponse;
  ops: WriteOp[];
  /** Events the plan writes, as a later plan must see them before this one commits. */
  events: HeldEventRow[];
  /** Records the plan writes, in the state it leaves them. */
  slots: RecordSlot[];
}

export function ingestBatch(store: Store, batch: SyncRequest, ctx: IngestContext): SyncResponse {
  return store.db
    .transaction((): SyncResponse => {
      const plan = planBatch(store, committedBase(store.stmts), batch, ctx);
      executePlan(store, plan.ops);
      return plan.response;
    })
    .immediate();
}

/** Decides a batch against the committed database plus `base` (plans not yet committed); writes nothing. */
export function planBatch(store: Store, base: WriteBase, batch: SyncRequest, ctx: IngestContext): BatchPlan {
  const deviceMs = parseInstant(batch.deviceTime);
  if (deviceMs === null) throw new IngestError('deviceTime must be an ISO-8601 instant ending in Z, e.g. 2026-11-29T15:00:00.000Z');
  const receivedAt = ctx.now();
  const clockSkewMs = deviceMs - receivedAt.getTime();
  const { stmts } = store;
  const session = new WriteSession(store, base, receivedAt.toISOString());
  const at = session.at;
  const batchSeq = session.nextBatchSeq();
  session.write('insertBatch', [batchSeq, batch.batchId, batch.deviceId, at, batch.deviceTime, clockSkewMs, batch.events.length, '{}']);
  const results: SyncEventResult[] = [];
  const counts: Record<string, number> = {};
  const reject = (raw: unknown, r: Rejection): void => {
    const rawJson = JSON.stringify(raw) ?? 'null';
    session.write('insertQuarantine', [r.eventId, sha256(`${r.eventId ?? ''}\n${canonicalJson(raw)}`), batch.deviceId, batchSeq, r.code, r.message, rawJson, at]);
    results.push({ eventId: r.eventId, status: 'REJECTED', error: { code: r.code, message: r.message } });
  };
  // Validate and key every element first, so that held events and records are looked up
  // with one query each for the whole batch instead of one per event.
  const prepared = batch.events.map((raw) => prepare(raw, ctx));
  const held = new Map<string, HeldEventRow>();
  const ids: string[] = [];
  for (const p of prepared) {
    if (p.id === null) continue;
    const pending = base.pendingEvent(p.id);
    if (pending !== undefined) held.set(p.id, pending);
    else if (store.held?.mayHoldEvent(p.id) ?? true) ids.push(p.id);
  }
  if (ids.length > 0) for (const row of stmts.findEvents.iterate(JSON.stringify(ids))) held.set(row.id, row);
  const written: HeldEventRow[] = [];
  session.prefetch(prepared.flatMap((p) => (p.id !== null && p.checked.ok ? [p.checked.key] : [])));
  for (const element of prepared) {
    if (element.id === null) {
      reject(element.raw, { eventId: null, code: 'VALIDATION_FAILED', message: 'each event must be an object with a string id' });
      continue;
    }
    const { raw, id, checked } = element;
    const heldEvent = held.get(id);
    if (heldEvent !== undefined) {
      if (heldEvent.kind === 'event' && (sameContent(heldEvent, raw) || sameValidatedContent(heldEvent, checked))) results.push({ eventId: id, status: 'DUPLICATE' });
      else reject(raw, { eventId: id, code: 'EVENT_ID_REUSED', message: `event id ${id} was already used for different content; give a new event a new id` });
      continue;
    }
    if (!checked.ok) {
      reject(raw, { eventId: checked.eventId, code: checked.code, message: checked.message });
      continue;
    }
    const { event, key } = checked;
    const slot = session.slot(key, event.type);
    const before = slot.state.conflict;
    const out = applyEvent(slot.state, engineEventOf(event, batch.deviceId, clockSkewMs), ctx.settings);
    const r = out.result;
    const result: SyncEventResult =
      r.status === 'CONFLICT'
        ? { eventId: id, status: 'CONFLICT', recordKey: key, version: r.version, conflictId: r.conflictId ?? '', strategy: r.strategy ?? 'MANUAL_REVIEW', outcome: r.outcome ?? 'MANUAL_REVIEW', reason: r.reason ?? '' }
        : { eventId: id, status: r.status, recordKey: key, version: r.version };
    const payloadJson = JSON.stringify(raw['payload']);
    const seq = session.nextEventSeq();
    session.write('insertEvent', [
      seq,
      id,
      'event',
      event.type,
      slot.id,
      batch.deviceId,
      batchSeq,
      event.operatorId,
      event.occurredAt,
      event.baseVersion,
      payloadJson,
      r.status,
      JSON.stringify(result),
      out.supersedes.length > 0 ? JSON.stringify(out.supersedes) : null,
      out.supersededBy.length > 0 ? JSON.stringify(out.supersededBy) : null,
      clockSkewMs,
      at,
    ]);
    // A later element of this batch with the same id is a resend of this one.
    const heldRow: HeldEventRow = { id, seq, kind: 'event', type: event.type, operatorId: event.operatorId, occurredAt: event.occurredAt, payload: payloadJson };
    held.set(id, heldRow);
    written.push(heldRow);
    projectValue(slot, out.state, event, payloadJson, (itemId) => held.get(itemId)?.payload ?? base.pendingEvent(itemId)?.payload ?? stmts.payloadOf.get(itemId)?.payload ?? 'null');
    session.markDirty(slot, seq);
    // The event is relayed before the conflict that names it.
    session.enqueue(laneOf(event.type), 'event', seq, null);
    session.persistConflicts(slot, out.conflictChanges, before, seq);
    results.push(result);
  }
  const slots = session.flush();
  for (const res of results) {
    counts[res.status] = (counts[res.status] ?? 0) + 1;
    if (res.status === 'CONFLICT' && res.outcome === 'MANUAL_REVIEW') counts[FOR_REVIEW] = (counts[FOR_REVIEW] ?? 0) + 1;
  }
  session.write('updateBatchSummary', [JSON.stringify(counts), batchSeq]);
  session.write('touchDevice', [at, clockSkewMs, batch.deviceId]);
  session.audit({
    at,
    actor: `device:${batch.deviceId}`,
    action: 'sync.batch',
    subject: batch.batchId,
    details: { batchSeq, counts, clockSkewMs, digest: sha256(results.map((x) => `${x.eventId ?? ''}:${x.status}`).join('\n')) },
  });
  const cursor = String(session.lastEventSeq());
  // Each id once: an id sent twice in the batch (APPLIED, then DUPLICATE) is one event to delete.
  const syncedEventIds = [...new Set(results.flatMap((x) => (x.status === 'REJECTED' || x.eventId === null ? [] : [x.eventId])))];
  return { response: { batchId: batch.batchId, results, syncedEventIds, clockSkewMs, cursor }, ops: session.ops, events: written, slots };
}
