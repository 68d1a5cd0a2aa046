/**
 * The vocabulary of the benchmark workload and the payloads built from it: plausible
 * production volumes (per well size and primary product), readings in mixed units,
 * inspections with checklists, repairs, status changes, notes and photo metadata, and the
 * second operator's version of a held event (same key, same or different content).
 * Every draw comes from the given `Rng`, in a fixed order, so output is reproducible.
 */
import type { EventType } from '../src/shared/events/types.ts';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

import { mulberry32 } from '../tools/device-sim/prng.ts';

export { mulberry32 };

export class Rng {
  #next: () => number;
  constructor(seed: number) {
    this.#next = mulberry32(seed);
  }
  reseed(seed: number): void {
    this.#next = mulberry32(seed);
  }
  /** A float in [0, 1). */
  next(): number {
    return this.#next();
  }
  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.#next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
}

export const METRICS = ['TUBING_PRESSURE', 'CASING_PRESSURE', 'LINE_PRESSURE', 'TEMPERATURE', 'TANK_LEVEL', 'FLOW_RATE'] as const;
export type Metric = (typeof METRICS)[number];
export const SUBJECTS = ['general', 'general', 'general', 'wellhead', 'tank', 'leak', 'meter'] as const;
const EQUIPMENT = ['PJ', 'SEP', 'TB', 'WH'] as const;
const CHECK_ITEMS = ['guards', 'belts', 'leaks', 'gauges', 'valves', 'signage', 'grounding', 'containment'] as const;
const ACTIONS = [
  'Replaced stuffing box packing',
  'Tightened flange bolts on the separator inlet',
  'Changed pump jack belts',
  'Replaced dump valve trim',
  'Cleared paraffin from the flow line',
  'Re-seated the tank thief hatch gasket',
  'Greased wellhead valves',
] as const;
const PARTS = ['packing set', 'belt B-112', 'gasket 3in', 'valve trim kit', 'grease', 'stud bolts', 'pressure gauge'] as const;
const PHRASES = [
  'Location clean, no spills.',
  'Small drip at the stuffing box, monitoring.',
  'Lease road muddy after rain; 4x4 needed.',
  'Tank 2 gauged twice, readings agree.',
  'Pump cycling normally.',
  'Chemical drum at half, order more next week.',
  'Gate latch broken, tied it shut.',
  'Noted H2S alarm test done, all good.',
  'Separator dump valve sticking intermittently.',
  'Landowner asked about road repairs.',
] as const;
const STATUSES = ['ACTIVE', 'ACTIVE', 'ACTIVE', 'SHUT_IN', 'SHUT_IN', 'TEMPORARILY_ABANDONED', 'PLUGGED'] as const;

/** Primary product of well index i (0-based): three in ten are gas wells. */
export function isGasWell(i: number): boolean {
  return i % 10 < 3;
}

export function wellIdOf(i: number): string {
  return `W-${String(i + 1).padStart(4, '0')}`;
}

export function deviceIdOf(d: number): string {
  return `tab-${String(d + 1).padStart(2, '0')}`;
}

export function equipmentOf(rng: Rng, well: number): string {
  return `${wellIdOf(well)}-${rng.pick(EQUIPMENT)}`;
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

function numberField(payload: JsonObject, field: string): number {
  const v = payload[field];
  return typeof v === 'number' ? v : 0;
}

function stringField(payload: JsonObject, field: string): string {
  const v = payload[field];
  return typeof v === 'string' ? v : '';
}

/** What a fresh event is about (its record key's parts); `part` is the metric, equipment or subject. */
export interface KeyParts {
  type: EventType;
  well: number;
  part: string;
}

/** The payload of a fresh event; `date` is its field day (YYYY-MM-DD), `photoId` used by photos. */
export function freshPayload(rng: Rng, k: KeyParts, at: string, date: string, photoId: string): JsonObject {
  const wellId = wellIdOf(k.well);
  switch (k.type) {
    case 'PRODUCTION_LOGGED':
      return production(rng, k.well, at, date);
    case 'WELL_READING_RECORDED':
      return { wellId, metric: k.part, ...reading(rng, k.part as Metric, k.well), measuredAt: at };
    case 'EQUIPMENT_INSPECTED':
      return inspection(rng, wellId, k.part, at, inspectionResult(rng));
    case 'EQUIPMENT_REPAIRED':
      return repair(rng, wellId, k.part, at);
    case 'WELL_STATUS_CHANGED':
      return { wellId, status: rng.pick(STATUSES), effectiveAt: at, reason: rng.pick(PHRASES) };
    case 'NOTES_ADDED':
      return { wellId, text: noteText(rng), notedAt: at };
    case 'PHOTO_ATTACHED':
      return photo(rng, wellId, k.part, at, photoId);
  }
}

function production(rng: Rng, well: number, measuredAt: string, date: string): JsonObject {
  const scale = 0.5 + ((well * 2_654_435_761) % 1000) / 1000; // a stable size per well
  const gas = isGasWell(well);
  const payload: JsonObject = {
    wellId: wellIdOf(well),
    measuredAt,
    oilBbl: round1((gas ? 2 + rng.next() * 10 : 60 + rng.next() * 30) * scale),
    gasMcf: round1((gas ? 1500 + rng.next() * 600 : 40 + rng.next() * 80) * scale),
    waterBbl: round1((10 + rng.next() * 60) * scale),
    hoursOn: rng.next() < 0.8 ? 24 : round1(12 + rng.next() * 12),
  };
  if (rng.next() < 0.5) payload['productionDate'] = date;
  if (rng.next() < 0.1) payload['notes'] = rng.pick(PHRASES);
  return payload;
}

function reading(rng: Rng, metric: Metric, well: number): { value: number; unit: string } {
  const alt = rng.next() < 0.1;
  switch (metric) {
    case 'TUBING_PRESSURE':
    case 'CASING_PRESSURE':
    case 'LINE_PRESSURE': {
      const psi = metric === 'LINE_PRESSURE' ? 40 + rng.next() * 110 : 80 + rng.next() * 700;
      return alt ? { value: round1(psi * 6.894757), unit: 'kPa' } : { value: round1(psi), unit: 'psi' };
    }
    case 'TEMPERATURE': {
      const f = 30 + rng.next() * 90;
      return alt ? { value: round1(((f - 32) * 5) / 9), unit: 'degC' } : { value: round1(f), unit: 'degF' };
    }
    case 'TANK_LEVEL': {
      const ft = 1 + rng.next() * 18;
      return alt ? { value: round1(ft * 12), unit: 'in' } : { value: round1(ft), unit: 'ft' };
    }
    case 'FLOW_RATE':
      return isGasWell(well) ? { value: round1(300 + rng.next() * 4000), unit: 'mcf/d' } : { value: round1(10 + rng.next() * 400), unit: 'bbl/d' };
  }
}

function inspectionResult(rng: Rng): string {
  const r = rng.next();
  return r < 0.85 ? 'PASS' : r < 0.95 ? 'NEEDS_ATTENTION' : 'FAIL';
}

function inspection(rng: Rng, wellId: string, equipmentId: string, inspectedAt: string, result: string): JsonObject {
  const checklist: JsonObject = {};
  const items = 3 + rng.int(4);
  for (let i = 0; i < items; i++) checklist[rng.pick(CHECK_ITEMS)] = result === 'PASS' ? 'PASS' : rng.pick(['PASS', 'FAIL', 'NA']);
  const payload: JsonObject = { wellId, equipmentId, inspectedAt, result, checklist };
  if (result !== 'PASS' || rng.next() < 0.2) payload['notes'] = rng.pick(PHRASES);
  return payload;
}

function repair(rng: Rng, wellId: string, equipmentId: string, repairedAt: string): JsonObject {
  const parts: JsonValue[] = [];
  for (let i = rng.int(4); i > 0; i--) parts.push(rng.pick(PARTS));
  const payload: JsonObject = { wellId, equipmentId, repairedAt, action: rng.pick(ACTIONS), partsUsed: parts };
  if (rng.next() < 0.3) payload['notes'] = rng.pick(PHRASES);
  return payload;
}

function noteText(rng: Rng): string {
  const words: string[] = [];
  for (let i = 1 + rng.int(4); i > 0; i--) words.push(rng.pick(PHRASES));
  return words.join(' ');
}

function sha256Hex(rng: Rng): string {
  let out = '';
  for (let i = 0; i < 8; i++) out += Math.floor(rng.next() * 4_294_967_296).toString(16).padStart(8, '0');
  return out;
}

function photo(rng: Rng, wellId: string, subject: string, takenAt: string, photoId: string): JsonObject {
  const r = rng.next();
  const payload: JsonObject = {
    wellId,
    photoId,
    sha256: sha256Hex(rng),
    mimeType: r < 0.85 ? 'image/jpeg' : r < 0.95 ? 'image/png' : 'image/webp',
    bytes: 150_000 + rng.int(4_350_000),
    takenAt,
    subject,
  };
  if (rng.next() < 0.5) payload['caption'] = rng.pick(PHRASES);
  return payload;
}

/**
 * A second operator's payload on the key of `held` (a fresh event of another tablet), at
 * `at` on the same field day `date`: a repeat of its content or a different one, by type:
 * production 40 % same, 45 % a close second gauge, 15 % implausibly low; readings 15 %
 * the same reading; inspections and repairs 60 % same; status 70 % same; notes always a
 * new entry; photos 20 % the same file.
 */
export function overlapPayload(rng: Rng, k: KeyParts, held: JsonObject, at: string, date: string, photoId: string): JsonObject {
  const same = rng.next();
  const wellId = wellIdOf(k.well);
  switch (k.type) {
    case 'PRODUCTION_LOGGED': {
      const payload: JsonObject = { ...held, measuredAt: at, productionDate: date };
      delete payload['notes'];
      if (same >= 0.4) {
        const factor = same < 0.85 ? 1 + (rng.next() < 0.5 ? -1 : 1) * (0.005 + rng.next() * 0.045) : 0.4 + rng.next() * 0.3;
        const field = isGasWell(k.well) ? 'gasMcf' : 'oilBbl';
        payload[field] = round1(numberField(held, field) * factor);
      }
      return payload;
    }
    case 'WELL_READING_RECORDED':
      return same < 0.15 ? { ...held } : { ...held, value: round1(numberField(held, 'value') * (0.92 + rng.next() * 0.16)), measuredAt: at };
    case 'EQUIPMENT_INSPECTED': {
      if (same < 0.6) return { ...held, inspectedAt: at };
      const result = stringField(held, 'result') === 'PASS' ? rng.pick(['NEEDS_ATTENTION', 'FAIL']) : 'PASS';
      return inspection(rng, wellId, k.part, at, result);
    }
    case 'EQUIPMENT_REPAIRED':
      return same < 0.6 ? { ...held, repairedAt: at } : repair(rng, wellId, k.part, at);
    case 'WELL_STATUS_CHANGED':
      return same < 0.7 ? { ...held, effectiveAt: at } : { wellId, status: rng.pick(STATUSES), effectiveAt: at };
    case 'NOTES_ADDED':
      return { wellId, text: noteText(rng), notedAt: at };
    case 'PHOTO_ATTACHED':
      return same < 0.2 ? { ...held, takenAt: at } : photo(rng, wellId, k.part, at, photoId);
  }
}
