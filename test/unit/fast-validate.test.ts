/**
 * The accepting fast path of validateEvent agrees with the zod schemas: whatever it
 * accepts, zod accepts with the very same output (payload key order included), and every
 * event decoded from JSON that zod accepts, it accepts too (so rejections and their
 * messages always come from zod).
 */
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, type EventType } from '../../src/shared/events/types.ts';
import { validateEvent, validateEventWithSchemas } from '../../src/shared/events/validate-event.ts';

type Json = Record<string, unknown>;
const T = '2026-05-19T15:00:00.000Z';
const SHA = '9f2c4e1a7b3d5f60a1b2c3d4e5f60718a1b2c3d4e5f60718a1b2c3d4e5f60718';

const VALID_PAYLOADS: Record<EventType, Json> = {
  PRODUCTION_LOGGED: { wellId: 'W-1', measuredAt: T, oilBbl: 88, gasMcf: 12, waterBbl: 4, productionDate: '2026-05-19', hoursOn: 24, notes: 'ok' },
  WELL_READING_RECORDED: { wellId: 'W-1', metric: 'TANK_LEVEL', value: -3.5, unit: 'in', measuredAt: T },
  EQUIPMENT_INSPECTED: { wellId: 'W-2', equipmentId: 'SEP-7', inspectedAt: T, result: 'FAIL', checklist: { valves: 'PASS', '2': 'NA' }, notes: '' },
  EQUIPMENT_REPAIRED: { wellId: 'W-2', equipmentId: 'SEP-7', repairedAt: T, action: 'replaced gasket', partsUsed: ['gasket', 'bolt'] },
  WELL_STATUS_CHANGED: { wellId: 'W-2', status: 'SHUT_IN', effectiveAt: T, reason: 'leak' },
  NOTES_ADDED: { wellId: 'W-3', text: 'Pump-off controller reset', notedAt: T },
  PHOTO_ATTACHED: { wellId: 'W-3', photoId: 'IMG_9', sha256: SHA.toUpperCase(), mimeType: 'image/webp', bytes: 0, takenAt: T, subject: 'wellhead', caption: 'c' },
};

const FIELDS = [...new Set(Object.values(VALID_PAYLOADS).flatMap((p) => Object.keys(p)))];
const ENVELOPE = ['id', 'type', 'operatorId', 'occurredAt', 'baseVersion', 'payload'];

/** Values near every boundary the schemas draw, plus JSON of any shape. */
const interesting = fc.oneof(
  fc.constantFrom<unknown>(
    null, 0, -0, -1, 1, 24, 24.5, 2.5, 1e21, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, '', 'x', 'a/b', 'x'.repeat(100), 'x'.repeat(101), 'x'.repeat(200), 'x'.repeat(201),
    'x'.repeat(2000), 'x'.repeat(2001), 'x'.repeat(10_000), 'x'.repeat(10_001), T, '2026-05-19T15:00:00Z', '2026-05-19T15:00:00', '2026-02-30T00:00:00Z', '2026-05-19', '2026/05/19',
    SHA, SHA.slice(1), `${SHA.slice(1)}g`, 'psi', 'kPa', 'degC', 'ft', 'm', 'bbl/d', 'TUBING_PRESSURE', 'TEMPERATURE', 'FLOW_RATE', 'PASS', 'FAIL', 'NA', 'ACTIVE', 'PLUGGED', 'image/png',
    true, [], ['a'], [''], Array.from({ length: 201 }, () => 'p'), {}, { a: 'PASS' }, { a: 'MAYBE' }, { '': 'PASS' }, { ['k'.repeat(201)]: 'NA' },
  ),
  fc.jsonValue(),
);

const event = fc
  .record({
    type: fc.constantFrom(...EVENT_TYPES),
    edits: fc.array(fc.tuple(fc.boolean(), fc.oneof(fc.constantFrom(...FIELDS, ...ENVELOPE), fc.string()), fc.option(interesting, { nil: undefined })), { maxLength: 3 }),
  })
  .map(({ type, edits }) => {
    const payload: Json = { ...VALID_PAYLOADS[type] };
    const raw: Json = { id: 'ev-1', type, operatorId: 'op-lena', occurredAt: T, baseVersion: 2, payload };
    for (const [inPayload, key, value] of edits) {
      const target = inPayload ? payload : raw;
      if (value === undefined) delete target[key];
      else target[key] = value;
    }
    return raw;
  });

describe('the fast path of validateEvent and the zod schemas agree', () => {
  it('on JSON events near every boundary: same verdict, same output', () => {
    fc.assert(
      fc.property(event, (raw) => {
        const json = JSON.parse(JSON.stringify(raw)) as unknown;
        const fast = validateEvent(json);
        const reference = validateEventWithSchemas(json);
        expect(fast).toStrictEqual(reference);
        // Key order too (toStrictEqual ignores it): stored values are built from these payloads.
        expect(JSON.stringify(fast)).toBe(JSON.stringify(reference));
      }),
      { numRuns: 5000 },
    );
  });

  it('on anything in place of a field: whatever the fast path accepts, zod accepts the same', () => {
    fc.assert(
      fc.property(fc.constantFrom(...EVENT_TYPES), fc.boolean(), fc.constantFrom(...FIELDS, ...ENVELOPE), fc.anything(), (type, inPayload, key, value) => {
        const payload: Json = { ...VALID_PAYLOADS[type] };
        const raw: Json = { id: 'ev-1', type, operatorId: 'op-lena', occurredAt: T, payload };
        (inPayload ? payload : raw)[key] = value;
        const fast = validateEvent(raw);
        const reference = validateEventWithSchemas(raw);
        expect(!fast.ok || isDeepStrictEqual(fast, reference)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('every valid example payload takes the fast path and keeps unknown fields after the known ones', () => {
    const raw = { id: 'e', type: 'PHOTO_ATTACHED', operatorId: 'o', occurredAt: T, extra: 1, payload: { zz: 1, caption: null, ...VALID_PAYLOADS.PHOTO_ATTACHED, subject: null } };
    const fast = validateEvent(raw);
    expect(JSON.stringify(fast)).toBe(JSON.stringify(validateEventWithSchemas(raw)));
    expect(fast.ok && Object.keys(fast.event.payload)).toEqual(['wellId', 'photoId', 'sha256', 'mimeType', 'bytes', 'takenAt', 'subject', 'caption', 'zz']);
  });
});
