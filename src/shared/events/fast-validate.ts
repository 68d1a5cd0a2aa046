/**
 * The accepting fast path of `validateEvent`: for an event that is valid, builds exactly
 * what the zod schemas of `validate-event.ts` would return (same fields, same payload key
 * order: the type's fields in schema order, then unknown fields in input order), about ten
 * times faster. It never rejects: anything it is not sure about (a failed check, an odd
 * value such as `undefined`, a non-plain object, a `__proto__` key) returns null, and the
 * caller runs the zod schema, which alone writes rejection messages. A property test keeps
 * the two in agreement.
 */
import { isWellFormedText } from '../text-checks.ts';
import type { EventType, ParsedEvent } from './types.ts';
import {
  CHECKLIST_ITEM_RESULTS,
  INSPECTION_RESULTS,
  PHOTO_MIME_TYPES,
  READING_METRICS,
  READING_UNITS,
  WELL_STATUSES,
} from './types.ts';
import { isIsoDate, parseInstant } from './instant.ts';
import { isUnitForMetric } from '../units/normalize.ts';
import type { ReadingMetric, ReadingUnit } from './types.ts';

/** Limits shared with the zod schemas (validate-event.ts re-exports them). */
export const MAX_ID_CHARS = 200;
export const MAX_SUBJECT_CHARS = 100;
export const MAX_NOTES_CHARS = 10_000;
export const MAX_SHORT_TEXT_CHARS = 2_000;
export const MAX_PART_CHARS = 200;
export const MAX_PARTS = 200;
export const MAX_CHECKLIST_ITEM_CHARS = 200;

type Check = (v: unknown) => boolean;

interface FieldSpec {
  readonly name: string;
  readonly check: Check;
  readonly optional: boolean;
  /** Value when absent (photo subject). */
  readonly fallback?: unknown;
  /** Output value for an accepted input (sha256 lower case, copies of lists and records). */
  readonly output?: (v: unknown) => unknown;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function text(minChars: number, maxChars: number): Check {
  return (v) => isString(v) && v.length >= minChars && v.length <= maxChars && isWellFormedText(v);
}

function keyPart(maxChars: number): Check {
  return (v) => isString(v) && v.length >= 1 && v.length <= maxChars && !v.includes('/') && isWellFormedText(v);
}

function oneOf(values: readonly string[]): Check {
  const set: ReadonlySet<unknown> = new Set(values);
  return (v) => set.has(v);
}

const instant: Check = (v) => isString(v) && parseInstant(v) !== null;
const isoDate: Check = (v) => isString(v) && isIsoDate(v);
const nonNegative: Check = (v) => isFiniteNumber(v) && v >= 0;
const idCheck = text(1, MAX_ID_CHARS);
const wellId = keyPart(MAX_ID_CHARS);
const equipmentId = keyPart(MAX_ID_CHARS);
const notes = text(0, MAX_NOTES_CHARS);
const SHA256_RE = /^[0-9a-fA-F]{64}$/;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

const isChecklistItem = oneOf(CHECKLIST_ITEM_RESULTS);
const checklistItemName = text(1, MAX_CHECKLIST_ITEM_CHARS);
const checklist: Check = (v) => {
  if (!isPlainObject(v)) return false;
  for (const k in v) {
    if (k === '__proto__' || !checklistItemName(k) || !isChecklistItem(v[k])) return false;
  }
  return true;
};

const partName = text(1, MAX_PART_CHARS);
const partsUsed: Check = (v) => Array.isArray(v) && v.length <= MAX_PARTS && v.every(partName);

const req = (name: string, check: Check, output?: (v: unknown) => unknown): FieldSpec => (output === undefined ? { name, check, optional: false } : { name, check, optional: false, output });
const opt = (name: string, check: Check, output?: (v: unknown) => unknown): FieldSpec => (output === undefined ? { name, check, optional: true } : { name, check, optional: true, output });

const PAYLOAD_FIELDS: { readonly [T in EventType]: readonly FieldSpec[] } = {
  PRODUCTION_LOGGED: [
    req('wellId', wellId),
    req('measuredAt', instant),
    opt('productionDate', isoDate),
    req('oilBbl', nonNegative),
    req('gasMcf', nonNegative),
    req('waterBbl', nonNegative),
    opt('hoursOn', (v) => isFiniteNumber(v) && v >= 0 && v <= 24),
    opt('notes', notes),
  ],
  WELL_READING_RECORDED: [
    req('wellId', wellId),
    req('metric', oneOf(READING_METRICS)),
    req('value', isFiniteNumber),
    req('unit', oneOf(READING_UNITS)),
    req('measuredAt', instant),
  ],
  EQUIPMENT_INSPECTED: [
    req('wellId', wellId),
    req('equipmentId', equipmentId),
    req('inspectedAt', instant),
    req('result', oneOf(INSPECTION_RESULTS)),
    opt('checklist', checklist, (v) => ({ ...(v as Record<string, unknown>) })),
    opt('notes', notes),
  ],
  EQUIPMENT_REPAIRED: [
    req('wellId', wellId),
    req('equipmentId', equipmentId),
    req('repairedAt', instant),
    req('action', text(1, MAX_SHORT_TEXT_CHARS)),
    opt('partsUsed', partsUsed, (v) => [...(v as unknown[])]),
    opt('notes', notes),
  ],
  WELL_STATUS_CHANGED: [req('wellId', wellId), req('status', oneOf(WELL_STATUSES)), req('effectiveAt', instant), opt('reason', text(0, MAX_SHORT_TEXT_CHARS))],
  NOTES_ADDED: [req('wellId', wellId), req('text', text(1, MAX_NOTES_CHARS)), req('notedAt', instant)],
  PHOTO_ATTACHED: [
    req('wellId', wellId),
    req('photoId', idCheck),
    req('sha256', (v) => isString(v) && SHA256_RE.test(v), (v) => (v as string).toLowerCase()),
    req('mimeType', oneOf(PHOTO_MIME_TYPES)),
    req('bytes', (v) => isFiniteNumber(v) && Number.isSafeInteger(v) && v >= 0),
    req('takenAt', instant),
    { name: 'subject', check: keyPart(MAX_SUBJECT_CHARS), optional: true, fallback: 'general' },
    opt('caption', text(0, MAX_SHORT_TEXT_CHARS)),
  ],
};

const KNOWN_FIELDS: ReadonlyMap<EventType, ReadonlySet<string>> = new Map(
  (Object.keys(PAYLOAD_FIELDS) as EventType[]).map((type) => [type, new Set(PAYLOAD_FIELDS[type].map((f) => f.name))]),
);

function payloadOf(type: EventType, p: Record<string, unknown>): Record<string, unknown> | null {
  const out: Record<string, unknown> = {};
  for (const f of PAYLOAD_FIELDS[type]) {
    const v = p[f.name];
    if (v === undefined || (v === null && f.optional)) {
      if (v === undefined && Object.hasOwn(p, f.name)) return null;
      if (!f.optional) return null;
      if (f.fallback !== undefined) out[f.name] = f.fallback;
      continue;
    }
    if (!f.check(v)) return null;
    out[f.name] = f.output === undefined ? v : f.output(v);
  }
  const known = KNOWN_FIELDS.get(type);
  if (known === undefined) return null;
  for (const k in p) {
    if (known.has(k)) continue;
    const v = p[k];
    if (v === undefined || k === '__proto__') return null;
    out[k] = v;
  }
  return out;
}

/**
 * The parsed event when `raw` (a plain object whose `type` is `type`) is valid, else null
 * (the caller then runs the zod schema for the verdict and its message).
 */
export function acceptValidEvent(raw: Record<string, unknown>, type: EventType): ParsedEvent | null {
  const { id, operatorId, occurredAt, baseVersion, payload } = raw;
  if (!isString(id) || !idCheck(id) || !isString(operatorId) || !idCheck(operatorId) || !isString(occurredAt)) return null;
  const occurredAtMs = parseInstant(occurredAt);
  if (occurredAtMs === null) return null;
  if (baseVersion === undefined ? Object.hasOwn(raw, 'baseVersion') : baseVersion !== null && !(isFiniteNumber(baseVersion) && Number.isSafeInteger(baseVersion) && baseVersion >= 1)) {
    return null;
  }
  if (!isPlainObject(payload)) return null;
  const parsedPayload = payloadOf(type, payload);
  if (parsedPayload === null) return null;
  if (type === 'WELL_READING_RECORDED' && !isUnitForMetric(parsedPayload['metric'] as ReadingMetric, parsedPayload['unit'] as ReadingUnit)) return null;
  // The checks above are exactly the schema of `type`, so this is that type's ParsedEvent.
  const event = { id, type, operatorId, occurredAt, occurredAtMs, baseVersion: baseVersion ?? null, payload: parsedPayload } as unknown as ParsedEvent;
  return event;
}
