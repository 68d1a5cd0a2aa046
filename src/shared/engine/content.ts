/**
 * What the engine compares of each event type (protocol §1, "content compared"):
 * a content key (equal ⇔ the same content, numbers after unit normalisation and
 * rounding to 4 significant digits), the numbers strategies rank by, and a label
 * for reasons. Pure; computed once per event at ingest.
 */
import type { EventType, InspectionResult, PayloadByType, ParsedEvent } from '../events/types.ts';
import { parseInstant } from '../events/instant.ts';
import { normalizeReading, roundSig4, unitLabel } from '../units/normalize.ts';
import { unreachable } from '../unreachable.ts';
import type { EngineEvent } from './types.ts';

export interface Content {
  timeMs: number;
  content: string;
  nums: number[];
  label: string;
}

/** Severity rank of an inspection result: higher is more severe. */
export const SEVERITY: Readonly<Record<InspectionResult, number>> = { PASS: 0, NEEDS_ATTENTION: 1, FAIL: 2 };

function num(n: number | undefined): string {
  return n === undefined ? '' : String(roundSig4(n));
}

function instantMs(iso: string): number {
  const ms = parseInstant(iso);
  if (ms === null) throw new Error(`not an ISO instant: ${iso}`);
  return ms;
}

function sortedEntries(o: Readonly<Record<string, string>> | undefined): string {
  if (o === undefined) return '{}';
  return JSON.stringify(Object.keys(o).sort().map((k) => [k, o[k]]));
}

function trimLabel(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

/** Content of a payload of `type` (a validated payload, or a supervisor's typed value). */
export function contentOf<T extends EventType>(type: T, payload: PayloadByType[T]): Content;
export function contentOf(type: EventType, payload: PayloadByType[EventType]): Content {
  switch (type) {
    case 'PRODUCTION_LOGGED': {
      const p = payload as PayloadByType['PRODUCTION_LOGGED'];
      return {
        timeMs: instantMs(p.measuredAt),
        content: [num(p.oilBbl), num(p.gasMcf), num(p.waterBbl), num(p.hoursOn)].join('|'),
        nums: [p.oilBbl, p.gasMcf],
        label: `${p.oilBbl} bbl oil, ${p.gasMcf} mcf gas, ${p.waterBbl} bbl water`,
      };
    }
    case 'WELL_READING_RECORDED': {
      const p = payload as PayloadByType['WELL_READING_RECORDED'];
      const normalised = normalizeReading(p.value, p.unit);
      return {
        timeMs: instantMs(p.measuredAt),
        content: `${roundSig4(normalised)}|${instantMs(p.measuredAt)}`,
        nums: [normalised],
        label: `${p.value} ${unitLabel(p.unit)}`,
      };
    }
    case 'EQUIPMENT_INSPECTED': {
      const p = payload as PayloadByType['EQUIPMENT_INSPECTED'];
      return {
        timeMs: instantMs(p.inspectedAt),
        content: `${p.result}|${sortedEntries(p.checklist)}`,
        nums: [SEVERITY[p.result]],
        label: p.checklist === undefined || Object.keys(p.checklist).length === 0 ? p.result : `${p.result} (checklist ${Object.entries(p.checklist).map(([k, v]) => `${k} ${v}`).join(', ')})`,
      };
    }
    case 'EQUIPMENT_REPAIRED': {
      const p = payload as PayloadByType['EQUIPMENT_REPAIRED'];
      const parts = [...(p.partsUsed ?? [])].sort();
      return {
        timeMs: instantMs(p.repairedAt),
        content: JSON.stringify([p.action, parts]),
        nums: [],
        label: trimLabel(parts.length > 0 ? `"${p.action}" (${parts.join(', ')})` : `"${p.action}"`),
      };
    }
    case 'WELL_STATUS_CHANGED': {
      const p = payload as PayloadByType['WELL_STATUS_CHANGED'];
      return { timeMs: instantMs(p.effectiveAt), content: p.status, nums: [], label: p.status };
    }
    case 'NOTES_ADDED': {
      const p = payload as PayloadByType['NOTES_ADDED'];
      return { timeMs: instantMs(p.notedAt), content: '', nums: [], label: trimLabel(`"${p.text}"`) };
    }
    case 'PHOTO_ATTACHED': {
      const p = payload as PayloadByType['PHOTO_ATTACHED'];
      return { timeMs: instantMs(p.takenAt), content: p.sha256, nums: [], label: `photo ${p.photoId}` };
    }
    default:
      return unreachable(type);
  }
}

/** The engine's view of a validated event from one device's batch. */
export function engineEventOf(event: ParsedEvent, device: string, skewMs: number): EngineEvent {
  const c = contentOf(event.type, event.payload);
  return {
    id: event.id,
    type: event.type,
    device,
    operatorId: event.operatorId,
    occurredMs: event.occurredAtMs,
    baseVersion: event.baseVersion,
    skewMs: Math.abs(skewMs),
    timeMs: c.timeMs,
    content: c.content,
    nums: c.nums,
    label: c.label,
  };
}
