/**
 * Properties of the real store (fast-check over SQLite files): ingesting a batch twice
 * changes nothing, and rebuildProjection reproduces the live projection from the history
 * after random workloads with corrections, repeats, pulls and supervisor decisions.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verifyAudit } from '../../src/main/station/audit/audit-log.ts';
import { ingestBatch } from '../../src/main/station/ingest/ingest-batch.ts';
import { rebuildProjection } from '../../src/main/station/ingest/rebuild-projection.ts';
import { DEFAULT_POLICY } from '../../src/shared/engine/policy.ts';
import type { EngineSettings } from '../../src/shared/engine/types.ts';
import type { ScenarioStep } from '../support/pure-station.ts';
import { scenarioArbitrary } from '../support/scenario-arbitrary.ts';
import { runScenarioOnStore } from '../support/scenario-on-store.ts';
import { openTempStore, type TempStore } from '../support/temp-store.ts';

const settings: EngineSettings = { timeZone: 'America/Denver', gaugeDayStartHour: 7, plausibilityPct: 20, skewLimitMs: 120_000, policy: DEFAULT_POLICY, wells: {} };
const NOW = new Date('2026-06-11T12:00:00.000Z');
const ctx = { settings, now: () => NOW };

function runOnStore(store: TempStore, steps: readonly ScenarioStep[]): void {
  runScenarioOnStore(store, steps, ctx, NOW);
}

function snapshot(store: TempStore): unknown {
  const q = (sql: string): unknown[] => store.db.prepare(sql).all();
  return {
    records: q('SELECT key, version, status, value, value_from, conflict_id, state FROM records ORDER BY key'),
    conflicts: q('SELECT id, status, winner, candidates, is_open FROM conflicts ORDER BY id'),
    events: q('SELECT id, status, result FROM events ORDER BY seq'),
    outbox: q('SELECT count(*) AS n FROM outbox'),
    quarantine: q('SELECT count(*) AS n FROM quarantine'),
  };
}

describe('store properties on SQLite', () => {
  it('ingesting any batch a second time changes nothing but adds its own audit entry', () => {
    fc.assert(
      fc.property(scenarioArbitrary, (steps) => {
        const store = openTempStore();
        try {
          runOnStore(store, steps);
          const before = snapshot(store);
          steps.forEach((step, i) => {
            if (step.kind !== 'batch') return;
            const res = ingestBatch(store, { deviceId: step.device, batchId: `again-${i}`, deviceTime: NOW.toISOString(), events: step.events }, ctx);
            for (const r of res.results) expect(['DUPLICATE', 'REJECTED']).toContain(r.status);
          });
          expect(snapshot(store)).toEqual(before);
          expect(verifyAudit(store.db).ok).toBe(true);
        } finally {
          store.close();
        }
      }),
      { numRuns: 60 },
    );
  });

  it('rebuildProjection equals the live projection after random workloads', () => {
    fc.assert(
      fc.property(scenarioArbitrary, (steps) => {
        const store = openTempStore();
        try {
          runOnStore(store, steps);
          const diff = rebuildProjection(store.db, settings);
          expect(diff.mismatches).toEqual([]);
          expect(diff.ok).toBe(true);
        } finally {
          store.close();
        }
      }),
      { numRuns: 60 },
    );
  });

  it('rebuildProjection notices a projection that drifted from the history', () => {
    const store = openTempStore();
    try {
      ingestBatch(store, { deviceId: 'A', batchId: 'b', deviceTime: NOW.toISOString(), events: [{ id: 'p1', type: 'PRODUCTION_LOGGED', operatorId: 'op', occurredAt: '2026-06-10T15:00:00.000Z', payload: { wellId: 'W', measuredAt: '2026-06-10T15:00:00.000Z', oilBbl: 1, gasMcf: 1, waterBbl: 1 } }] }, ctx);
      store.db.prepare("UPDATE records SET value = json_set(value, '$.oilBbl', 999)").run();
      const diff = rebuildProjection(store.db, settings);
      expect(diff.ok).toBe(false);
      expect(diff.mismatches[0]).toMatch(/production\/W\/2026-06-10/);
    } finally {
      store.close();
    }
  });
});
