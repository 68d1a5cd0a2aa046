/**
 * Validation of incoming events (protocol §1 table) with zod 4 schemas built once at load,
 * behind a hand-written accepting fast path (`fast-validate.ts`) that returns the same
 * output for valid events; every rejection and its message come from zod.
 * Guarantees:
 * - envelope checks run in a fixed order: the element is an object, `id` (else eventId
 *   null), `type` (an unknown string is UNKNOWN_EVENT_TYPE), then everything else;
 * - a rejection's `message` names the field(s) and says what was expected, in under ~300
 *   characters;
 * - an accepted event carries the zod output: optional payload fields sent as `null` are
 *   dropped (null means "not given"), `subject` defaults to "general", `sha256` is lower
 *   case, unknown payload fields are kept, unknown envelope fields are dropped, and
 *   `occurredAtMs` / `baseVersion` (null when absent) are filled in.
 */
import { isWellFormedText } from '../text-checks.ts';
import { z } from 'zod';
import {
  CHECKLIST_ITEM_RESULTS,
  EVENT_TYPES,
  INSPECTION_RESULTS,
  PHOTO_MIME_TYPES,
  READING_METRICS,
  READING_UNITS,
  WELL_STATUSES,
} from './types.ts';
import type {
  EventType,
  ParsedEvent,
  PayloadByType,
  ReadingUnit,
  RejectionCode,
  ValidationResult,
} from './types.ts';
import { isInstant, isIsoDate, parseInstant } from './instant.ts';
import { isUnitForMetric, UNITS_BY_METRIC } from '../units/normalize.ts';

import {
  acceptValidEvent,
  MAX_CHECKLIST_ITEM_CHARS,
  MAX_ID_CHARS,
  MAX_NOTES_CHARS,
  MAX_PART_CHARS,
  MAX_PARTS,
  MAX_SHORT_TEXT_CHARS,
  MAX_SUBJECT_CHARS,
} from './fast-validate.ts';

export { MAX_CHECKLIST_ITEM_CHARS, MAX_ID_CHARS, MAX_NOTES_CHARS, MAX_PART_CHARS, MAX_PARTS, MAX_SHORT_TEXT_CHARS, MAX_SUBJECT_CHARS };
const MAX_MESSAGE_CHARS = 300;

// ---------- messages ----------

/** A short description of a received value for "(got …)". */
function shown(input: unknown): string {
  if (input === null) return 'null';
  if (typeof input === 'string') {
    return input.length <= 40 ? JSON.stringify(input) : `a text of ${input.length} characters`;
  }
  if (typeof input === 'number' || typeof input === 'boolean') return String(input);
  if (Array.isArray(input)) return 'an array';
  return `a ${typeof input}`;
}

interface IssueLike {
  readonly input?: unknown;
}

/** Error parameter: "is required (what)" when missing, else "must be what (got …)". */
function expecting(what: string): { error: (issue: IssueLike) => string } {
  return {
    error: (issue) => (issue.input === undefined ? `is required (${what})` : `must be ${what} (got ${shown(issue.input)})`),
  };
}

function listed(values: readonly string[]): string {
  return values.length <= 1 ? values.join('') : `${values.slice(0, -1).join(', ')} or ${values[values.length - 1] ?? ''}`;
}

const SIMPLE_KEY_RE = /^[A-Za-z_$][\w$]*$/;

function pathOf(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'string' && SIMPLE_KEY_RE.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${shown(String(segment))}]`;
  }
  return out === '' ? 'event' : out;
}

function messageOf(issues: readonly z.core.$ZodIssue[]): string {
  const seen = new Set<string>();
  const parts: string[] = [];
  let length = 0;
  let omitted = 0;
  for (const issue of issues) {
    const path = pathOf(issue.path);
    if (seen.has(path)) continue;
    seen.add(path);
    const part = `${path} ${issue.message}`;
    if (parts.length > 0 && length + part.length + 2 > MAX_MESSAGE_CHARS) {
      omitted += 1;
      continue;
    }
    parts.push(part);
    length += part.length + 2;
  }
  return omitted > 0 ? `${parts.join('; ')}; and ${omitted} more` : parts.join('; ');
}

// ---------- field schemas (built once) ----------

const INSTANT_WHAT = 'an ISO-8601 instant ending in Z, e.g. 2026-11-29T15:00:00.000Z';
const instantSchema = z.string(expecting(INSTANT_WHAT)).refine(isInstant, expecting(INSTANT_WHAT));

const DATE_WHAT = 'a calendar date as YYYY-MM-DD, e.g. 2026-11-29';
const dateSchema = z.string(expecting(DATE_WHAT)).refine(isIsoDate, expecting(DATE_WHAT));

// Each field has one combined check: zod 4 runs every check through its own loop step,
// and with ~10 fields per event that bookkeeping dominated the time per event.

// Text SQLite could not store as sent (a lone UTF-16 surrogate): refused with its own
// message. Only the error path runs it twice; accepted events pass the fast path.
const WELL_FORMED = expecting('valid Unicode text (it holds half of a character: a lone UTF-16 surrogate)');

function idSchema(): z.ZodString {
  const e = expecting(`a non-empty string of at most ${MAX_ID_CHARS} characters`);
  return z
    .string(e)
    .refine((s) => s.length >= 1 && s.length <= MAX_ID_CHARS, e)
    .refine(isWellFormedText, WELL_FORMED);
}

/** Ids that become parts of record keys: no "/". */
function keyPartSchema(maxChars: number): z.ZodString {
  const e = expecting(`a non-empty string of at most ${maxChars} characters, without "/"`);
  return z
    .string(e)
    .refine((s) => s.length >= 1 && s.length <= maxChars && !s.includes('/'), e)
    .refine(isWellFormedText, WELL_FORMED);
}

function textSchema(minChars: number, maxChars: number): z.ZodString {
  const what =
    minChars > 0
      ? `text of ${minChars} to ${maxChars.toLocaleString('en-US')} characters`
      : `text of at most ${maxChars.toLocaleString('en-US')} characters`;
  const e = expecting(what);
  return z
    .string(e)
    .refine((s) => s.length >= minChars && s.length <= maxChars, e)
    .refine(isWellFormedText, WELL_FORMED);
}

const NON_NEGATIVE = expecting('a number ≥ 0');
const nonNegativeSchema = z.number(NON_NEGATIVE).min(0, NON_NEGATIVE);

function enumSchema<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, expecting(`one of ${listed(values)}`));
}

const eventIdSchema = idSchema();
const operatorIdSchema = idSchema();
const wellIdSchema = keyPartSchema(MAX_ID_CHARS);
const equipmentIdSchema = keyPartSchema(MAX_ID_CHARS);
const optionalNotesSchema = textSchema(0, MAX_NOTES_CHARS).exactOptional();

const BASE_VERSION_WHAT = 'null or a whole number ≥ 1, the record version the device last pulled';
const baseVersionSchema = z
  .number(expecting(BASE_VERSION_WHAT))
  .refine((n) => Number.isSafeInteger(n) && n >= 1, expecting(BASE_VERSION_WHAT))
  .nullable()
  .exactOptional();

// ---------- payload schemas ----------

function payloadParams(type: EventType) {
  return expecting(`a JSON object with the fields of ${type}`);
}

const productionPayload = z.looseObject(
  {
    wellId: wellIdSchema,
    measuredAt: instantSchema,
    productionDate: dateSchema.exactOptional(),
    oilBbl: nonNegativeSchema,
    gasMcf: nonNegativeSchema,
    waterBbl: nonNegativeSchema,
    hoursOn: z
      .number(expecting('a number from 0 to 24'))
      .refine((n) => n >= 0 && n <= 24, expecting('a number from 0 to 24'))
      .exactOptional(),
    notes: optionalNotesSchema,
  },
  payloadParams('PRODUCTION_LOGGED'),
);

const readingPayload = z
  .looseObject(
    {
      wellId: wellIdSchema,
      metric: enumSchema(READING_METRICS),
      value: z.number(expecting('a finite number')),
      unit: enumSchema(READING_UNITS),
      measuredAt: instantSchema,
    },
    payloadParams('WELL_READING_RECORDED'),
  )
  .superRefine((p, ctx) => {
    const units: readonly ReadingUnit[] | undefined = UNITS_BY_METRIC[p.metric];
    if (units !== undefined && !isUnitForMetric(p.metric, p.unit)) {
      const message = `must be ${listed(units)} for metric ${p.metric} (got ${shown(p.unit)})`;
      ctx.addIssue({ code: 'custom', path: ['unit'], input: p.unit, message });
    }
  });

const CHECKLIST_WHAT = `an object of checklist item → ${listed(CHECKLIST_ITEM_RESULTS)}`;
const CHECKLIST_KEY_WHAT = `checklist item names must be 1 to ${MAX_CHECKLIST_ITEM_CHARS} characters`;
const checklistParams = {
  error: (issue: IssueLike & { readonly code?: string }): string =>
    issue.code === 'invalid_key' ? `is not a valid item name (${CHECKLIST_KEY_WHAT})` : expecting(CHECKLIST_WHAT).error(issue),
};
const inspectionPayload = z.looseObject(
  {
    wellId: wellIdSchema,
    equipmentId: equipmentIdSchema,
    inspectedAt: instantSchema,
    result: enumSchema(INSPECTION_RESULTS),
    checklist: z
      .record(z.string().min(1).max(MAX_CHECKLIST_ITEM_CHARS).refine(isWellFormedText, WELL_FORMED), enumSchema(CHECKLIST_ITEM_RESULTS), checklistParams)
      .exactOptional(),
    notes: optionalNotesSchema,
  },
  payloadParams('EQUIPMENT_INSPECTED'),
);

const partsParams = expecting(`a list of at most ${MAX_PARTS} part names (texts)`);
const repairPayload = z.looseObject(
  {
    wellId: wellIdSchema,
    equipmentId: equipmentIdSchema,
    repairedAt: instantSchema,
    action: textSchema(1, MAX_SHORT_TEXT_CHARS),
    partsUsed: z.array(textSchema(1, MAX_PART_CHARS), partsParams).max(MAX_PARTS, partsParams).exactOptional(),
    notes: optionalNotesSchema,
  },
  payloadParams('EQUIPMENT_REPAIRED'),
);

const statusPayload = z.looseObject(
  {
    wellId: wellIdSchema,
    status: enumSchema(WELL_STATUSES),
    effectiveAt: instantSchema,
    reason: textSchema(0, MAX_SHORT_TEXT_CHARS).exactOptional(),
  },
  payloadParams('WELL_STATUS_CHANGED'),
);

const notesPayload = z.looseObject(
  {
    wellId: wellIdSchema,
    text: textSchema(1, MAX_NOTES_CHARS),
    notedAt: instantSchema,
  },
  payloadParams('NOTES_ADDED'),
);

const SHA256_WHAT = 'exactly 64 hexadecimal characters, the SHA-256 of the photo file';
const SHA256_RE = /^[0-9a-fA-F]{64}$/;
const BYTES_WHAT = 'a whole number ≥ 0, the file size in bytes';
const photoPayload = z.looseObject(
  {
    wellId: wellIdSchema,
    photoId: idSchema(),
    sha256: z
      .string(expecting(SHA256_WHAT))
      .refine((s) => SHA256_RE.test(s), expecting(SHA256_WHAT))
      .overwrite((s) => s.toLowerCase()),
    mimeType: enumSchema(PHOTO_MIME_TYPES),
    bytes: z.number(expecting(BYTES_WHAT)).refine((n) => Number.isSafeInteger(n) && n >= 0, expecting(BYTES_WHAT)),
    takenAt: instantSchema,
    subject: keyPartSchema(MAX_SUBJECT_CHARS).default('general'),
    caption: textSchema(0, MAX_SHORT_TEXT_CHARS).exactOptional(),
  },
  payloadParams('PHOTO_ATTACHED'),
);

// ---------- event schemas ----------

/** The event of one type, as `validateEvent` returns it. */
export type ParsedEventOf<T extends EventType> = Extract<ParsedEvent, { type: T }>;

/** Envelope fields shared by every event schema (`type` and `payload` are per type). */
const ENVELOPE_SHAPE = {
  id: eventIdSchema,
  operatorId: operatorIdSchema,
  occurredAt: instantSchema,
  baseVersion: baseVersionSchema,
};

interface WireEnvelope<T extends EventType, P> {
  id: string;
  type: T;
  operatorId: string;
  occurredAt: string;
  baseVersion?: number | null;
  payload: P;
}

/**
 * zod's output for one type → the finished ParsedEvent. Built field by field on purpose:
 * spreading zod's output object was the slowest step of validation.
 */
function toParsedEvent<T extends EventType, P>(wire: WireEnvelope<T, P>) {
  return {
    id: wire.id,
    type: wire.type,
    operatorId: wire.operatorId,
    occurredAt: wire.occurredAt,
    // occurredAt passed instantSchema, so this is never NaN.
    occurredAtMs: parseInstant(wire.occurredAt) ?? Number.NaN,
    baseVersion: wire.baseVersion ?? null,
    payload: wire.payload,
  };
}

/** One zod schema per event type: the envelope (in check order) plus that type's payload. */
export const EVENT_SCHEMAS = {
  PRODUCTION_LOGGED: z
    .object({ ...ENVELOPE_SHAPE, type: z.literal('PRODUCTION_LOGGED'), payload: productionPayload })
    .transform(toParsedEvent),
  WELL_READING_RECORDED: z
    .object({ ...ENVELOPE_SHAPE, type: z.literal('WELL_READING_RECORDED'), payload: readingPayload })
    .transform(toParsedEvent),
  EQUIPMENT_INSPECTED: z
    .object({ ...ENVELOPE_SHAPE, type: z.literal('EQUIPMENT_INSPECTED'), payload: inspectionPayload })
    .transform(toParsedEvent),
  EQUIPMENT_REPAIRED: z
    .object({ ...ENVELOPE_SHAPE, type: z.literal('EQUIPMENT_REPAIRED'), payload: repairPayload })
    .transform(toParsedEvent),
  WELL_STATUS_CHANGED: z
    .object({ ...ENVELOPE_SHAPE, type: z.literal('WELL_STATUS_CHANGED'), payload: statusPayload })
    .transform(toParsedEvent),
  NOTES_ADDED: z.object({ ...ENVELOPE_SHAPE, type: z.literal('NOTES_ADDED'), payload: notesPayload }).transform(toParsedEvent),
  PHOTO_ATTACHED: z
    .object({ ...ENVELOPE_SHAPE, type: z.literal('PHOTO_ATTACHED'), payload: photoPayload })
    .transform(toParsedEvent),
} satisfies { [T in EventType]: z.ZodType<ParsedEventOf<T>> };

/** Optional payload fields; `null` for one of them means "not given". */
const OPTIONAL_PAYLOAD_FIELDS = {
  PRODUCTION_LOGGED: ['productionDate', 'hoursOn', 'notes'],
  WELL_READING_RECORDED: [],
  EQUIPMENT_INSPECTED: ['checklist', 'notes'],
  EQUIPMENT_REPAIRED: ['partsUsed', 'notes'],
  WELL_STATUS_CHANGED: ['reason'],
  NOTES_ADDED: [],
  PHOTO_ATTACHED: ['subject', 'caption'],
} as const satisfies { readonly [T in EventType]: readonly (keyof PayloadByType[T] & string)[] };

// ---------- validateEvent ----------

const EVENT_TYPE_SET: ReadonlySet<string> = new Set(EVENT_TYPES);

function isEventType(value: string): value is EventType {
  return EVENT_TYPE_SET.has(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function rejected(eventId: string | null, code: RejectionCode, message: string): ValidationResult {
  return { ok: false, eventId, code, message };
}

function unknownTypeMessage(type: string): string {
  const upper = type.toUpperCase();
  if (upper !== type && isEventType(upper)) {
    return `type ${shown(type)} is not a known event type (types are case-sensitive: did you mean ${upper}?)`;
  }
  return `type ${shown(type)} is not a known event type (expected one of ${EVENT_TYPES.join(', ')})`;
}

function withoutNullOptionals(raw: Record<string, unknown>, type: EventType): Record<string, unknown> {
  const payload = raw['payload'];
  if (!isObject(payload)) return raw;
  let copy: Record<string, unknown> | null = null;
  for (const field of OPTIONAL_PAYLOAD_FIELDS[type]) {
    if (payload[field] === null) {
      copy ??= { ...payload };
      delete copy[field];
    }
  }
  return copy === null ? raw : { ...raw, payload: copy };
}

/** Validates one raw event (as decoded from JSON) against protocol §1. Never throws. */
export function validateEvent(raw: unknown): ValidationResult {
  return validate(raw, true);
}

/** The reference: `validateEvent` with zod alone, no fast path (tests hold the two equal). */
export function validateEventWithSchemas(raw: unknown): ValidationResult {
  return validate(raw, false);
}

function validate(raw: unknown, fast: boolean): ValidationResult {
  if (!isObject(raw)) {
    const what = 'a JSON object with id, type, operatorId, occurredAt and payload';
    return rejected(null, 'VALIDATION_FAILED', `event must be ${what} (got ${shown(raw)})`);
  }
  const id = raw['id'];
  if (typeof id !== 'string') {
    const what = 'a non-empty string that names the event';
    return rejected(null, 'VALIDATION_FAILED', id === undefined ? `id is required (${what})` : `id must be ${what} (got ${shown(id)})`);
  }
  // A string id, even an unusable one, is the element's eventId in the answer (protocol §2:
  // null only for an element without a string id).
  if (id.length === 0) return rejected(id, 'VALIDATION_FAILED', 'id must be a non-empty string that names the event (got "")');
  if (id.length > MAX_ID_CHARS) {
    return rejected(id, 'VALIDATION_FAILED', `id must be at most ${MAX_ID_CHARS} characters (got ${id.length})`);
  }
  if (!isWellFormedText(id)) return rejected(id, 'VALIDATION_FAILED', 'id must be valid Unicode text (it holds half of a character: a lone UTF-16 surrogate)');
  const type = raw['type'];
  if (typeof type !== 'string') {
    const what = `a string naming one of ${EVENT_TYPES.join(', ')}`;
    return rejected(id, 'VALIDATION_FAILED', type === undefined ? `type is required (${what})` : `type must be ${what} (got ${shown(type)})`);
  }
  if (!isEventType(type)) return rejected(id, 'UNKNOWN_EVENT_TYPE', unknownTypeMessage(type));

  // Valid events (nearly all) skip zod; anything else gets zod's verdict and message.
  const accepted = fast ? acceptValidEvent(raw, type) : null;
  if (accepted !== null) return { ok: true, event: accepted };

  const schema: z.ZodType<ParsedEvent> = EVENT_SCHEMAS[type];
  const result = schema.safeParse(withoutNullOptionals(raw, type));
  if (!result.success) return rejected(id, 'VALIDATION_FAILED', messageOf(result.error.issues));
  return { ok: true, event: result.data };
}
