/**
 * What the HQ engine reads from a relayed item (protocol §5). An `event` is the event as
 * the station received it, validated again with the shared validator, plus `deviceId`,
 * `clockSkewMs`, the ids it `supersedes`, those it is `supersededBy` and the station's
 * `result`; a `decision` is a station supervisor's choice, whose value tells its event
 * type and so its record key (the station checks the value belongs to the conflict's
 * record), so HQ places it without waiting for the events it decided. Each gets a digest
 * of its content, which tells a resend by another station from a reused id. Anything that
 * does not parse becomes a rejection with a readable message: stored and counted, never a
 * reason to fail the batch. `conflict` snapshots are kept in `items` only: HQ derives its
 * own conflicts.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from '../src/shared/canonical-json.ts';
import { contentOf, engineEventOf } from '../src/shared/engine/content.ts';
import { isCollectionType } from '../src/shared/engine/policy.ts';
import type { EngineDecision, EngineEvent, EngineSettings } from '../src/shared/engine/types.ts';
import { recordKeyOf } from '../src/shared/events/record-key.ts';
import { EVENT_TYPES, type EventType, type FieldDaySettings, type ParsedEvent } from '../src/shared/events/types.ts';
import { validateEvent } from '../src/shared/events/validate-event.ts';

export type RejectCode = 'VALIDATION_FAILED' | 'UNKNOWN_EVENT_TYPE' | 'EVENT_ID_REUSED' | 'ENGINE_FAILED';

export interface RejectedItem {
  kind: 'rejected';
  seq: number;
  itemKind: string;
  itemId: string | null;
  code: RejectCode;
  message: string;
}

interface Placed {
  seq: number;
  id: string;
  /** SHA-256 of the content that must match for a resend to count as the same item. */
  digest: string;
  key: string;
  type: EventType;
  wellId: string;
  /** The value a record shows when this item decides it: the payload as received, or the decision's value. */
  payload: unknown;
  supersedes: string[];
}

export interface RelayedEvent extends Placed {
  kind: 'event';
  event: ParsedEvent;
  engine: EngineEvent;
  supersededBy: string[];
  /** The station judged it a concurrent entry (collections: CONFLICT with MERGE / KEEP_BOTH). */
  concurrentAtStation: boolean;
}

export interface RelayedDecision extends Placed {
  kind: 'decision';
  decision: EngineDecision;
}

export type RelayedItem = RelayedEvent | RelayedDecision | RejectedItem;

const EventMetaSchema = z.object({
  deviceId: z.string().min(1).max(200),
  clockSkewMs: z.number().finite().nullish(),
  supersedes: z.array(z.string()).nullish(),
  supersededBy: z.array(z.string()).nullish(),
  result: z.object({ status: z.string() }).nullish(),
});

const DecisionSchema = z.object({
  decisionId: z.string().min(1).max(200),
  conflictId: z.string().min(1).max(300),
  chosenEventId: z.string().min(1).nullish(),
  value: z.record(z.string(), z.unknown()),
  decidedBy: z.string().min(1).max(200),
  decidedAt: z.string(),
  comment: z.string().nullish(),
  supersedes: z.array(z.string()),
});

/** SHA-256 of the canonical JSON of an item's content: equal ⇔ the same content. */
export function digestOf(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('base64url');
}

function zodMessage(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length > 0 ? `data.${issue.path.join('.')}` : 'data'}: ${issue.message}`)
    .join('; ');
}

function rejected(seq: number, itemKind: string, itemId: string | null, code: RejectCode, message: string): RejectedItem {
  return { kind: 'rejected', seq, itemKind, itemId, code, message };
}

function idOf(data: Record<string, unknown>, field: string): string | null {
  const id = data[field];
  return typeof id === 'string' && id !== '' ? id : null;
}

function parseEvent(seq: number, data: Record<string, unknown>, settings: FieldDaySettings): RelayedItem {
  const validation = validateEvent(data);
  if (!validation.ok) return rejected(seq, 'event', validation.eventId, validation.code, `the event does not validate: ${validation.message}`);
  const event = validation.event;
  const meta = EventMetaSchema.safeParse(data);
  if (!meta.success) return rejected(seq, 'event', event.id, 'VALIDATION_FAILED', `the relay envelope is incomplete: ${zodMessage(meta.error)}`);
  const { deviceId, clockSkewMs, supersedes, supersededBy, result } = meta.data;
  return {
    kind: 'event',
    seq,
    id: event.id,
    digest: digestOf([event.type, event.operatorId, event.occurredAt, data['payload']]),
    key: recordKeyOf(event, settings),
    type: event.type,
    wellId: event.payload.wellId,
    payload: data['payload'],
    supersedes: supersedes ?? [],
    event,
    engine: engineEventOf(event, deviceId, clockSkewMs ?? 0),
    supersededBy: supersededBy ?? [],
    concurrentAtStation: result?.status === 'CONFLICT',
  };
}

/** The decidable event type whose payload the value is, validated as the station validated it. */
function typedValue(d: z.infer<typeof DecisionSchema>): ParsedEvent | null {
  for (const type of EVENT_TYPES) {
    if (isCollectionType(type)) continue;
    const validation = validateEvent({ id: d.decisionId, type, operatorId: d.decidedBy, occurredAt: d.decidedAt, payload: d.value });
    if (validation.ok) return validation.event;
  }
  return null;
}

function parseDecision(seq: number, data: Record<string, unknown>, settings: FieldDaySettings): RelayedItem {
  const parsed = DecisionSchema.safeParse(data);
  if (!parsed.success) return rejected(seq, 'decision', idOf(data, 'decisionId'), 'VALIDATION_FAILED', `the decision is incomplete: ${zodMessage(parsed.error)}`);
  const d = parsed.data;
  const value = typedValue(d);
  if (value === null) {
    return rejected(seq, 'decision', d.decisionId, 'VALIDATION_FAILED', 'the decision’s value is not a valid payload of a production, reading, inspection, repair or well-status event, or decidedAt is not an ISO-8601 instant');
  }
  const content = contentOf(value.type, value.payload);
  const chosen = d.chosenEventId ?? null;
  const comment = d.comment ?? '';
  return {
    kind: 'decision',
    seq,
    id: d.decisionId,
    digest: digestOf(['decision', d.conflictId, chosen, d.value, d.decidedBy, d.decidedAt, comment]),
    key: recordKeyOf(value, settings),
    type: value.type,
    wellId: value.payload.wellId,
    payload: d.value,
    supersedes: d.supersedes,
    decision: { id: d.decisionId, conflictId: d.conflictId, chosen, decidedBy: d.decidedBy, comment, ...content },
  };
}

/** The engine's reading of one relayed item; undefined for kinds the engine does not apply (conflict snapshots). */
export function parseRelayedItem(item: { seq: number; kind: string; data: Record<string, unknown> }, settings: Omit<EngineSettings, 'wells'>): RelayedItem | undefined {
  switch (item.kind) {
    case 'event':
      return parseEvent(item.seq, item.data, settings);
    case 'decision':
      return parseDecision(item.seq, item.data, settings);
    default:
      return undefined;
  }
}

export function reuseOf(item: RelayedEvent | RelayedDecision): RejectedItem {
  return rejected(item.seq, item.kind, item.id, 'EVENT_ID_REUSED', `${item.kind} id ${item.id} is already held at HQ with different content (relayed earlier, by this or another station); it was not applied`);
}

export function failureOf(item: RelayedEvent | RelayedDecision, error: unknown): RejectedItem {
  const reason = error instanceof Error ? error.message : String(error);
  return rejected(item.seq, item.kind, item.id, 'ENGINE_FAILED', `HQ's engine failed on this ${item.kind} and did not apply it (${reason}); relay it again once HQ is fixed`);
}
