/**
 * Record keys (protocol §1 table): one key per event, from its payload and the station's
 * field-day settings; the field-day vectors' keys, and the time field of each type.
 */
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../../src/shared/events/types.ts';
import type { EventType, FieldDaySettings, ParsedEvent } from '../../src/shared/events/types.ts';
import { recordKeyOf, TIME_FIELD, timeFieldOf } from '../../src/shared/events/record-key.ts';
import { validateEvent } from '../../src/shared/events/validate-event.ts';

const denver7: FieldDaySettings = { timeZone: 'America/Denver', gaugeDayStartHour: 7 };
const SHA = 'c0ffee00123456789abcdef0123456789abcdef0123456789abcdef012345678';

function parsed(type: EventType, payload: Record<string, unknown>): ParsedEvent {
  const result = validateEvent({ id: 'k-1', type, operatorId: 'op-lena', occurredAt: '2026-06-12T13:00:00.000Z', baseVersion: null, payload });
  if (!result.ok) throw new Error(result.message);
  return result.event;
}

describe('recordKeyOf follows the protocol table', () => {
  it.each([
    ['production without productionDate uses measuredAt’s field day', 'PRODUCTION_LOGGED', { wellId: 'MESA-40', measuredAt: '2026-06-12T12:50:00.000Z', oilBbl: 75, gasMcf: 9, waterBbl: 3 }, 'production/MESA-40/2026-06-11'],
    ['production at 07:05 MDT is that day', 'PRODUCTION_LOGGED', { wellId: 'MESA-41', measuredAt: '2026-06-12T13:05:00.000Z', oilBbl: 76, gasMcf: 9, waterBbl: 3 }, 'production/MESA-41/2026-06-12'],
    ['an explicit productionDate is the key as given, whatever measuredAt says', 'PRODUCTION_LOGGED', { wellId: 'MESA-42', measuredAt: '2026-06-12T12:50:00.000Z', oilBbl: 77, gasMcf: 9, waterBbl: 3, productionDate: '2026-06-12' }, 'production/MESA-42/2026-06-12'],
    ['reading keys carry the metric (spring-forward 07:20 MDT)', 'WELL_READING_RECORDED', { wellId: 'MESA-43', metric: 'TUBING_PRESSURE', value: 700, unit: 'psi', measuredAt: '2026-03-08T13:20:00.000Z' }, 'reading/MESA-43/TUBING_PRESSURE/2026-03-08'],
    ['inspection keys carry the equipment (06:50 MDT → previous day)', 'EQUIPMENT_INSPECTED', { wellId: 'MESA-43', equipmentId: 'SEP-7', inspectedAt: '2026-03-08T12:50:00.000Z', result: 'PASS' }, 'inspection/MESA-43/SEP-7/2026-03-07'],
    ['repair at 01:30 MDT on fall-back day → previous day', 'EQUIPMENT_REPAIRED', { wellId: 'MESA-46', equipmentId: 'HTR-2', repairedAt: '2026-11-01T07:30:00.000Z', action: 'relit pilot' }, 'repair/MESA-46/HTR-2/2026-10-31'],
    ['repair at 01:30 MST on fall-back day → previous day too', 'EQUIPMENT_REPAIRED', { wellId: 'MESA-47', equipmentId: 'HTR-2', repairedAt: '2026-11-01T08:30:00.000Z', action: 'relit pilot' }, 'repair/MESA-47/HTR-2/2026-10-31'],
    ['status keys have no day', 'WELL_STATUS_CHANGED', { wellId: 'VAL-2', status: 'SHUT_IN', effectiveAt: '2026-05-20T15:00:00.000Z' }, 'status/VAL-2'],
    ['notes at 06:50 MST → previous day', 'NOTES_ADDED', { wellId: 'MESA-43', text: 'Snow on lease road', notedAt: '2026-03-07T13:50:00.000Z' }, 'notes/MESA-43/2026-03-06'],
    ['photos without subject go under "general"', 'PHOTO_ATTACHED', { wellId: 'MESA-43', photoId: 'IMG_0308', sha256: SHA, mimeType: 'image/jpeg', bytes: 2483112, takenAt: '2026-03-08T09:30:00.000Z' }, 'photos/MESA-43/general/2026-03-07'],
    ['photos with a subject go under it', 'PHOTO_ATTACHED', { wellId: 'MESA-43', photoId: 'IMG_1', sha256: SHA, mimeType: 'image/png', bytes: 1, takenAt: '2026-03-08T19:30:00.000Z', subject: 'wellhead' }, 'photos/MESA-43/wellhead/2026-03-08'],
  ] as const)('%s', (_name, type, payload, key) => {
    expect(recordKeyOf(parsed(type, payload), denver7)).toBe(key);
  });

  it('the same instant lands on different keys under different station settings', () => {
    const event = parsed('NOTES_ADDED', { wellId: 'APP-3', text: 'x', notedAt: '2026-11-01T10:40:00.000Z' });
    expect(recordKeyOf(event, { timeZone: 'America/New_York', gaugeDayStartHour: 6 })).toBe('notes/APP-3/2026-10-31');
    expect(recordKeyOf(event, { timeZone: 'America/New_York', gaugeDayStartHour: 0 })).toBe('notes/APP-3/2026-11-01');
    expect(recordKeyOf(event, { timeZone: 'UTC', gaugeDayStartHour: 0 })).toBe('notes/APP-3/2026-11-01');
    expect(recordKeyOf(event, { timeZone: 'Asia/Kathmandu', gaugeDayStartHour: 7 })).toBe('notes/APP-3/2026-11-01');
  });

  it('the New York vectors (start hour 6) key readings to the right day on both DST days', () => {
    const ny6: FieldDaySettings = { timeZone: 'America/New_York', gaugeDayStartHour: 6 };
    const reading = (measuredAt: string): ParsedEvent =>
      parsed('WELL_READING_RECORDED', { wellId: 'APP-3', metric: 'LINE_PRESSURE', value: 95, unit: 'psi', measuredAt });
    expect(recordKeyOf(reading('2026-03-08T10:15:00.000Z'), ny6)).toBe('reading/APP-3/LINE_PRESSURE/2026-03-08');
    expect(recordKeyOf(reading('2026-03-08T09:55:00.000Z'), ny6)).toBe('reading/APP-3/LINE_PRESSURE/2026-03-07');
    expect(recordKeyOf(reading('2026-11-01T10:40:00.000Z'), ny6)).toBe('reading/APP-3/LINE_PRESSURE/2026-10-31');
    expect(recordKeyOf(reading('2026-11-01T11:05:00.000Z'), ny6)).toBe('reading/APP-3/LINE_PRESSURE/2026-11-01');
  });

  it('a key never depends on occurredAt, only on the payload', () => {
    const payload = { wellId: 'W-1', text: 'x', notedAt: '2026-06-12T15:00:00.000Z' };
    const a = validateEvent({ id: 'a', type: 'NOTES_ADDED', operatorId: 'op', occurredAt: '2020-01-01T00:00:00Z', payload });
    const b = validateEvent({ id: 'b', type: 'NOTES_ADDED', operatorId: 'op', occurredAt: '2031-01-01T00:00:00Z', payload });
    if (!a.ok || !b.ok) throw new Error('expected valid events');
    expect(recordKeyOf(a.event, denver7)).toBe(recordKeyOf(b.event, denver7));
  });
});

describe('TIME_FIELD and timeFieldOf', () => {
  it('name the protocol’s time field of every type', () => {
    expect(TIME_FIELD).toEqual({
      PRODUCTION_LOGGED: 'measuredAt',
      WELL_READING_RECORDED: 'measuredAt',
      EQUIPMENT_INSPECTED: 'inspectedAt',
      EQUIPMENT_REPAIRED: 'repairedAt',
      WELL_STATUS_CHANGED: 'effectiveAt',
      NOTES_ADDED: 'notedAt',
      PHOTO_ATTACHED: 'takenAt',
    });
    expect(Object.keys(TIME_FIELD).sort()).toEqual([...EVENT_TYPES].sort());
  });

  it.each([
    ['PRODUCTION_LOGGED', { wellId: 'W', measuredAt: '2026-01-01T01:00:00.000Z', oilBbl: 1, gasMcf: 1, waterBbl: 1 }],
    ['WELL_READING_RECORDED', { wellId: 'W', metric: 'FLOW_RATE', value: 1, unit: 'mcf/d', measuredAt: '2026-01-01T02:00:00.000Z' }],
    ['EQUIPMENT_INSPECTED', { wellId: 'W', equipmentId: 'E', inspectedAt: '2026-01-01T03:00:00.000Z', result: 'FAIL' }],
    ['EQUIPMENT_REPAIRED', { wellId: 'W', equipmentId: 'E', repairedAt: '2026-01-01T04:00:00.000Z', action: 'a' }],
    ['WELL_STATUS_CHANGED', { wellId: 'W', status: 'ACTIVE', effectiveAt: '2026-01-01T05:00:00.000Z' }],
    ['NOTES_ADDED', { wellId: 'W', text: 't', notedAt: '2026-01-01T06:00:00.000Z' }],
    ['PHOTO_ATTACHED', { wellId: 'W', photoId: 'P', sha256: SHA, mimeType: 'image/webp', bytes: 3, takenAt: '2026-01-01T07:00:00.000Z' }],
  ] as const)('timeFieldOf(%s) is the value of its TIME_FIELD', (type, payload) => {
    const event = parsed(type, payload);
    const field: string = TIME_FIELD[type];
    expect(timeFieldOf(event)).toBe((payload as Record<string, unknown>)[field]);
  });
});
