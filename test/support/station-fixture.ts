/** A real-SQLite station core for integration tests: ingest, decide, read back. */
import { DEFAULT_ENGINE_SETTINGS } from '../../src/shared/engine/policy.ts';
import type { EngineSettings } from '../../src/shared/engine/types.ts';
import type { SyncEventResult, SyncResponse } from '../../src/shared/protocol/sync.ts';
import { ingestBatch } from '../../src/main/station/ingest/ingest-batch.ts';
import { overrideResolution, resolveConflict, type DecisionChoice } from '../../src/main/station/ingest/decide.ts';
import { openTempStore, type TempStore } from './temp-store.ts';

export const NOW = new Date('2026-06-10T23:00:00.000Z');

export interface Fixture extends TempStore {
  settings: EngineSettings;
  sync: (device: string, events: unknown[], opts?: { skewMs?: number; batchId?: string }) => SyncEventResult[];
  syncResponse: (device: string, events: unknown[], opts?: { skewMs?: number; batchId?: string }) => SyncResponse;
  record: (key: string) => { version: number; status: string; value: Record<string, unknown>; valueFrom: string | null; conflictId: string | null } | undefined;
  conflict: (id: string) => { status: string; strategy: string; winner: string | null; candidates: string[]; isOpen: number; reason: string } | undefined;
  count: (table: string) => number;
  resolve: (conflictId: string, choice: DecisionChoice, comment?: string) => ReturnType<typeof resolveConflict>;
  override: (conflictId: string, choice: DecisionChoice, comment?: string) => ReturnType<typeof overrideResolution>;
}

export function makeFixture(settings: Partial<EngineSettings> = {}): Fixture {
  const store = openTempStore();
  const s: EngineSettings = { ...DEFAULT_ENGINE_SETTINGS, timeZone: 'America/Denver', ...settings };
  let batch = 0;
  const ctx = { settings: s, now: () => NOW };
  const syncResponse = (device: string, events: unknown[], opts: { skewMs?: number; batchId?: string } = {}): SyncResponse =>
    ingestBatch(store, { deviceId: device, batchId: opts.batchId ?? `b${++batch}`, deviceTime: new Date(NOW.getTime() + (opts.skewMs ?? 0)).toISOString(), events }, ctx);
  return {
    ...store,
    settings: s,
    sync: (device, events, opts = {}) => syncResponse(device, events, opts).results,
    syncResponse,
    record: (key) => {
      const row = store.db.prepare('SELECT version, status, value, value_from AS valueFrom, conflict_id AS conflictId FROM records WHERE key = ?').get(key) as
        | { version: number; status: string; value: string; valueFrom: string | null; conflictId: string | null }
        | undefined;
      return row === undefined ? undefined : { ...row, value: JSON.parse(row.value) as Record<string, unknown> };
    },
    conflict: (id) => {
      const row = store.db.prepare('SELECT status, strategy, winner, candidates, is_open AS isOpen, reason FROM conflicts WHERE id = ?').get(id) as
        | { status: string; strategy: string; winner: string | null; candidates: string; isOpen: number; reason: string }
        | undefined;
      return row === undefined ? undefined : { ...row, candidates: JSON.parse(row.candidates) as string[] };
    },
    count: (table) => (store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n,
    resolve: (conflictId, choice, comment = 'checked on site') => resolveConflict(store, { conflictId, choice, decidedBy: 'sup-marta', comment }, ctx),
    override: (conflictId, choice, comment = 'checked on site') => overrideResolution(store, { conflictId, choice, decidedBy: 'sup-marta', comment }, ctx),
  };
}
