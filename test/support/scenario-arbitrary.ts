/**
 * fast-check arbitraries for engine scenarios: a few devices reporting on a few shared
 * record keys (production, a reading, an inspection, notes), with repeats of the same
 * content, same-device corrections, baseVersion echoes from pulls, skewed clocks and
 * supervisor decisions in the mix.
 */
import fc from 'fast-check';
import type { ScenarioStep } from './pure-station.ts';

const DAY = '2026-06-10';
const at = (hhmm: string): string => `${DAY}T${hhmm}:00.000Z`;
const TIMES = ['15:00', '15:30', '16:00', '16:30', '17:00'];

const production = fc.record({ oil: fc.constantFrom(200, 210, 250, 300), gas: fc.constantFrom(40, 41), t: fc.constantFrom(...TIMES) }).map((p) => ({
  type: 'PRODUCTION_LOGGED',
  payload: { wellId: 'W-1', measuredAt: at(p.t), oilBbl: p.oil, gasMcf: p.gas, waterBbl: 10 },
}));
const reading = fc.record({ v: fc.constantFrom<[number, string]>([100, 'psi'], [101, 'psi'], [689.5, 'kPa']), t: fc.constantFrom(...TIMES) }).map((p) => ({
  type: 'WELL_READING_RECORDED',
  payload: { wellId: 'W-1', metric: 'TUBING_PRESSURE', value: p.v[0], unit: p.v[1], measuredAt: at(p.t) },
}));
const inspection = fc.record({ r: fc.constantFrom('PASS', 'FAIL', 'NEEDS_ATTENTION'), t: fc.constantFrom(...TIMES) }).map((p) => ({
  type: 'EQUIPMENT_INSPECTED',
  payload: { wellId: 'W-1', equipmentId: 'EQ-1', inspectedAt: at(p.t), result: p.r },
}));
const note = fc.record({ text: fc.constantFrom('leak', 'ok', 'gate open'), t: fc.constantFrom(...TIMES) }).map((p) => ({
  type: 'NOTES_ADDED',
  payload: { wellId: 'W-1', text: p.text, notedAt: at(p.t) },
}));

const KEYS = {
  production: `production/W-1/${DAY}`,
  reading: `reading/W-1/TUBING_PRESSURE/${DAY}`,
  inspection: `inspection/W-1/EQ-1/${DAY}`,
} as const;

const rawStep = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      device: fc.constantFrom('A', 'B', 'C'),
      skewMs: fc.constantFrom(0, 0, 0, 300_000),
      events: fc.array(fc.record({ body: fc.oneof(production, reading, inspection, note), occurred: fc.constantFrom(...TIMES), pull: fc.boolean() }), { minLength: 1, maxLength: 2 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ decide: fc.constantFrom(KEYS.production, KEYS.reading, KEYS.inspection) }) },
);

/** A scenario: steps in listed order; event ids are unique; pulls point at an earlier step. */
export const scenarioArbitrary = fc.array(rawStep, { minLength: 2, maxLength: 7 }).chain((raws) =>
  fc.tuple(fc.constant(raws), fc.array(fc.nat(), { minLength: raws.length * 2, maxLength: raws.length * 2 })).map(([rs, picks]): ScenarioStep[] => {
    let n = 0;
    return rs.map((r, stepIndex): ScenarioStep => {
      if ('decide' in r) return { kind: 'decision', key: r.decide };
      const pullAfter = r.events.map((e, i) => (e.pull && stepIndex > 0 ? (picks[stepIndex * 2 + i] ?? 0) % (stepIndex + 1) : null));
      return {
        kind: 'batch',
        device: r.device,
        skewMs: r.skewMs,
        pullAfter,
        events: r.events.map((e) => ({ id: `ev-${String(n++).padStart(3, '0')}`, operatorId: `op-${r.device}`, occurredAt: at(e.occurred), baseVersion: null, ...e.body })),
      };
    });
  }),
);
