/**
 * What the supervisor reads: dates in the station's zone (never the browser's), units
 * beside every value, clock skew in words, a dock in one line.
 */
import { describe, expect, it } from 'vitest';
import { describeDock } from '../../src/renderer/format/dock-summary.ts';
import { createStationFormat, formatQuantity, formatSkew, textOf } from '../../src/renderer/format/format.ts';
import { conflictStatusLabel } from '../../src/renderer/format/labels.ts';
import { describeRecordKey, formatField, summarizePayload, visibleFields } from '../../src/renderer/format/payload-fields.ts';

const denver = createStationFormat('America/Denver');

describe('createStationFormat', () => {
  it('shows an instant in the station zone, whatever the machine zone', () => {
    expect(denver.dateTime('2026-11-20T13:05:00Z')).toBe('Nov 20, 2026, 06:05');
    expect(createStationFormat('Asia/Kolkata').time('2026-11-20T13:05:00Z')).toBe('18:35');
  });

  it('a production day stays the same calendar day in every zone', () => {
    expect(denver.day('2026-11-20')).toBe('Fri, Nov 20');
    expect(createStationFormat('Pacific/Kiritimati').day('2026-11-20')).toBe('Fri, Nov 20');
  });

  it('falls back to UTC for a zone this machine does not know', () => {
    expect(createStationFormat('Mars/Olympus').timeZone).toBe('UTC');
  });

  it('missing times print as a dash', () => {
    expect(denver.dateTime(null)).toBe('—');
  });
});

describe('units and numbers', () => {
  it('prints the unit with the value', () => {
    expect(formatQuantity(1241, 'kPa')).toBe('1,241 kPa');
    expect(formatQuantity(72.5, 'degF')).toBe('72.5 °F');
    expect(formatQuantity(125.456, 'bbl')).toBe('125.46 bbl');
  });

  it('payload fields carry their units', () => {
    expect(formatField('oilBbl', { oilBbl: 125 }, denver)).toBe('125 bbl');
    expect(formatField('gasMcf', { gasMcf: 300.5 }, denver)).toBe('300.5 mcf');
    expect(formatField('value', { value: 60, unit: 'degC' }, denver)).toBe('60 °C');
    expect(formatField('result', { result: 'NEEDS_ATTENTION' }, denver)).toBe('Needs attention');
    expect(formatField('checklist', { checklist: { Valve: 'FAIL', Gauge: 'NA' } }, denver)).toBe('Valve: Fail; Gauge: Not applicable');
    expect(formatField('partsUsed', { partsUsed: [] }, denver)).toBe('none');
  });

  it('clock skew in words, with its direction', () => {
    expect(formatSkew(null)).toBe('—');
    expect(formatSkew(400)).toBe('on time');
    expect(formatSkew(125_000)).toBe('2 min 5 s ahead');
    expect(formatSkew(-3_600_000)).toBe('1 h behind');
  });

  it('textOf never prints [object Object]', () => {
    expect(textOf({ a: 1 })).toBe('{"a":1}');
    expect(textOf(3)).toBe('3');
    expect(textOf(undefined)).toBe('');
  });
});

describe('plain words', () => {
  it('a dock in one line', () => {
    expect(describeDock({ APPLIED: 200, CONFIRMED: 12, CONFLICT: 2 })).toBe('214 events, 2 conflicts for review, 0 rejected');
    expect(describeDock({ APPLIED: 1 })).toBe('1 event, 0 conflicts for review, 0 rejected');
    expect(describeDock(null)).toBe('has not docked yet');
    expect(describeDock({ APPLIED: 10, CONFLICT: 3 }, 1)).toBe('13 events, 1 conflict for review, 0 rejected');
    expect(describeDock({ APPLIED: 10, DUPLICATE: 4 })).toBe('10 new events (+4 re-sent, already held), 0 conflicts for review, 0 rejected');
  });

  it('conflict statuses never show the code', () => {
    expect(conflictStatusLabel('PENDING_REVIEW', true)).toBe('Needs your decision');
    expect(conflictStatusLabel('AUTO_RESOLVED', true)).toBe('Decided automatically');
    expect(conflictStatusLabel('RESOLVED', false)).toBe('Decided by a supervisor');
  });

  it('a record key reads as well, item and day', () => {
    expect(describeRecordKey('inspection/W-12/PUMP-3/2026-11-20', denver)).toBe('Well W-12 · PUMP-3 · field day Fri, Nov 20');
    expect(describeRecordKey('reading/W-12/TUBING_PRESSURE/2026-11-20', denver)).toBe('Well W-12 · Tubing pressure · field day Fri, Nov 20');
    expect(describeRecordKey('production/W-12/2026-11-20', denver)).toBe('Well W-12 · production day Fri, Nov 20');
    expect(describeRecordKey('status/W-12', denver)).toBe('Well W-12');
  });

  it('fields show the important ones first and hide ids', () => {
    expect(visibleFields('PRODUCTION_LOGGED', [{ wellId: 'W', measuredAt: 'x', oilBbl: 1, gasMcf: 2, waterBbl: 3, extra: 1 }])).toEqual(['oilBbl', 'gasMcf', 'waterBbl', 'measuredAt', 'extra']);
    expect(summarizePayload('PRODUCTION_LOGGED', { oilBbl: 125, gasMcf: 300, waterBbl: 10 }, denver)).toBe('125 bbl oil · 300 mcf gas · 10 bbl water');
  });
});
