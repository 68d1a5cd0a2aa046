/**
 * Record keys of protocol §1.
 * Guarantees: every validated event maps to exactly one key, a pure function of its
 * payload and the station's field-day settings; key parts never contain "/" (validation
 * forbids it in wellId, equipmentId and subject; metrics are enum values).
 */
import type { EventType, FieldDaySettings, ParsedEvent, PayloadByType } from './types.ts';
import { parseInstant } from './instant.ts';
import { fieldDay } from '../time/field-day.ts';
import { unreachable } from '../unreachable.ts';

/** The payload field holding each type's time: it orders events and picks the field day. */
export const TIME_FIELD = {
  PRODUCTION_LOGGED: 'measuredAt',
  WELL_READING_RECORDED: 'measuredAt',
  EQUIPMENT_INSPECTED: 'inspectedAt',
  EQUIPMENT_REPAIRED: 'repairedAt',
  WELL_STATUS_CHANGED: 'effectiveAt',
  NOTES_ADDED: 'notedAt',
  PHOTO_ATTACHED: 'takenAt',
} as const satisfies { readonly [T in EventType]: keyof PayloadByType[T] & string };

/** The value of the event's time field (an ISO-8601 instant). */
export function timeFieldOf(event: ParsedEvent): string {
  switch (event.type) {
    case 'PRODUCTION_LOGGED':
      return event.payload.measuredAt;
    case 'WELL_READING_RECORDED':
      return event.payload.measuredAt;
    case 'EQUIPMENT_INSPECTED':
      return event.payload.inspectedAt;
    case 'EQUIPMENT_REPAIRED':
      return event.payload.repairedAt;
    case 'WELL_STATUS_CHANGED':
      return event.payload.effectiveAt;
    case 'NOTES_ADDED':
      return event.payload.notedAt;
    case 'PHOTO_ATTACHED':
      return event.payload.takenAt;
    default:
      return unreachable(event);
  }
}

function dayOf(instant: string, settings: FieldDaySettings): string {
  const ms = parseInstant(instant);
  if (ms === null) throw new RangeError(`not an ISO-8601 instant: "${instant}" (was the event validated?)`);
  return fieldDay(ms, settings);
}

/** The record key the event belongs to. Throws RangeError for a time field that is not a valid instant. */
export function recordKeyOf(event: ParsedEvent, settings: FieldDaySettings): string {
  switch (event.type) {
    case 'PRODUCTION_LOGGED': {
      const p = event.payload;
      return `production/${p.wellId}/${p.productionDate ?? dayOf(p.measuredAt, settings)}`;
    }
    case 'WELL_READING_RECORDED': {
      const p = event.payload;
      return `reading/${p.wellId}/${p.metric}/${dayOf(p.measuredAt, settings)}`;
    }
    case 'EQUIPMENT_INSPECTED': {
      const p = event.payload;
      return `inspection/${p.wellId}/${p.equipmentId}/${dayOf(p.inspectedAt, settings)}`;
    }
    case 'EQUIPMENT_REPAIRED': {
      const p = event.payload;
      return `repair/${p.wellId}/${p.equipmentId}/${dayOf(p.repairedAt, settings)}`;
    }
    case 'WELL_STATUS_CHANGED':
      return `status/${event.payload.wellId}`;
    case 'NOTES_ADDED': {
      const p = event.payload;
      return `notes/${p.wellId}/${dayOf(p.notedAt, settings)}`;
    }
    case 'PHOTO_ATTACHED': {
      const p = event.payload;
      return `photos/${p.wellId}/${p.subject}/${dayOf(p.takenAt, settings)}`;
    }
    default:
      return unreachable(event);
  }
}
