/**
 * The UI bench's station database, built in seconds through the real write path
 * (`ingestBatch` on `openDatabase` + `prepareStatements`, as bench/ingest-child.ts does)
 * instead of over HTTP: every row is what a docking tablet would have produced.
 *
 * - `inspectionKeys` EQUIPMENT_INSPECTED record keys (wells × equipment × field days),
 *   each inspected PASS by tab-01 and then FAIL by tab-02: one PENDING_REVIEW conflict
 *   per key (inspections are locked to MANUAL_REVIEW).
 * - `productionRecords` PRODUCTION_LOGGED records from tab-03 (wells × production days),
 *   each a single entry: no conflict.
 *
 * With the defaults: 10,000 pending conflicts, 50,000 records, 60,000 events.
 */
import { join } from 'node:path';
import { openDatabase } from '../src/main/station/db/open-database.ts';
import { ingestBatch } from '../src/main/station/ingest/ingest-batch.ts';
import { prepareStatements } from '../src/main/station/ingest/statements.ts';
import { loadEngineSettings } from '../src/main/station/settings/settings-store.ts';
import type { SyncRequest } from '../src/shared/protocol/sync.ts';

export interface UiFixtureOptions {
  dataDir: string;
  inspectionKeys: number;
  productionRecords: number;
  batchSize: number;
}

export interface UiFixtureResult {
  seconds: number;
  events: number;
  statuses: Record<string, number>;
  conflicts: number;
  pendingReview: number;
  records: number;
}

export const UI_FIXTURE_DEFAULTS = { inspectionKeys: 10_000, productionRecords: 40_000, batchSize: 1_000 } as const;

const WELLS = 200;
const EQUIPMENT = ['PUMP-1', 'PUMP-2', 'COMP-1', 'COMP-2', 'SEP-1', 'SEP-2', 'TANK-1', 'TANK-2', 'HT-1', 'VRU-1'] as const;
const DEVICES = [
  { id: 'tab-01', name: 'Tablet 01 (Ana Ruiz)' },
  { id: 'tab-02', name: 'Tablet 02 (Bill Harper)' },
  { id: 'tab-03', name: 'Tablet 03 (Cody Tran)' },
] as const;

function wellId(n: number): string {
  return `W-${1001 + n}`;
}

/** YYYY-MM-DD, `n` days before `from`. */
function dayBefore(from: string, n: number): string {
  return new Date(Date.parse(`${from}T00:00:00.000Z`) - n * 86_400_000).toISOString().slice(0, 10);
}

interface DraftEvent {
  id: string;
  type: string;
  operatorId: string;
  occurredAt: string;
  payload: Record<string, unknown>;
}

/** The `i`-th inspection key's event as tablet `side` saw it (PASS from tab-01, FAIL from tab-02). */
function inspection(i: number, side: 'PASS' | 'FAIL', lastDay: string): DraftEvent {
  const well = i % WELLS;
  const equipment = EQUIPMENT[Math.floor(i / WELLS) % EQUIPMENT.length] ?? 'PUMP-1';
  const day = dayBefore(lastDay, Math.floor(i / (WELLS * EQUIPMENT.length)));
  // 15:00Z / 16:00Z: mid-morning in the station's zone (America/Chicago), after the gauge-day start.
  const hour = side === 'PASS' ? 15 : 16;
  const at = `${day}T${hour}:00:00.000Z`;
  return {
    id: `ui-insp-${i}-${side === 'PASS' ? 'a' : 'b'}`,
    type: 'EQUIPMENT_INSPECTED',
    operatorId: side === 'PASS' ? 'op-01' : 'op-02',
    occurredAt: `${day}T${hour}:04:00.000Z`,
    payload: { wellId: wellId(well), equipmentId: equipment, inspectedAt: at, result: side, checklist: { belts: side, guards: 'PASS', leaks: side === 'PASS' ? 'PASS' : 'FAIL' } },
  };
}

function production(i: number, lastDay: string): DraftEvent {
  const well = i % WELLS;
  const day = dayBefore(lastDay, Math.floor(i / WELLS));
  const oil = 50 + ((i * 37) % 550);
  return {
    id: `ui-prod-${i}`,
    type: 'PRODUCTION_LOGGED',
    operatorId: 'op-03',
    occurredAt: `${day}T17:10:00.000Z`,
    payload: { wellId: wellId(well), measuredAt: `${day}T17:00:00.000Z`, productionDate: day, oilBbl: oil, gasMcf: 100 + ((i * 53) % 1900), waterBbl: 10 + ((i * 11) % 300), hoursOn: 24 },
  };
}

/** Builds `station.db` in `dataDir` (which must not hold one yet). */
export function buildUiFixture(o: UiFixtureOptions, progress: (line: string) => void = () => undefined): UiFixtureResult {
  const t0 = process.hrtime.bigint();
  const { db } = openDatabase(join(o.dataDir, 'station.db'));
  const store = { db, stmts: prepareStatements(db) };
  const now = new Date();
  const nowIso = now.toISOString();
  const lastDay = dayBefore(nowIso.slice(0, 10), 1);
  const addWell = db.prepare('INSERT INTO wells (id, name, primary_product, updated_at) VALUES (?, ?, ?, ?)');
  const addDevice = db.prepare('INSERT INTO devices (id, name, token_hash, paired_at) VALUES (?, ?, ?, ?)');
  db.transaction(() => {
    for (let w = 0; w < WELLS; w++) addWell.run(wellId(w), `Lease ${Math.floor(w / 10) + 1} #${(w % 10) + 1}`, w % 4 === 3 ? 'gas' : 'oil', nowIso);
    for (const d of DEVICES) addDevice.run(d.id, d.name, `ui-bench-token-hash-${d.id}`, nowIso);
  })();
  const settings = loadEngineSettings(db);
  const statuses: Record<string, number> = {};
  let events = 0;
  let batchNo = 0;
  const send = (deviceId: string, drafts: DraftEvent[]): void => {
    for (let start = 0; start < drafts.length; start += o.batchSize) {
      const slice = drafts.slice(start, start + o.batchSize);
      const batch: SyncRequest = { deviceId, batchId: `ui-${deviceId}-${++batchNo}`, deviceTime: new Date().toISOString(), events: slice.map((e) => ({ ...e, baseVersion: null })) };
      const response = ingestBatch(store, batch, { settings, now: () => new Date() });
      for (const r of response.results) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
      events += slice.length;
    }
    progress(`  ${deviceId}: ${drafts.length.toLocaleString('en-US')} events in (${events.toLocaleString('en-US')} so far)`);
  };
  send('tab-03', Array.from({ length: o.productionRecords }, (_, i) => production(i, lastDay)));
  send('tab-01', Array.from({ length: o.inspectionKeys }, (_, i) => inspection(i, 'PASS', lastDay)));
  send('tab-02', Array.from({ length: o.inspectionKeys }, (_, i) => inspection(i, 'FAIL', lastDay)));
  const count = (sql: string): number => (db.prepare(sql).get() as { n: number }).n;
  const result: UiFixtureResult = {
    seconds: Number(process.hrtime.bigint() - t0) / 1e9,
    events,
    statuses,
    conflicts: count('SELECT count(*) AS n FROM conflicts WHERE is_open = 1'),
    pendingReview: count("SELECT count(*) AS n FROM conflicts WHERE is_open = 1 AND status = 'PENDING_REVIEW'"),
    records: count('SELECT count(*) AS n FROM records'),
  };
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return result;
}
