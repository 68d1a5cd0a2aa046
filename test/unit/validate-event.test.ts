/**
 * validateEvent (protocol §1 table and envelope rules) and the strict instant parser it
 * uses. Every rejection row asserts the code, the eventId echoed back and that the message
 * names the offending field; the bad events of the shared vectors ("payload validation …",
 * "envelope validation …") are rows here, named by their vector ids.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../../src/shared/events/types.ts';
import type { EventType, RejectionCode } from '../../src/shared/events/types.ts';
import { parseInstant, parseIsoDate } from '../../src/shared/events/instant.ts';
import { validateEvent } from '../../src/shared/events/validate-event.ts';
import { UNITS_BY_METRIC } from '../../src/shared/units/normalize.ts';

type Json = Record<string, unknown>;

const T = '2026-05-19T15:00:00.000Z';
const SHA = '9f2c4e1a7b3d5f60a1b2c3d4e5f60718a1b2c3d4e5f60718a1b2c3d4e5f60718';

const VALID_PAYLOADS: Record<EventType, Json> = {
  PRODUCTION_LOGGED: { wellId: 'VAL-1', measuredAt: T, oilBbl: 88, gasMcf: 12, waterBbl: 4 },
  WELL_READING_RECORDED: { wellId: 'VAL-1', metric: 'TUBING_PRESSURE', value: 812, unit: 'psi', measuredAt: T },
  EQUIPMENT_INSPECTED: { wellId: 'VAL-2', equipmentId: 'SEP-7', inspectedAt: T, result: 'PASS' },
  EQUIPMENT_REPAIRED: { wellId: 'VAL-2', equipmentId: 'SEP-7', repairedAt: T, action: 'replaced gasket' },
  WELL_STATUS_CHANGED: { wellId: 'VAL-2', status: 'SHUT_IN', effectiveAt: T },
  NOTES_ADDED: { wellId: 'VAL-3', text: 'Pump-off controller reset', notedAt: T },
  PHOTO_ATTACHED: { wellId: 'VAL-3', photoId: 'IMG_9', sha256: SHA, mimeType: 'image/jpeg', bytes: 5000, takenAt: T },
};

/** A valid event of `type` with payload fields replaced (undefined removes a field). */
function eventOf(type: EventType, changes: Json = {}, envelope: Json = {}): Json {
  const payload: Json = { ...VALID_PAYLOADS[type] };
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete payload[key];
    else payload[key] = value;
  }
  const event: Json = { id: 'ev-1', type, operatorId: 'op-lena', occurredAt: '2026-05-19T15:10:00.000Z', baseVersion: null, payload };
  for (const [key, value] of Object.entries(envelope)) {
    if (value === undefined) delete event[key];
    else event[key] = value;
  }
  return event;
}

interface Row {
  name: string;
  raw: unknown;
  code: RejectionCode;
  eventId: string | null;
  /** Text the message must contain: the field's path. */
  field: string;
}

const row = (name: string, raw: unknown, field: string, eventId: string | null = 'ev-1', code: RejectionCode = 'VALIDATION_FAILED'): Row => ({
  name,
  raw,
  code,
  eventId,
  field,
});

const long = (n: number): string => 'x'.repeat(n);

// ---- the shared vectors' bad events, verbatim ----
const VECTOR_ROWS: Row[] = [
  row('va01-gas: negative gasMcf', { id: 'va01-gas', type: 'PRODUCTION_LOGGED', operatorId: 'op-lena', occurredAt: '2026-05-19T15:10:00.000Z', baseVersion: null, payload: { wellId: 'VAL-1', measuredAt: T, oilBbl: 88, gasMcf: -3, waterBbl: 4 } }, 'payload.gasMcf', 'va01-gas'),
  row('va01-hours: hoursOn 25', { id: 'va01-hours', type: 'PRODUCTION_LOGGED', operatorId: 'op-lena', occurredAt: '2026-05-19T15:10:00.000Z', baseVersion: null, payload: { wellId: 'VAL-1', measuredAt: T, oilBbl: 88, gasMcf: 12, waterBbl: 4, hoursOn: 25 } }, 'payload.hoursOn', 'va01-hours'),
  row('va01-date: productionDate with slashes', { id: 'va01-date', type: 'PRODUCTION_LOGGED', operatorId: 'op-lena', occurredAt: '2026-05-19T15:10:00.000Z', baseVersion: null, payload: { wellId: 'VAL-1', measuredAt: T, productionDate: '2026/05/19', oilBbl: 88, gasMcf: 12, waterBbl: 4 } }, 'payload.productionDate', 'va01-date'),
  row('va01-water: waterBbl missing', { id: 'va01-water', type: 'PRODUCTION_LOGGED', operatorId: 'op-lena', occurredAt: '2026-05-19T15:10:00.000Z', baseVersion: null, payload: { wellId: 'VAL-1', measuredAt: T, oilBbl: 88, gasMcf: 12 } }, 'payload.waterBbl', 'va01-water'),
  row('va01-noz: measuredAt without Z', { id: 'va01-noz', type: 'PRODUCTION_LOGGED', operatorId: 'op-lena', occurredAt: '2026-05-19T15:10:00.000Z', baseVersion: null, payload: { wellId: 'VAL-1', measuredAt: '2026-05-19T15:00:00', oilBbl: 88, gasMcf: 12, waterBbl: 4 } }, 'payload.measuredAt', 'va01-noz'),
  row('va01-str: oilBbl as a string', { id: 'va01-str', type: 'PRODUCTION_LOGGED', operatorId: 'op-lena', occurredAt: '2026-05-19T15:10:00.000Z', baseVersion: null, payload: { wellId: 'VAL-1', measuredAt: T, oilBbl: '88', gasMcf: 12, waterBbl: 4 } }, 'payload.oilBbl', 'va01-str'),
  row('va01-well: wellId missing', { id: 'va01-well', type: 'PRODUCTION_LOGGED', operatorId: 'op-lena', occurredAt: '2026-05-19T15:10:00.000Z', baseVersion: null, payload: { measuredAt: T, oilBbl: 88, gasMcf: 12, waterBbl: 4 } }, 'payload.wellId', 'va01-well'),
  row('va01-metric: unknown metric', { id: 'va01-metric', type: 'WELL_READING_RECORDED', operatorId: 'op-lena', occurredAt: '2026-05-19T15:10:00.000Z', baseVersion: null, payload: { wellId: 'VAL-1', metric: 'BOTTOMHOLE_PRESSURE', value: 812, unit: 'psi', measuredAt: T } }, 'payload.metric', 'va01-metric'),
  row('va01-unit: unknown unit', { id: 'va01-unit', type: 'WELL_READING_RECORDED', operatorId: 'op-lena', occurredAt: '2026-05-19T15:10:00.000Z', baseVersion: null, payload: { wellId: 'VAL-1', metric: 'TUBING_PRESSURE', value: 56, unit: 'bar', measuredAt: T } }, 'payload.unit', 'va01-unit'),
  row('va01-value: value as a string', { id: 'va01-value', type: 'WELL_READING_RECORDED', operatorId: 'op-lena', occurredAt: '2026-05-19T15:10:00.000Z', baseVersion: null, payload: { wellId: 'VAL-1', metric: 'TUBING_PRESSURE', value: '812', unit: 'psi', measuredAt: T } }, 'payload.value', 'va01-value'),
  row('va02-result: unknown inspection result', { id: 'va02-result', type: 'EQUIPMENT_INSPECTED', operatorId: 'op-lena', occurredAt: '2026-05-20T15:10:00.000Z', baseVersion: null, payload: { wellId: 'VAL-2', equipmentId: 'SEP-7', inspectedAt: '2026-05-20T15:00:00.000Z', result: 'OK' } }, 'payload.result', 'va02-result'),
  row('va02-check: checklist item MAYBE', { id: 'va02-check', type: 'EQUIPMENT_INSPECTED', operatorId: 'op-lena', occurredAt: '2026-05-20T15:10:00.000Z', baseVersion: null, payload: { wellId: 'VAL-2', equipmentId: 'SEP-7', inspectedAt: '2026-05-20T15:00:00.000Z', result: 'PASS', checklist: { valves: 'MAYBE' } } }, 'payload.checklist.valves', 'va02-check'),
  row('va02-equip: equipmentId missing', { id: 'va02-equip', type: 'EQUIPMENT_INSPECTED', operatorId: 'op-lena', occurredAt: '2026-05-20T15:10:00.000Z', baseVersion: null, payload: { wellId: 'VAL-2', inspectedAt: '2026-05-20T15:00:00.000Z', result: 'PASS' } }, 'payload.equipmentId', 'va02-equip'),
  row('va02-when: inspectedAt "yesterday"', { id: 'va02-when', type: 'EQUIPMENT_INSPECTED', operatorId: 'op-lena', occurredAt: '2026-05-20T15:10:00.000Z', baseVersion: null, payload: { wellId: 'VAL-2', equipmentId: 'SEP-7', inspectedAt: 'yesterday', result: 'PASS' } }, 'payload.inspectedAt', 'va02-when'),
  row('va02-parts: partsUsed as a string', { id: 'va02-parts', type: 'EQUIPMENT_REPAIRED', operatorId: 'op-lena', occurredAt: '2026-05-20T15:10:00.000Z', baseVersion: null, payload: { wellId: 'VAL-2', equipmentId: 'SEP-7', repairedAt: '2026-05-20T15:00:00.000Z', action: 'replaced gasket', partsUsed: 'gasket' } }, 'payload.partsUsed', 'va02-parts'),
  row('va02-action: action missing', { id: 'va02-action', type: 'EQUIPMENT_REPAIRED', operatorId: 'op-lena', occurredAt: '2026-05-20T15:10:00.000Z', baseVersion: null, payload: { wellId: 'VAL-2', equipmentId: 'SEP-7', repairedAt: '2026-05-20T15:00:00.000Z' } }, 'payload.action', 'va02-action'),
  row('va02-status: unknown status', { id: 'va02-status', type: 'WELL_STATUS_CHANGED', operatorId: 'op-lena', occurredAt: '2026-05-20T15:10:00.000Z', baseVersion: null, payload: { wellId: 'VAL-2', status: 'DRILLING', effectiveAt: '2026-05-20T15:00:00.000Z' } }, 'payload.status', 'va02-status'),
  row('va02-eff: effectiveAt missing', { id: 'va02-eff', type: 'WELL_STATUS_CHANGED', operatorId: 'op-lena', occurredAt: '2026-05-20T15:10:00.000Z', baseVersion: null, payload: { wellId: 'VAL-2', status: 'SHUT_IN' } }, 'payload.effectiveAt', 'va02-eff'),
  row('va03-empty: empty note text', { id: 'va03-empty', type: 'NOTES_ADDED', operatorId: 'op-lena', occurredAt: '2026-05-21T15:10:00.000Z', baseVersion: null, payload: { wellId: 'VAL-3', text: '', notedAt: '2026-05-21T15:00:00.000Z' } }, 'payload.text', 'va03-empty'),
  row('va03-notext: note text missing', { id: 'va03-notext', type: 'NOTES_ADDED', operatorId: 'op-lena', occurredAt: '2026-05-21T15:10:00.000Z', baseVersion: null, payload: { wellId: 'VAL-3', notedAt: '2026-05-21T15:00:00.000Z' } }, 'payload.text', 'va03-notext'),
  row('va03-when: notedAt is a date, not an instant', { id: 'va03-when', type: 'NOTES_ADDED', operatorId: 'op-lena', occurredAt: '2026-05-21T15:10:00.000Z', baseVersion: null, payload: { wellId: 'VAL-3', text: 'ok', notedAt: '2026-05-21' } }, 'payload.notedAt', 'va03-when'),
  row('va03-short: sha256 of 63 characters', { id: 'va03-short', type: 'PHOTO_ATTACHED', operatorId: 'op-lena', occurredAt: '2026-05-21T15:10:00.000Z', baseVersion: null, payload: { wellId: 'VAL-3', photoId: 'IMG_9', sha256: 'f2c4e1a7b3d5f60a1b2c3d4e5f60718a1b2c3d4e5f60718a1b2c3d4e5f60718', mimeType: 'image/jpeg', bytes: 5000, takenAt: '2026-05-21T15:00:00.000Z' } }, 'payload.sha256', 'va03-short'),
  row('va03-nothex: sha256 with a "g"', { id: 'va03-nothex', type: 'PHOTO_ATTACHED', operatorId: 'op-lena', occurredAt: '2026-05-21T15:10:00.000Z', baseVersion: null, payload: { wellId: 'VAL-3', photoId: 'IMG_9', sha256: 'gf2c4e1a7b3d5f60a1b2c3d4e5f60718a1b2c3d4e5f60718a1b2c3d4e5f60718', mimeType: 'image/jpeg', bytes: 5000, takenAt: '2026-05-21T15:00:00.000Z' } }, 'payload.sha256', 'va03-nothex'),
  row('va03-mime: image/gif', { id: 'va03-mime', type: 'PHOTO_ATTACHED', operatorId: 'op-lena', occurredAt: '2026-05-21T15:10:00.000Z', baseVersion: null, payload: { wellId: 'VAL-3', photoId: 'IMG_9', sha256: SHA, mimeType: 'image/gif', bytes: 5000, takenAt: '2026-05-21T15:00:00.000Z' } }, 'payload.mimeType', 'va03-mime'),
  row('va03-bytes: negative bytes', { id: 'va03-bytes', type: 'PHOTO_ATTACHED', operatorId: 'op-lena', occurredAt: '2026-05-21T15:10:00.000Z', baseVersion: null, payload: { wellId: 'VAL-3', photoId: 'IMG_9', sha256: SHA, mimeType: 'image/jpeg', bytes: -1, takenAt: '2026-05-21T15:00:00.000Z' } }, 'payload.bytes', 'va03-bytes'),
  row('va03-pid: photoId missing', { id: 'va03-pid', type: 'PHOTO_ATTACHED', operatorId: 'op-lena', occurredAt: '2026-05-21T15:10:00.000Z', baseVersion: null, payload: { wellId: 'VAL-3', sha256: SHA, mimeType: 'image/jpeg', bytes: 5000, takenAt: '2026-05-21T15:00:00.000Z' } }, 'payload.photoId', 'va03-pid'),
  row('va03-taken: takenAt missing', { id: 'va03-taken', type: 'PHOTO_ATTACHED', operatorId: 'op-lena', occurredAt: '2026-05-21T15:10:00.000Z', baseVersion: null, payload: { wellId: 'VAL-3', photoId: 'IMG_9', sha256: SHA, mimeType: 'image/jpeg', bytes: 5000 } }, 'payload.takenAt', 'va03-taken'),
  row('va04 (no id): element without id', { type: 'NOTES_ADDED', operatorId: 'op-lena', occurredAt: '2026-05-22T15:10:00.000Z', baseVersion: null, payload: { wellId: 'VAL-4', text: 'no id', notedAt: '2026-05-22T15:00:00.000Z' } }, 'id', null),
  row('va04 (numeric id): id 4711', { id: 4711, type: 'NOTES_ADDED', operatorId: 'op-lena', occurredAt: '2026-05-22T15:10:00.000Z', baseVersion: null, payload: { wellId: 'VAL-4', text: 'numeric id', notedAt: '2026-05-22T15:00:00.000Z' } }, 'id', null),
  row('va04-occ: occurredAt "22/05/2026 15:10"', { id: 'va04-occ', type: 'NOTES_ADDED', operatorId: 'op-lena', occurredAt: '22/05/2026 15:10', baseVersion: null, payload: { wellId: 'VAL-4', text: 'bad occurredAt', notedAt: '2026-05-22T15:00:00.000Z' } }, 'occurredAt', 'va04-occ'),
  row('va04-bv: baseVersion -2', { id: 'va04-bv', type: 'NOTES_ADDED', operatorId: 'op-lena', occurredAt: '2026-05-22T15:10:00.000Z', baseVersion: -2, payload: { wellId: 'VAL-4', text: 'negative baseVersion', notedAt: '2026-05-22T15:00:00.000Z' } }, 'baseVersion', 'va04-bv'),
  row('va04-arr: payload is an array', { id: 'va04-arr', type: 'NOTES_ADDED', operatorId: 'op-lena', occurredAt: '2026-05-22T15:10:00.000Z', baseVersion: null, payload: [{ wellId: 'VAL-4' }] }, 'payload', 'va04-arr'),
  row('va04-nopl: payload missing', { id: 'va04-nopl', type: 'NOTES_ADDED', operatorId: 'op-lena', occurredAt: '2026-05-22T15:10:00.000Z', baseVersion: null }, 'payload', 'va04-nopl'),
  row('va04-type: WELL_DRILLED', { id: 'va04-type', type: 'WELL_DRILLED', operatorId: 'op-lena', occurredAt: '2026-05-22T15:10:00.000Z', baseVersion: null, payload: { wellId: 'VAL-4', depthFt: 9200 } }, 'type "WELL_DRILLED"', 'va04-type', 'UNKNOWN_EVENT_TYPE'),
  row('va04-case: notes_added in lower case', { id: 'va04-case', type: 'notes_added', operatorId: 'op-lena', occurredAt: '2026-05-22T15:10:00.000Z', baseVersion: null, payload: { wellId: 'VAL-4', text: 'lower-case type', notedAt: '2026-05-22T15:00:00.000Z' } }, 'type "notes_added"', 'va04-case', 'UNKNOWN_EVENT_TYPE'),
];

// ---- one row per rule ----
const ENVELOPE_ROWS: Row[] = [
  row('the element is an array', [eventOf('NOTES_ADDED')], 'event', null),
  row('the element is null', null, 'event', null),
  row('the element is a string', 'NOTES_ADDED', 'event', null),
  row('id is an empty string (echoed: it is a string id)', eventOf('NOTES_ADDED', {}, { id: '' }), 'id', ''),
  row('id holds a lone UTF-16 surrogate (SQLite could not store it as sent)', eventOf('NOTES_ADDED', {}, { id: 'ev-\ud800' }), 'id', 'ev-\ud800'),
  row('a key part holds a lone surrogate', eventOf('NOTES_ADDED', { wellId: 'W-\udc01' }), 'payload.wellId'),
  row('text holds a lone surrogate', eventOf('NOTES_ADDED', { text: 'pump \ud83d ok' }), 'payload.text'),
  row('id is null', eventOf('NOTES_ADDED', {}, { id: null }), 'id', null),
  row('id longer than 200 characters (echoed: it is a string id)', eventOf('NOTES_ADDED', {}, { id: long(201) }), 'id', long(201)),
  row('type missing', eventOf('NOTES_ADDED', {}, { type: undefined }), 'type'),
  row('type is a number', eventOf('NOTES_ADDED', {}, { type: 7 }), 'type'),
  row('type is an empty string', eventOf('NOTES_ADDED', {}, { type: '' }), 'type ""', 'ev-1', 'UNKNOWN_EVENT_TYPE'),
  row('type with trailing space', eventOf('NOTES_ADDED', {}, { type: 'NOTES_ADDED ' }), 'type "NOTES_ADDED "', 'ev-1', 'UNKNOWN_EVENT_TYPE'),
  row('operatorId missing', eventOf('NOTES_ADDED', {}, { operatorId: undefined }), 'operatorId'),
  row('operatorId empty', eventOf('NOTES_ADDED', {}, { operatorId: '' }), 'operatorId'),
  row('operatorId longer than 200 characters', eventOf('NOTES_ADDED', {}, { operatorId: long(201) }), 'operatorId'),
  row('occurredAt missing', eventOf('NOTES_ADDED', {}, { occurredAt: undefined }), 'occurredAt'),
  row('occurredAt as epoch millis', eventOf('NOTES_ADDED', {}, { occurredAt: 1779376200000 }), 'occurredAt'),
  row('occurredAt with +00:00 instead of Z', eventOf('NOTES_ADDED', {}, { occurredAt: '2026-05-19T15:10:00+00:00' }), 'occurredAt'),
  row('occurredAt on 2026-02-30', eventOf('NOTES_ADDED', {}, { occurredAt: '2026-02-30T15:10:00Z' }), 'occurredAt'),
  row('baseVersion 0', eventOf('NOTES_ADDED', {}, { baseVersion: 0 }), 'baseVersion'),
  row('baseVersion 1.5', eventOf('NOTES_ADDED', {}, { baseVersion: 1.5 }), 'baseVersion'),
  row('baseVersion "3"', eventOf('NOTES_ADDED', {}, { baseVersion: '3' }), 'baseVersion'),
  row('baseVersion true', eventOf('NOTES_ADDED', {}, { baseVersion: true }), 'baseVersion'),
  row('payload null', eventOf('NOTES_ADDED', {}, { payload: null }), 'payload'),
  row('payload a string', eventOf('NOTES_ADDED', {}, { payload: 'hello' }), 'payload'),
];

const PAYLOAD_ROWS: Row[] = [
  row('oilBbl negative', eventOf('PRODUCTION_LOGGED', { oilBbl: -0.5 }), 'payload.oilBbl'),
  row('oilBbl null (required fields may not be null)', eventOf('PRODUCTION_LOGGED', { oilBbl: null }), 'payload.oilBbl'),
  row('oilBbl NaN', eventOf('PRODUCTION_LOGGED', { oilBbl: Number.NaN }), 'payload.oilBbl'),
  row('gasMcf Infinity', eventOf('PRODUCTION_LOGGED', { gasMcf: Number.POSITIVE_INFINITY }), 'payload.gasMcf'),
  row('waterBbl a string', eventOf('PRODUCTION_LOGGED', { waterBbl: '4' }), 'payload.waterBbl'),
  row('hoursOn negative', eventOf('PRODUCTION_LOGGED', { hoursOn: -1 }), 'payload.hoursOn'),
  row('productionDate not a real date', eventOf('PRODUCTION_LOGGED', { productionDate: '2026-02-29' }), 'payload.productionDate'),
  row('productionDate with a time', eventOf('PRODUCTION_LOGGED', { productionDate: '2026-05-19T00:00:00Z' }), 'payload.productionDate'),
  row('production notes longer than 10,000 characters', eventOf('PRODUCTION_LOGGED', { notes: long(10_001) }), 'payload.notes'),
  row('wellId with "/"', eventOf('PRODUCTION_LOGGED', { wellId: 'MESA/14' }), 'payload.wellId'),
  row('wellId empty', eventOf('PRODUCTION_LOGGED', { wellId: '' }), 'payload.wellId'),
  row('wellId longer than 200 characters', eventOf('PRODUCTION_LOGGED', { wellId: long(201) }), 'payload.wellId'),
  row('wellId a number', eventOf('PRODUCTION_LOGGED', { wellId: 14 }), 'payload.wellId'),
  row('reading metric in lower case', eventOf('WELL_READING_RECORDED', { metric: 'tubing_pressure' }), 'payload.metric'),
  row('reading unit missing', eventOf('WELL_READING_RECORDED', { unit: undefined }), 'payload.unit'),
  row('reading value missing', eventOf('WELL_READING_RECORDED', { value: undefined }), 'payload.value'),
  row('reading measuredAt 24:00', eventOf('WELL_READING_RECORDED', { measuredAt: '2026-05-19T24:00:00Z' }), 'payload.measuredAt'),
  row('pressure in degF', eventOf('WELL_READING_RECORDED', { metric: 'TUBING_PRESSURE', unit: 'degF' }), 'payload.unit'),
  row('casing pressure in ft', eventOf('WELL_READING_RECORDED', { metric: 'CASING_PRESSURE', unit: 'ft' }), 'payload.unit'),
  row('temperature in psi', eventOf('WELL_READING_RECORDED', { metric: 'TEMPERATURE', unit: 'psi' }), 'payload.unit'),
  row('tank level in kPa', eventOf('WELL_READING_RECORDED', { metric: 'TANK_LEVEL', unit: 'kPa' }), 'payload.unit'),
  row('flow rate in m', eventOf('WELL_READING_RECORDED', { metric: 'FLOW_RATE', unit: 'm' }), 'payload.unit'),
  row('checklist an array', eventOf('EQUIPMENT_INSPECTED', { checklist: ['PASS'] }), 'payload.checklist'),
  row('checklist item in lower case', eventOf('EQUIPMENT_INSPECTED', { checklist: { 'relief valve': 'pass' } }), 'payload.checklist["relief valve"]'),
  row('checklist item with an empty name', eventOf('EQUIPMENT_INSPECTED', { checklist: { '': 'PASS' } }), 'payload.checklist[""]'),
  row('equipmentId with "/"', eventOf('EQUIPMENT_INSPECTED', { equipmentId: 'SEP/7' }), 'payload.equipmentId'),
  row('inspection notes a number', eventOf('EQUIPMENT_INSPECTED', { notes: 5 }), 'payload.notes'),
  row('action empty', eventOf('EQUIPMENT_REPAIRED', { action: '' }), 'payload.action'),
  row('action longer than 2,000 characters', eventOf('EQUIPMENT_REPAIRED', { action: long(2001) }), 'payload.action'),
  row('partsUsed with a number', eventOf('EQUIPMENT_REPAIRED', { partsUsed: ['gasket', 3] }), 'payload.partsUsed[1]'),
  row('partsUsed with an empty name', eventOf('EQUIPMENT_REPAIRED', { partsUsed: [''] }), 'payload.partsUsed[0]'),
  row('repairedAt missing', eventOf('EQUIPMENT_REPAIRED', { repairedAt: undefined }), 'payload.repairedAt'),
  row('status in lower case', eventOf('WELL_STATUS_CHANGED', { status: 'shut_in' }), 'payload.status'),
  row('reason longer than 2,000 characters', eventOf('WELL_STATUS_CHANGED', { reason: long(2001) }), 'payload.reason'),
  row('note text longer than 10,000 characters', eventOf('NOTES_ADDED', { text: long(10_001) }), 'payload.text'),
  row('note wellId missing', eventOf('NOTES_ADDED', { wellId: undefined }), 'payload.wellId'),
  row('sha256 of 65 characters', eventOf('PHOTO_ATTACHED', { sha256: `${SHA}0` }), 'payload.sha256'),
  row('bytes fractional', eventOf('PHOTO_ATTACHED', { bytes: 1.5 }), 'payload.bytes'),
  row('bytes a string', eventOf('PHOTO_ATTACHED', { bytes: '5000' }), 'payload.bytes'),
  row('subject with "/"', eventOf('PHOTO_ATTACHED', { subject: 'wellhead/north' }), 'payload.subject'),
  row('subject empty', eventOf('PHOTO_ATTACHED', { subject: '' }), 'payload.subject'),
  row('subject longer than 100 characters', eventOf('PHOTO_ATTACHED', { subject: long(101) }), 'payload.subject'),
  row('caption a number', eventOf('PHOTO_ATTACHED', { caption: 42 }), 'payload.caption'),
  row('caption longer than 2,000 characters', eventOf('PHOTO_ATTACHED', { caption: long(2001) }), 'payload.caption'),
  row('photoId longer than 200 characters', eventOf('PHOTO_ATTACHED', { photoId: long(201) }), 'payload.photoId'),
];

function vectorRow(eventId: string): Row {
  const found = VECTOR_ROWS.find((r) => r.eventId === eventId);
  if (found === undefined) throw new Error(`no vector row ${eventId}`);
  return found;
}

/** The rejection of `raw`; throws (failing the test) when it is accepted. */
function rejectionOf(raw: unknown): { eventId: string | null; code: RejectionCode; message: string } {
  const result = validateEvent(raw);
  if (result.ok) throw new Error(`expected a rejection, got ${JSON.stringify(result.event)}`);
  return result;
}

function checkRow(r: Row): void {
  const rejection = rejectionOf(r.raw);
  expect(rejection.code).toBe(r.code);
  expect(rejection.eventId).toBe(r.eventId);
  expect(rejection.message).toContain(r.field);
}

describe('validateEvent rejects every bad event of the shared vectors with the vector code, naming the field', () => {
  it.each(VECTOR_ROWS.map((r) => [r.name, r] as const))('%s', (_name, r) => {
    checkRow(r);
    expect.hasAssertions();
  });
});

describe('validateEvent: every envelope rule rejects with its code and names the field', () => {
  it.each(ENVELOPE_ROWS.map((r) => [r.name, r] as const))('%s', (_name, r) => {
    checkRow(r);
    expect.hasAssertions();
  });
});

describe('validateEvent: every payload rule rejects with VALIDATION_FAILED and names the field', () => {
  it.each(PAYLOAD_ROWS.map((r) => [r.name, r] as const))('%s', (_name, r) => {
    checkRow(r);
    expect.hasAssertions();
  });
});

describe('validateEvent messages a person can act on', () => {
  it('a number sent as a string says what was expected and what came', () => {
    const { message } = rejectionOf(vectorRow('va01-str').raw);
    expect(message).toBe('payload.oilBbl must be a number ≥ 0 (got "88")');
  });

  it('an instant without Z shows the expected form with an example', () => {
    const { message } = rejectionOf(vectorRow('va01-noz').raw);
    expect(message).toContain('payload.measuredAt must be an ISO-8601 instant ending in Z, e.g. 2026-11-29T15:00:00.000Z');
  });

  it('an unknown type lists the known ones', () => {
    const { message } = rejectionOf(eventOf('NOTES_ADDED', {}, { type: 'WELL_DRILLED' }));
    expect(message).toMatch(/^type "WELL_DRILLED" is not a known event type \(expected one of PRODUCTION_LOGGED, /);
    for (const type of EVENT_TYPES) expect(message).toContain(type);
  });

  it('a type in the wrong case points at the right spelling', () => {
    const result = validateEvent(eventOf('NOTES_ADDED', {}, { type: 'notes_added' }));
    expect(!result.ok && result.message).toContain('did you mean NOTES_ADDED');
  });

  it('a unit that does not fit the metric names the units that do', () => {
    const result = validateEvent(eventOf('WELL_READING_RECORDED', { metric: 'TEMPERATURE', unit: 'psi' }));
    expect(!result.ok && result.message).toBe('payload.unit must be degF or degC for metric TEMPERATURE (got "psi")');
  });

  it('a missing field says it is required', () => {
    const result = validateEvent(eventOf('PRODUCTION_LOGGED', { waterBbl: undefined }));
    expect(!result.ok && result.message).toBe('payload.waterBbl is required (a number ≥ 0)');
  });

  it('several wrong fields are listed in field order and the message stays under ~300 characters', () => {
    const raw = eventOf('PHOTO_ATTACHED', {
      wellId: 'a/b',
      photoId: '',
      sha256: 'nope',
      mimeType: 'image/gif',
      bytes: -1,
      takenAt: 'later',
      subject: 'x/y',
      caption: 1,
    });
    const result = validateEvent(raw);
    if (result.ok) throw new Error('expected a rejection');
    expect(result.message.startsWith('payload.wellId ')).toBe(true);
    expect(result.message).toContain('payload.photoId');
    expect(result.message).toMatch(/and \d+ more$/);
    expect(result.message.length).toBeLessThanOrEqual(360);
  });

  it('a very long received value is described, not echoed', () => {
    const result = validateEvent(eventOf('PRODUCTION_LOGGED', { notes: long(10_001) }));
    expect(!result.ok && result.message).toBe('payload.notes must be text of at most 10,000 characters (got a text of 10001 characters)');
  });
});

describe('validateEvent check order: id, then type, then the rest', () => {
  it('a missing id wins over an unknown type (eventId null, VALIDATION_FAILED)', () => {
    const result = validateEvent(eventOf('NOTES_ADDED', {}, { id: undefined, type: 'WELL_DRILLED' }));
    expect(result).toMatchObject({ ok: false, eventId: null, code: 'VALIDATION_FAILED' });
  });

  it('an unknown type wins over a bad occurredAt, baseVersion and payload', () => {
    const result = validateEvent({ id: 'x', type: 'WELL_DRILLED', occurredAt: 'soon', baseVersion: -1, payload: [] });
    expect(result).toMatchObject({ ok: false, eventId: 'x', code: 'UNKNOWN_EVENT_TYPE' });
  });

  it('envelope fields are reported before payload fields', () => {
    const result = validateEvent(eventOf('NOTES_ADDED', { text: '' }, { occurredAt: 'soon' }));
    expect(!result.ok && result.message.indexOf('occurredAt')).toBe(0);
  });
});

describe('validateEvent accepts valid events of all seven types', () => {
  it.each(EVENT_TYPES.map((t) => [t] as const))('a minimal valid %s passes with its payload as sent', (type) => {
    const result = validateEvent(eventOf(type));
    if (!result.ok) throw new Error(result.message);
    expect(result.event.type).toBe(type);
    expect(result.event.id).toBe('ev-1');
    expect(result.event.occurredAtMs).toBe(Date.parse('2026-05-19T15:10:00.000Z'));
    expect(result.event.baseVersion).toBeNull();
    expect(result.event.payload).toMatchObject(VALID_PAYLOADS[type]);
  });

  it('every optional field at its limits is accepted', () => {
    const cases: Json[] = [
      eventOf('PRODUCTION_LOGGED', { productionDate: '2028-02-29', hoursOn: 24, notes: long(10_000), oilBbl: 0, gasMcf: 0, waterBbl: 0 }),
      eventOf('PRODUCTION_LOGGED', { hoursOn: 0, notes: '' }),
      eventOf('EQUIPMENT_INSPECTED', { checklist: { valves: 'PASS', 'relief valve #2': 'FAIL', gauge: 'NA' }, notes: 'ok', result: 'NEEDS_ATTENTION' }),
      eventOf('EQUIPMENT_INSPECTED', { checklist: {} }),
      eventOf('EQUIPMENT_REPAIRED', { partsUsed: [], notes: 'n', action: long(2000) }),
      eventOf('EQUIPMENT_REPAIRED', { partsUsed: ['gasket', '3/8 NPT ball valve'] }),
      eventOf('WELL_STATUS_CHANGED', { status: 'PLUGGED', reason: long(2000) }),
      eventOf('WELL_STATUS_CHANGED', { status: 'TEMPORARILY_ABANDONED' }),
      eventOf('NOTES_ADDED', { text: long(10_000) }),
      eventOf('PHOTO_ATTACHED', { subject: long(100), caption: long(2000), bytes: 0, mimeType: 'image/webp' }),
      eventOf('PHOTO_ATTACHED', { mimeType: 'image/png', wellId: long(200), photoId: long(200) }),
      eventOf('NOTES_ADDED', {}, { id: long(200), operatorId: long(200), baseVersion: 1 }),
      eventOf('NOTES_ADDED', {}, { baseVersion: undefined }),
      eventOf('NOTES_ADDED', {}, { occurredAt: '2026-05-19T15:10:00Z' }),
      eventOf('NOTES_ADDED', {}, { occurredAt: '2026-05-19T15:10:00.1Z' }),
      eventOf('NOTES_ADDED', {}, { occurredAt: '2026-05-19T15:10:00.123456789Z' }),
    ];
    for (const raw of cases) {
      const result = validateEvent(raw);
      expect(result.ok ? 'ok' : result.message).toBe('ok');
    }
  });

  it.each(
    Object.entries(UNITS_BY_METRIC).flatMap(([metric, units]) => units.map((unit) => [metric, unit] as const)),
  )('metric %s accepts unit %s', (metric, unit) => {
    expect(validateEvent(eventOf('WELL_READING_RECORDED', { metric, unit })).ok).toBe(true);
  });
});

describe('validateEvent output is the normalised parse', () => {
  it('a photo without subject gets subject "general"', () => {
    const result = validateEvent(eventOf('PHOTO_ATTACHED'));
    expect(result.ok && result.event.type === 'PHOTO_ATTACHED' && result.event.payload.subject).toBe('general');
  });

  it('an upper-case sha256 is accepted and lower-cased', () => {
    const result = validateEvent(eventOf('PHOTO_ATTACHED', { sha256: SHA.toUpperCase() }));
    expect(result.ok && result.event.type === 'PHOTO_ATTACHED' && result.event.payload.sha256).toBe(SHA);
  });

  it('unknown payload fields are kept; unknown envelope fields are dropped', () => {
    const result = validateEvent(eventOf('NOTES_ADDED', { mood: 'cheerful' }, { deviceSerial: 'T-9' }));
    if (!result.ok) throw new Error(result.message);
    expect(result.event.payload).toMatchObject({ mood: 'cheerful' });
    expect(Object.keys(result.event).sort()).toEqual(['baseVersion', 'id', 'occurredAt', 'occurredAtMs', 'operatorId', 'payload', 'type']);
  });

  it('an optional payload field sent as null counts as absent (and subject null defaults)', () => {
    const production = validateEvent(eventOf('PRODUCTION_LOGGED', { hoursOn: null, productionDate: null, notes: null }));
    if (!production.ok) throw new Error(production.message);
    expect(Object.keys(production.event.payload).sort()).toEqual(['gasMcf', 'measuredAt', 'oilBbl', 'waterBbl', 'wellId']);
    const photo = validateEvent(eventOf('PHOTO_ATTACHED', { subject: null, caption: null }));
    if (!photo.ok) throw new Error(photo.message);
    expect(photo.event.payload).toMatchObject({ subject: 'general' });
    expect('caption' in photo.event.payload).toBe(false);
  });

  it('validation does not modify the raw event', () => {
    const raw = eventOf('PHOTO_ATTACHED', { sha256: SHA.toUpperCase(), caption: null });
    const copy = structuredClone(raw);
    validateEvent(raw);
    expect(raw).toEqual(copy);
  });

  it('baseVersion is kept as sent when it is a whole number ≥ 1', () => {
    const result = validateEvent(eventOf('NOTES_ADDED', {}, { baseVersion: 42 }));
    expect(result.ok && result.event.baseVersion).toBe(42);
  });
});

describe('validateEvent properties (fast-check)', () => {
  it('never throws and never accepts arbitrary junk', () => {
    fc.assert(
      fc.property(fc.anything(), (raw) => {
        const result = validateEvent(raw);
        expect(result.ok).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on a valid event with one field replaced by anything', () => {
    const types = fc.constantFrom(...EVENT_TYPES);
    fc.assert(
      fc.property(types, fc.string(), fc.anything(), fc.boolean(), (type, key, value, inPayload) => {
        const raw = inPayload ? eventOf(type, { [key]: value }) : eventOf(type, {}, { [key]: value });
        const result = validateEvent(raw);
        const messageLength = result.ok ? 1 : result.message.length;
        expect(messageLength).toBeGreaterThan(0);
        expect(messageLength).toBeLessThan(400);
      }),
      { numRuns: 1000 },
    );
  });

  it('production volumes: every finite number ≥ 0 passes, every negative one fails', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (oilBbl) => {
        expect(validateEvent(eventOf('PRODUCTION_LOGGED', { oilBbl })).ok).toBe(oilBbl >= 0);
      }),
    );
  });
});

describe('parseInstant accepts exactly YYYY-MM-DDTHH:MM:SS(.f{1,9})?Z of a real instant', () => {
  it.each([
    ['2026-05-19T15:00:00.000Z', Date.UTC(2026, 4, 19, 15)],
    ['2026-05-19T15:00:00Z', Date.UTC(2026, 4, 19, 15)],
    ['2028-02-29T23:59:59.999Z', Date.UTC(2028, 1, 29, 23, 59, 59, 999)],
    ['2026-05-19T15:00:00.5Z', Date.UTC(2026, 4, 19, 15, 0, 0, 500)],
    ['2026-05-19T15:00:00.12Z', Date.UTC(2026, 4, 19, 15, 0, 0, 120)],
    ['2026-05-19T15:00:00.123999999Z', Date.UTC(2026, 4, 19, 15, 0, 0, 123)],
    ['1969-12-31T23:59:59.999Z', -1],
    ['2000-02-29T00:00:00Z', Date.UTC(2000, 1, 29)],
  ])('%s → %d ms', (s, ms) => {
    expect(parseInstant(s)).toBe(ms);
  });

  it.each([
    'yesterday',
    '',
    '2026-05-19T15:00:00',
    '2026-05-19T15:00:00z',
    '2026-05-19t15:00:00Z',
    '2026-05-19 15:00:00Z',
    '2026-05-19T15:00:00+00:00',
    '2026-05-19T15:00Z',
    '2026-05-19T15:00:00.Z',
    '2026-05-19T15:00:00.1234567890Z',
    '2026-02-30T15:00:00Z',
    '2026-02-29T15:00:00Z',
    '1900-02-29T15:00:00Z',
    '2026-13-01T15:00:00Z',
    '2026-00-01T15:00:00Z',
    '2026-05-00T15:00:00Z',
    '2026-04-31T15:00:00Z',
    '2026-05-19T24:00:00Z',
    '2026-05-19T23:60:00Z',
    '2026-05-19T23:59:60Z',
    '+02026-05-19T15:00:00Z',
    '2026-5-19T15:00:00Z',
    '２０２６-05-19T15:00:00Z',
    '2026-05-19T15:00:00.000ZZ',
  ])('rejects %j', (s) => {
    expect(parseInstant(s)).toBeNull();
  });

  it('agrees with Date.parse on every instant Date#toISOString can print in years 1000–9999', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1000, 0, 1), max: Date.UTC(9999, 11, 31, 23, 59, 59, 999) }), (ms) => {
        const iso = new Date(ms).toISOString();
        expect(parseInstant(iso)).toBe(ms);
        expect(parseInstant(`${iso.slice(0, 19)}Z`)).toBe(ms - (((ms % 1000) + 1000) % 1000));
      }),
    );
  });

  it('parseIsoDate accepts real dates only', () => {
    expect(parseIsoDate('1970-01-02')).toBe(1);
    expect(parseIsoDate('2028-02-29')).not.toBeNull();
    expect(parseIsoDate('2026-02-29')).toBeNull();
    expect(parseIsoDate('2026/05/19')).toBeNull();
    expect(parseIsoDate('2026-05-19 ')).toBeNull();
  });
});
