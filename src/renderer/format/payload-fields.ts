/**
 * How an event's payload reads on screen: which fields, in which order, with which label
 * and unit. Record keys (`inspection/W-12/PUMP-3/2026-11-20`) become a short description.
 * Pure: no DOM.
 */
import { TIME_FIELD } from '../../shared/events/record-key.ts';
import type { EventType } from '../../shared/events/types.ts';
import type { StationFormat } from './format.ts';
import { formatBytes, formatNumber, formatQuantity, textOf } from './format.ts';
import { INSPECTION_RESULT_LABELS, METRIC_LABELS, WELL_STATUS_LABELS } from './labels.ts';
import { unreachable } from '../../shared/unreachable.ts';

/** Fields shown for each type, most important first; fields not listed follow in payload order. */
const FIELD_ORDER: Readonly<Record<EventType, readonly string[]>> = {
  PRODUCTION_LOGGED: ['oilBbl', 'gasMcf', 'waterBbl', 'hoursOn', 'productionDate', 'measuredAt', 'notes'],
  WELL_READING_RECORDED: ['metric', 'value', 'measuredAt'],
  EQUIPMENT_INSPECTED: ['result', 'checklist', 'equipmentId', 'inspectedAt', 'notes'],
  EQUIPMENT_REPAIRED: ['action', 'partsUsed', 'equipmentId', 'repairedAt', 'notes'],
  WELL_STATUS_CHANGED: ['status', 'reason', 'effectiveAt'],
  NOTES_ADDED: ['text', 'notedAt'],
  PHOTO_ATTACHED: ['caption', 'subject', 'takenAt', 'mimeType', 'bytes'],
};

/** Never shown as rows: the well is in the title, the unit is printed with the value, hashes are not for people. */
const HIDDEN_FIELDS: ReadonlySet<string> = new Set(['wellId', 'unit', 'sha256', 'photoId']);

const FIELD_LABELS: Readonly<Record<string, string>> = {
  oilBbl: 'Oil',
  gasMcf: 'Gas',
  waterBbl: 'Water',
  hoursOn: 'Hours on',
  productionDate: 'Production day',
  measuredAt: 'Measured at',
  notes: 'Notes',
  metric: 'Measurement',
  value: 'Value',
  unit: 'Unit',
  result: 'Result',
  checklist: 'Checklist',
  equipmentId: 'Equipment',
  inspectedAt: 'Inspected at',
  action: 'Repair done',
  partsUsed: 'Parts used',
  repairedAt: 'Repaired at',
  status: 'Well status',
  reason: 'Reason',
  effectiveAt: 'Effective from',
  text: 'Note',
  notedAt: 'Written at',
  caption: 'Caption',
  subject: 'Subject',
  takenAt: 'Taken at',
  mimeType: 'Format',
  bytes: 'Size',
};

const TIME_FIELDS: ReadonlySet<string> = new Set<string>(Object.values(TIME_FIELD));

export function fieldLabel(field: string): string {
  return FIELD_LABELS[field] ?? field.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase());
}

/** The rows to show for a set of payloads of one type. */
export function visibleFields(type: EventType, payloads: readonly Record<string, unknown>[]): string[] {
  const present = new Set(payloads.flatMap((p) => Object.keys(p)));
  const ordered = FIELD_ORDER[type].filter((f) => present.has(f));
  const extra = [...present].filter((f) => !HIDDEN_FIELDS.has(f) && !ordered.includes(f));
  return [...ordered, ...extra];
}

function labelOf(labels: Readonly<Record<string, string>>, value: unknown): string {
  return typeof value === 'string' ? (labels[value] ?? value) : textOf(value);
}

/** One payload field as text, with its unit. Missing values print as "—". */
export function formatField(field: string, payload: Readonly<Record<string, unknown>>, fmt: StationFormat): string {
  const value = payload[field];
  if (value === undefined || value === null || value === '') return '—';
  if (TIME_FIELDS.has(field) && typeof value === 'string') return fmt.dateTime(value);
  if (typeof value === 'number') {
    switch (field) {
      case 'oilBbl':
      case 'waterBbl':
        return formatQuantity(value, 'bbl');
      case 'gasMcf':
        return formatQuantity(value, 'mcf');
      case 'hoursOn':
        return formatQuantity(value, 'h', 1);
      case 'value':
        return formatQuantity(value, typeof payload['unit'] === 'string' ? payload['unit'] : '', 4);
      case 'bytes':
        return formatBytes(value);
      default:
        return formatNumber(value, 4);
    }
  }
  switch (field) {
    case 'productionDate':
      return typeof value === 'string' ? fmt.day(value) : textOf(value);
    case 'metric':
      return labelOf(METRIC_LABELS, value);
    case 'result':
      return labelOf(INSPECTION_RESULT_LABELS, value);
    case 'status':
      return labelOf(WELL_STATUS_LABELS, value);
    case 'checklist':
      if (typeof value === 'object' && !Array.isArray(value)) {
        const items = Object.entries(value as Record<string, unknown>).map(([item, r]) => `${item}: ${labelOf(INSPECTION_RESULT_LABELS, r)}`);
        return items.length === 0 ? '—' : items.join('; ');
      }
      return JSON.stringify(value);
    case 'partsUsed':
      return Array.isArray(value) ? (value.length === 0 ? 'none' : value.map(textOf).join(', ')) : textOf(value);
    default:
      return textOf(value);
  }
}

export interface RecordKeyParts {
  type: string;
  wellId: string;
  /** Equipment, measurement or photo subject, when the key has one. */
  item: string | null;
  /** Field day or production day, when the key has one. */
  day: string | null;
}

export function parseRecordKey(key: string): RecordKeyParts {
  const [type = '', wellId = '', third, fourth] = key.split('/');
  if (fourth !== undefined) return { type, wellId, item: third ?? null, day: fourth };
  return { type, wellId, item: null, day: third ?? null };
}

/** "Well W-12 · PUMP-3 · field day Tue, Nov 20". */
export function describeRecordKey(key: string, fmt: StationFormat): string {
  const parts = parseRecordKey(key);
  const bits = [`Well ${parts.wellId}`];
  if (parts.item !== null) bits.push(METRIC_LABELS[parts.item] ?? parts.item);
  if (parts.day !== null) bits.push(`${parts.type === 'production' ? 'production day' : 'field day'} ${fmt.day(parts.day)}`);
  return bits.join(' · ');
}

/** One line about an event, for histories: "125 bbl oil · 300 mcf gas · 10 bbl water". */
export function summarizePayload(type: EventType, payload: Readonly<Record<string, unknown>>, fmt: StationFormat): string {
  const f = (field: string): string => formatField(field, payload, fmt);
  switch (type) {
    case 'PRODUCTION_LOGGED':
      return `${f('oilBbl')} oil · ${f('gasMcf')} gas · ${f('waterBbl')} water`;
    case 'WELL_READING_RECORDED':
      return `${f('metric')}: ${f('value')}`;
    case 'EQUIPMENT_INSPECTED':
      return `${f('equipmentId')}: ${f('result')}`;
    case 'EQUIPMENT_REPAIRED':
      return `${f('equipmentId')}: ${f('action')}`;
    case 'WELL_STATUS_CHANGED':
      return `${f('status')}${payload['reason'] === undefined ? '' : ` — ${f('reason')}`}`;
    case 'NOTES_ADDED': {
      const text = f('text');
      return text.length > 120 ? `${text.slice(0, 117)}…` : text;
    }
    case 'PHOTO_ATTACHED':
      return payload['caption'] === undefined ? `Photo (${f('subject')})` : `Photo: ${f('caption')}`;
    default:
      return unreachable(type);
  }
}
