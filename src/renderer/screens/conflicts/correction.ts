/**
 * "Enter a corrected value": the small form of each event type and the payload it makes.
 *
 * Guarantees: the corrected payload starts from a candidate's payload and changes only the
 * fields the form shows, so the well, the equipment and the time (hence the record key)
 * stay those of the conflict; numbers are checked before anything is sent; an optional
 * field left empty is left out. Notes and photos have no corrected value (every entry is kept).
 */
import type { EventType, ReadingMetric } from '../../../shared/events/types.ts';
import { CHECKLIST_ITEM_RESULTS, INSPECTION_RESULTS, READING_METRICS, READING_UNITS, WELL_STATUSES } from '../../../shared/events/types.ts';
import { unreachable } from '../../../shared/unreachable.ts';
import { UNITS_BY_METRIC } from '../../../shared/units/normalize.ts';
import { textOf, unitLabel } from '../../format/format.ts';
import { INSPECTION_RESULT_LABELS, WELL_STATUS_LABELS } from '../../format/labels.ts';

export interface CorrectionOption {
  value: string;
  label: string;
}

export interface CorrectionField {
  name: string;
  label: string;
  kind: 'number' | 'text' | 'longtext' | 'select' | 'list';
  required: boolean;
  unit?: string;
  min?: number;
  max?: number;
  options?: readonly CorrectionOption[];
  hint?: string;
}

export type CorrectionDraft = Readonly<Record<string, string>>;

export type CorrectionResult = { ok: true; value: Record<string, unknown> } | { ok: false; errors: Record<string, string> };

const options = (values: readonly string[], labels: Readonly<Record<string, string>>): CorrectionOption[] => values.map((value) => ({ value, label: labels[value] ?? value }));

function isMetric(x: unknown): x is ReadingMetric {
  return typeof x === 'string' && (READING_METRICS as readonly string[]).includes(x);
}

/** Form fields named `checklist.<item>` edit one item of the inspection's checklist. */
const CHECKLIST_PREFIX = 'checklist.';

function checklistOf(payload: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const c = payload['checklist'];
  return typeof c === 'object' && c !== null && !Array.isArray(c) ? (c as Record<string, unknown>) : {};
}

function checklistItems(payload: Readonly<Record<string, unknown>>): string[] {
  return Object.keys(checklistOf(payload));
}

/** The form of a type, or `null` when a corrected value makes no sense (notes, photos). */
export function correctionFieldsOf(type: EventType, base: Readonly<Record<string, unknown>>): readonly CorrectionField[] | null {
  switch (type) {
    case 'PRODUCTION_LOGGED':
      return [
        { name: 'oilBbl', label: 'Oil', kind: 'number', unit: 'bbl', min: 0, required: true },
        { name: 'gasMcf', label: 'Gas', kind: 'number', unit: 'mcf', min: 0, required: true },
        { name: 'waterBbl', label: 'Water', kind: 'number', unit: 'bbl', min: 0, required: true },
        { name: 'hoursOn', label: 'Hours on', kind: 'number', unit: 'h', min: 0, max: 24, required: false },
      ];
    case 'WELL_READING_RECORDED': {
      const metric = base['metric'];
      const units: readonly string[] = isMetric(metric) ? UNITS_BY_METRIC[metric] : READING_UNITS;
      return [
        { name: 'value', label: 'Value', kind: 'number', required: true },
        { name: 'unit', label: 'Unit', kind: 'select', required: true, options: units.map((u) => ({ value: u, label: unitLabel(u) })) },
      ];
    }
    case 'EQUIPMENT_INSPECTED':
      // Every checklist item is part of the corrected value, so a result and its checklist
      // are decided together and cannot contradict each other unseen.
      return [
        { name: 'result', label: 'Inspection result', kind: 'select', required: true, options: options(INSPECTION_RESULTS, INSPECTION_RESULT_LABELS) },
        ...checklistItems(base).map(
          (item): CorrectionField => ({ name: `${CHECKLIST_PREFIX}${item}`, label: `Checklist: ${item}`, kind: 'select', required: true, options: options(CHECKLIST_ITEM_RESULTS, INSPECTION_RESULT_LABELS) }),
        ),
        { name: 'notes', label: 'Notes', kind: 'longtext', required: false },
      ];
    case 'EQUIPMENT_REPAIRED':
      return [
        { name: 'action', label: 'Repair done', kind: 'text', required: true },
        { name: 'partsUsed', label: 'Parts used', kind: 'list', required: false, hint: 'Separate parts with commas.' },
        { name: 'notes', label: 'Notes', kind: 'longtext', required: false },
      ];
    case 'WELL_STATUS_CHANGED':
      return [
        { name: 'status', label: 'Well status', kind: 'select', required: true, options: options(WELL_STATUSES, WELL_STATUS_LABELS) },
        { name: 'reason', label: 'Reason', kind: 'text', required: false },
      ];
    case 'NOTES_ADDED':
    case 'PHOTO_ATTACHED':
      return null;
    default:
      return unreachable(type);
  }
}

/** The form's starting text, from a candidate's payload. */
export function draftOf(fields: readonly CorrectionField[], payload: Readonly<Record<string, unknown>>): Record<string, string> {
  const draft: Record<string, string> = {};
  for (const field of fields) {
    const value = field.name.startsWith(CHECKLIST_PREFIX) ? checklistOf(payload)[field.name.slice(CHECKLIST_PREFIX.length)] : payload[field.name];
    if (value === undefined || value === null) draft[field.name] = '';
    else if (Array.isArray(value)) draft[field.name] = value.map(textOf).join(', ');
    else draft[field.name] = textOf(value);
  }
  return draft;
}

function parseNumber(field: CorrectionField, text: string): number | string {
  const n = Number(text.replaceAll(',', '').trim());
  if (!Number.isFinite(n)) return `${field.label}: enter a number.`;
  if (field.min !== undefined && n < field.min) return `${field.label} cannot be below ${field.min}.`;
  if (field.max !== undefined && n > field.max) return `${field.label} cannot be above ${field.max}.`;
  return n;
}

/** The corrected payload: `base` with the form's fields replaced. */
export function buildCorrection(fields: readonly CorrectionField[], base: Readonly<Record<string, unknown>>, draft: CorrectionDraft): CorrectionResult {
  const value: Record<string, unknown> = { ...base };
  const errors: Record<string, string> = {};
  for (const field of fields) {
    const text = (draft[field.name] ?? '').trim();
    if (text === '') {
      if (field.required) errors[field.name] = `${field.label} is required.`;
      else delete value[field.name];
      continue;
    }
    switch (field.kind) {
      case 'number': {
        const n = parseNumber(field, text);
        if (typeof n === 'string') errors[field.name] = n;
        else value[field.name] = n;
        break;
      }
      case 'list':
        value[field.name] = text
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== '');
        break;
      case 'select':
        if (field.options !== undefined && !field.options.some((o) => o.value === text)) errors[field.name] = `${field.label}: choose one of the options.`;
        else if (field.name.startsWith(CHECKLIST_PREFIX)) value['checklist'] = { ...checklistOf(value), [field.name.slice(CHECKLIST_PREFIX.length)]: text };
        else value[field.name] = text;
        break;
      case 'text':
      case 'longtext':
        value[field.name] = text;
        break;
      default:
        unreachable(field.kind);
    }
  }
  const failed = Object.entries(checklistOf(value)).filter(([, r]) => r === 'FAIL').map(([item]) => item);
  if (value['result'] === 'PASS' && failed.length > 0 && errors['result'] === undefined) {
    errors['result'] = `A passed inspection cannot have a failed checklist item (${failed.join(', ')}): change the result or the item.`;
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, value };
}
