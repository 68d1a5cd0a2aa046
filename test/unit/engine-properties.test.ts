/**
 * Properties of the engine (protocol §1 "Order-freedom"): for any set of events, every
 * allowed arrival order gives the same record values, statuses, open conflicts and
 * winners — with corrections, confirmations, baseVersion echoes and supervisor decisions
 * in the mix.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { liveItems } from '../../src/shared/engine/evaluate.ts';
import { DEFAULT_POLICY } from '../../src/shared/engine/policy.ts';
import type { EngineSettings } from '../../src/shared/engine/types.ts';
import { mulberry32, randomInterleaving, runScenario } from '../support/pure-station.ts';
import { scenarioArbitrary } from '../support/scenario-arbitrary.ts';

const settings: EngineSettings = { timeZone: 'America/Denver', gaugeDayStartHour: 7, plausibilityPct: 20, skewLimitMs: 120_000, policy: DEFAULT_POLICY, wells: {} };

/** Collections: value and version are order-free; whether a MERGE conflict was ever opened records arrival history. */
function comparable(view: ReturnType<ReturnType<typeof runScenario>['view']>): unknown {
  return Object.fromEntries(Object.entries(view).map(([k, v]) => [k, k.startsWith('notes/') ? { version: v.version, status: v.status } : v]));
}

describe('engine order-freedom (fast-check)', () => {
  it('every allowed arrival order ends in the same records, conflicts and winners', () => {
    fc.assert(
      fc.property(scenarioArbitrary, fc.integer(), (steps, seed) => {
        const listed = runScenario(settings, steps, [...steps.keys()]).view();
        const order = randomInterleaving(steps, mulberry32(seed));
        const shuffled = runScenario(settings, steps, order).view();
        expect(comparable(shuffled)).toEqual(comparable(listed));
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 3000) },
    );
  });

  it('an inspection conflict never resolves itself: a live disagreement on a safety type is always PENDING_REVIEW', () => {
    fc.assert(
      fc.property(scenarioArbitrary, fc.integer(), (steps, seed) => {
        const view = runScenario(settings, steps, randomInterleaving(steps, mulberry32(seed))).view();
        const disputedInspections = Object.entries(view).filter(([key, rec]) => key.startsWith('inspection/') && rec.conflict !== null);
        expect(disputedInspections.map(([, rec]) => [rec.conflict?.status, rec.status])).toEqual(disputedInspections.map(() => ['PENDING_REVIEW', 'DISPUTED']));
      }),
      { numRuns: 1000 },
    );
  });

  it('a key has an open conflict exactly while its live set holds more than one content', () => {
    fc.assert(
      fc.property(scenarioArbitrary, (steps) => {
        const station = runScenario(settings, steps, [...steps.keys()]);
        for (const state of station.states.values()) {
          if (state.type === 'NOTES_ADDED') continue;
          const live = liveItems(state.items);
          expect(state.conflict !== null).toBe(new Set(live.map((it) => it.content)).size > 1);
          expect(state.version).toBe(state.items.length);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
