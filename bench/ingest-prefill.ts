/**
 * The prefilled station of the ingest benchmark: reference data (wells with their primary
 * product, paired tablets), then `count` events of the workload with `seed` through the
 * real `ingestBatch`, checkpointed so the file stands alone (no -wal/-shm).
 *
 * The parent's cache key hashes this module and everything it imports (bench/workload.ts
 * and the src/ modules of the write path) plus drizzle/: whatever decides the bytes of the
 * prefilled file. Keep it free of imports that do not.
 */
import { openDatabase } from '../src/main/station/db/open-database.ts';
import { ingestBatch } from '../src/main/station/ingest/ingest-batch.ts';
import { prepareStatements } from '../src/main/station/ingest/statements.ts';
import { loadEngineSettings } from '../src/main/station/settings/settings-store.ts';
import { deviceIdOf, Workload, wellsOf } from './workload.ts';

export interface PrefillOptions {
  db: string;
  count: number;
  seed: number;
  batchSize: number;
  wells: number;
  devices: number;
}

export interface PrefillResult {
  events: number;
  seconds: number;
  counts: Record<string, number>;
}

const REFERENCE_AT = '2026-01-01T00:00:00.000Z';
const REPORT_EVERY_EVENTS = 100_000;

export function prefillDatabase(o: PrefillOptions, progress: (line: string) => void): PrefillResult {
  const { db } = openDatabase(o.db);
  const store = { db, stmts: prepareStatements(db) };
  const addWell = db.prepare('INSERT INTO wells (id, name, primary_product, updated_at) VALUES (?, ?, ?, ?)');
  const addDevice = db.prepare('INSERT INTO devices (id, name, token_hash, paired_at) VALUES (?, ?, ?, ?)');
  db.transaction(() => {
    for (const w of wellsOf(o.wells)) addWell.run(w.id, `Well ${w.id}`, w.primaryProduct, REFERENCE_AT);
    for (let d = 0; d < o.devices; d++) addDevice.run(deviceIdOf(d), `Tablet ${d + 1}`, `bench-token-hash-${d}`, REFERENCE_AT);
  })();
  const settings = loadEngineSettings(db);
  const workload = new Workload({ count: o.count, seed: o.seed, wells: o.wells, devices: o.devices });
  const counts: Record<string, number> = {};
  const t0 = process.hrtime.bigint();
  const elapsed = (): number => Number(process.hrtime.bigint() - t0) / 1e9;
  let events = 0;
  let nextReport = REPORT_EVERY_EVENTS;
  for (const batch of workload.batches(o.batchSize)) {
    const receivedAt = new Date(batch.receivedAt);
    const response = ingestBatch(store, batch, { settings, now: () => receivedAt });
    for (const r of response.results) counts[r.status] = (counts[r.status] ?? 0) + 1;
    events += batch.events.length;
    if (events >= nextReport) {
      const s = elapsed();
      progress(`  prefill: ${events.toLocaleString('en-US')} / ${o.count.toLocaleString('en-US')} events, ${s.toFixed(0)} s, ${(events / s).toFixed(0)} events/s`);
      nextReport += REPORT_EVERY_EVENTS;
    }
  }
  const seconds = elapsed();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { events, seconds, counts };
}
