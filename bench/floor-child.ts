/**
 * One measurement (or cache build) of `npm run bench -- floor`, in its own process like
 * the ingest bench's children. Spawned as `node --import tsx bench/floor-child.ts '<spec>'`;
 * the last stdout line is the result as JSON.
 *
 * - `build`: (a)'s 1,000,000 event rows into a table that has the unique index on the event
 *   id from the start, and with `projection` the smallest per-key projection there is (id,
 *   key, version, value; the prefill's records), keyed by a unique index on the key. Rows
 *   go in in arrival order after the indexes exist, so the indexes have the slack of ones
 *   that grew insert by insert (as the station's did), not the packing of CREATE INDEX.
 * - `insert`: the rows the pipeline wrote, in one transaction: the event rows alone, or per
 *   5,000 events first the projection (each key looked up once, in key order, then its
 *   record updated once or inserted), then the event rows. No validation, engine,
 *   conflicts, outbox or audit.
 * - `js`: the pipeline's own JavaScript on the same events with no SQL at all: validation,
 *   record keys, the engine on the records' real prior states (read before the clock), and
 *   the JSON the writes would carry.
 */
import Database from 'better-sqlite3';
import { applyPragmas } from '../src/main/station/db/open-database.ts';
import { decodeState, encodeState } from '../src/main/station/ingest/state-codec.ts';
import { loadEngineSettings } from '../src/main/station/settings/settings-store.ts';
import { engineEventOf } from '../src/shared/engine/content.ts';
import { applyEvent, emptyKeyState } from '../src/shared/engine/key-reducer.ts';
import type { KeyState } from '../src/shared/engine/types.ts';
import { recordKeyOf } from '../src/shared/events/record-key.ts';
import type { EventType } from '../src/shared/events/types.ts';
import { validateEvent } from '../src/shared/events/validate-event.ts';
import { MAX_EVENT_DEPTH, nestsDeeperThan } from '../src/shared/text-checks.ts';
import { EVENT_COLUMNS, readBatches } from './bench-files.ts';
import type { ChildResult } from './ingest-child.ts';
import type { WorkloadBatch } from './workload.ts';

export type FloorSpec =
  | { mode: 'build'; db: string; physical: string; prefill: string; projection: boolean }
  | { mode: 'insert'; db: string; rows: string; creditedEvents: number; projection: boolean; cacheMib: number | null }
  | { mode: 'js'; prefill: string; workload: string };

export interface FloorResult extends Omit<ChildResult, 'mode'> {
  mode: FloorSpec['mode'];
  /** js: microseconds per event in each part. */
  parts?: Record<string, number>;
}

const CHUNK = 5000;

function seconds(fromNs: bigint): number {
  return Number(process.hrtime.bigint() - fromNs) / 1e9;
}

function maxRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

function runBuild(spec: Extract<FloorSpec, { mode: 'build' }>): FloorResult {
  const db = new Database(spec.db);
  applyPragmas(db);
  const t0 = process.hrtime.bigint();
  db.prepare('ATTACH DATABASE ? AS src').run(spec.physical);
  const ddl = (db.prepare("SELECT sql FROM src.sqlite_master WHERE type = 'table' AND name = 'events_bare'").get() as { sql: string }).sql;
  db.exec(`${ddl}; CREATE UNIQUE INDEX events_bare_id ON events_bare (id);`);
  db.transaction(() => db.exec(`INSERT INTO main.events_bare SELECT * FROM src.events_bare ORDER BY seq`))();
  db.exec('DETACH DATABASE src');
  if (spec.projection) {
    db.prepare('ATTACH DATABASE ? AS src').run(spec.prefill);
    db.exec(`CREATE TABLE main.records_min (id INTEGER PRIMARY KEY, key TEXT NOT NULL, version INTEGER NOT NULL, value TEXT NOT NULL);
             CREATE UNIQUE INDEX main.records_min_key ON records_min (key);`);
    db.transaction(() => db.exec('INSERT INTO main.records_min SELECT id, key, version, value FROM src.records ORDER BY id'))();
    db.exec('DETACH DATABASE src');
  }
  const s = seconds(t0);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { mode: 'build', events: 0, seconds: s, eventsPerSec: 0, maxRssMb: maxRssMb(), counts: {}, notes: [] };
}

function runInsert(spec: Extract<FloorSpec, { mode: 'insert' }>): FloorResult {
  const source = new Database(spec.rows, { readonly: true });
  const rows = source.prepare(`SELECT ${EVENT_COLUMNS}, record_key FROM rows ORDER BY seq`).raw().all() as unknown[][];
  source.close();
  const width = EVENT_COLUMNS.split(',').length;
  const eventRows = rows.map((r) => r.slice(0, width));
  const keys = rows.map((r) => r[width] as string);
  const payloadAt = EVENT_COLUMNS.split(',').findIndex((c) => c.trim() === 'payload');
  const db = new Database(spec.db);
  applyPragmas(db);
  if (spec.cacheMib !== null) db.pragma(`cache_size = -${spec.cacheMib * 1024}`);
  const insert = db.prepare(`INSERT INTO events_bare (${EVENT_COLUMNS}) VALUES (${eventRows[0]?.map(() => '?').join(', ') ?? ''})`);
  const find = spec.projection ? db.prepare<[string], { id: number; version: number }>('SELECT id, version FROM records_min WHERE key = ?') : null;
  const update = spec.projection ? db.prepare('UPDATE records_min SET version = ?, value = ? WHERE id = ?') : null;
  const add = spec.projection ? db.prepare('INSERT INTO records_min (key, version, value) VALUES (?, ?, ?)') : null;
  const counts = { recordsUpdated: 0, recordsInserted: 0 };
  const all = db.transaction(() => {
    for (let start = 0; start < eventRows.length; start += CHUNK) {
      const end = Math.min(start + CHUNK, eventRows.length);
      if (find !== null && update !== null && add !== null) {
        // Each key once per chunk, as the pipeline writes each touched record once per batch.
        const byKey = new Map<string, { events: number; value: unknown }>();
        for (let i = start; i < end; i++) {
          const key = keys[i] ?? '';
          byKey.set(key, { events: (byKey.get(key)?.events ?? 0) + 1, value: eventRows[i]?.[payloadAt] });
        }
        for (const key of [...byKey.keys()].sort()) {
          const { events, value } = byKey.get(key) ?? { events: 0, value: null };
          const held = find.get(key);
          if (held === undefined) {
            add.run(key, events, value);
            counts.recordsInserted++;
          } else {
            update.run(held.version + events, value, held.id);
            counts.recordsUpdated++;
          }
        }
      }
      for (let i = start; i < end; i++) insert.run(eventRows[i]);
    }
  });
  const t0 = process.hrtime.bigint();
  all.immediate();
  const s = seconds(t0);
  const rss = maxRssMb();
  db.close();
  return { mode: 'insert', events: spec.creditedEvents, seconds: s, eventsPerSec: spec.creditedEvents / s, maxRssMb: rss, counts, notes: [] };
}

function runJs(spec: Extract<FloorSpec, { mode: 'js' }>): FloorResult {
  const db = new Database(spec.prefill, { readonly: true });
  const settings = loadEngineSettings(db);
  const batches: WorkloadBatch[] = [...readBatches(spec.workload)].map((line) => JSON.parse(line) as WorkloadBatch);
  // Before the clock: the stored state of every record the workload touches (decoding it
  // is the pipeline's work, so that happens on the clock, the first time a key is touched).
  const stored = new Map<string, { state: string; type: string }>();
  const find = db.prepare<[string], { state: string; type: string }>('SELECT state, type FROM records WHERE key = ?');
  for (const b of batches) {
    for (const raw of b.events) {
      const v = validateEvent(raw);
      if (!v.ok) continue;
      const key = recordKeyOf(v.event, settings);
      if (stored.has(key)) continue;
      const row = find.get(key);
      if (row !== undefined) stored.set(key, row);
    }
  }
  db.close();
  const held = new Map<string, KeyState>();
  const stateOf = (key: string, type: EventType): KeyState => {
    const known = held.get(key);
    if (known !== undefined) return known;
    const row = stored.get(key);
    return row === undefined ? emptyKeyState(key, type) : decodeState(row.state, key, row.type as EventType);
  };
  const parts = { validate: 0, engine: 0, json: 0 };
  let events = 0;
  for (const b of batches) {
    const skew = Date.parse(b.deviceTime) - Date.parse(b.receivedAt);
    let t0 = process.hrtime.bigint();
    const checked = b.events.map((raw) => {
      if (nestsDeeperThan(raw, MAX_EVENT_DEPTH)) return null;
      const v = validateEvent(raw);
      return v.ok ? { raw: raw as { payload: unknown }, event: v.event, key: recordKeyOf(v.event, settings) } : null;
    });
    parts.validate += seconds(t0);
    t0 = process.hrtime.bigint();
    const steps = [];
    for (const c of checked) {
      if (c === null) continue;
      const out = applyEvent(stateOf(c.key, c.event.type), engineEventOf(c.event, b.deviceId, skew), settings);
      held.set(c.key, out.state);
      steps.push({ c, out });
    }
    parts.engine += seconds(t0);
    t0 = process.hrtime.bigint();
    const touched = new Set<string>();
    for (const { c, out } of steps) {
      JSON.stringify(c.raw.payload);
      JSON.stringify(out.result);
      touched.add(c.key);
    }
    for (const key of touched) {
      const state = held.get(key);
      if (state !== undefined) encodeState(state);
    }
    parts.json += seconds(t0);
    events += b.events.length;
  }
  const total = parts.validate + parts.engine + parts.json;
  const us = (s: number): number => Number(((s * 1e6) / events).toFixed(2));
  return {
    mode: 'js',
    events,
    seconds: total,
    eventsPerSec: events / total,
    maxRssMb: maxRssMb(),
    counts: {},
    notes: [],
    parts: { validate: us(parts.validate), engine: us(parts.engine), json: us(parts.json), total: us(total) },
  };
}

function run(spec: FloorSpec): FloorResult {
  switch (spec.mode) {
    case 'build':
      return runBuild(spec);
    case 'insert':
      return runInsert(spec);
    case 'js':
      return runJs(spec);
  }
}

const arg = process.argv[2];
if (arg === undefined) {
  process.stderr.write('usage: node --import tsx bench/floor-child.ts <spec JSON> (spawned by bench/floor.ts)\n');
  process.exit(2);
}
process.stdout.write(`${JSON.stringify(run(JSON.parse(arg) as FloorSpec))}\n`);
