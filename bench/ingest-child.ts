/**
 * One measurement (or one cache build) of the ingest benchmark, in its own process so
 * that RSS, the JS heap and SQLite's page cache belong to that measurement alone.
 * Spawned by `bench/ingest.ts` as `node --import tsx bench/ingest-child.ts '<spec JSON>'`;
 * progress goes to stderr, and the last line on stdout is the result as JSON.
 */
import Database from 'better-sqlite3';
import { applyPragmas, openDatabase, type StationDb } from '../src/main/station/db/open-database.ts';
import { ingestBatch } from '../src/main/station/ingest/ingest-batch.ts';
import { prepareStatements } from '../src/main/station/ingest/statements.ts';
import type { Store } from '../src/main/station/ingest/write-session.ts';
import { loadEngineSettings } from '../src/main/station/settings/settings-store.ts';
import { recordKeyOf } from '../src/shared/events/record-key.ts';
import { validateEvent } from '../src/shared/events/validate-event.ts';
import { EVENT_COLUMNS, readBatches } from './bench-files.ts';
import { prefillDatabase } from './ingest-prefill.ts';
import type { WorkloadBatch } from './workload.ts';

export type ChildSpec =
  | { mode: 'prefill'; db: string; count: number; seed: number; batchSize: number; wells: number; devices: number }
  | { mode: 'build-physical'; db: string; from: string }
  | { mode: 'full'; db: string; workload: string; exportRows: string | null }
  | { mode: 'physical'; db: string; rows: string; creditedEvents: number }
  | { mode: 'naive'; db: string; workload: string; limit: number | null; probeEvents: number; budgetSeconds: number; sliceEvents: number };

export interface ChildResult {
  mode: ChildSpec['mode'];
  /** Events the timed section is credited with. */
  events: number;
  seconds: number;
  eventsPerSec: number;
  maxRssMb: number;
  /** Result statuses (full, prefill), rows written (physical), slice (naive). */
  counts: Record<string, number>;
  notes: string[];
}

function maxRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

function seconds(fromNs: bigint): number {
  return Number(process.hrtime.bigint() - fromNs) / 1e9;
}

function parseBatch(line: string): WorkloadBatch {
  return JSON.parse(line) as WorkloadBatch;
}

function openStore(file: string): Store {
  const { db } = openDatabase(file);
  return { db, stmts: prepareStatements(db) };
}

function tally(counts: Record<string, number>, status: string): void {
  counts[status] = (counts[status] ?? 0) + 1;
}

/** The real pipeline on a fresh copy of the prefilled database; only ingestBatch is timed. */
function runFull(spec: Extract<ChildSpec, { mode: 'full' }>): ChildResult {
  const store = openStore(spec.db);
  const settings = loadEngineSettings(store.db);
  const seqBefore = (store.db.prepare('SELECT coalesce(max(seq), 0) AS n FROM events').get() as { n: number }).n;
  const counts: Record<string, number> = {};
  const batchMs: number[] = [];
  let events = 0;
  let total = 0;
  const rssBefore = process.memoryUsage().rss / 1_048_576;
  for (const line of readBatches(spec.workload)) {
    const batch = parseBatch(line);
    const receivedAt = new Date(batch.receivedAt);
    const t0 = process.hrtime.bigint();
    const response = ingestBatch(store, batch, { settings, now: () => receivedAt });
    const s = seconds(t0);
    total += s;
    batchMs.push(s * 1000);
    events += batch.events.length;
    for (const r of response.results) tally(counts, r.status);
  }
  const rss = maxRssMb();
  const mem = process.memoryUsage();
  const mb = (n: number): string => (n / 1_048_576).toFixed(0);
  if (spec.exportRows !== null) {
    store.db.prepare('ATTACH DATABASE ? AS x').run(spec.exportRows);
    store.db.exec(`DROP TABLE IF EXISTS x.rows; CREATE TABLE x.rows AS SELECT e.seq, ${EVENT_COLUMNS.split(', ').map((c) => `e.${c}`).join(', ')}, r.key AS record_key FROM main.events e LEFT JOIN main.records r ON r.id = e.record_id WHERE e.seq > ${seqBefore} ORDER BY e.seq`);
    store.db.exec('DETACH DATABASE x');
  }
  store.db.close();
  batchMs.sort((a, b) => a - b);
  const notes = [
    `batch ms min ${batchMs[0]?.toFixed(0)} median ${batchMs[Math.floor(batchMs.length / 2)]?.toFixed(0)} max ${batchMs[batchMs.length - 1]?.toFixed(0)}`,
    `RSS ${rssBefore.toFixed(0)} MB before the first batch (Node, tsx, modules, database open), ${mb(mem.rss)} MB after the last; JS heap ${mb(mem.heapUsed)} of ${mb(mem.heapTotal)} MB used at the end (garbage included)`,
  ];
  return { mode: 'full', events, seconds: total, eventsPerSec: events / total, maxRssMb: rss, counts, notes };
}

/** (a) One prepared INSERT of the rows the pipeline wrote, into the bare table, in one transaction. */
function runPhysical(spec: Extract<ChildSpec, { mode: 'physical' }>): ChildResult {
  const source = new Database(spec.rows, { readonly: true });
  const rows = source.prepare(`SELECT ${EVENT_COLUMNS} FROM rows ORDER BY seq`).raw().all() as unknown[][];
  source.close();
  const db = new Database(spec.db);
  applyPragmas(db);
  const insert = db.prepare(`INSERT INTO events_bare (${EVENT_COLUMNS}) VALUES (${EVENT_COLUMNS.split(',').map(() => '?').join(', ')})`);
  const insertAll = db.transaction((all: unknown[][]) => {
    for (const row of all) insert.run(row);
  });
  const t0 = process.hrtime.bigint();
  insertAll.immediate(rows);
  const s = seconds(t0);
  const rss = maxRssMb();
  db.close();
  return {
    mode: 'physical',
    events: spec.creditedEvents,
    seconds: s,
    eventsPerSec: spec.creditedEvents / s,
    maxRssMb: rss,
    counts: { rows: rows.length },
    notes: [`${rows.length} rows inserted; credited with the workload's ${spec.creditedEvents} events`],
  };
}

interface NaiveEvent {
  key: string;
  type: string;
  wellId: string;
  eventId: string;
  payload: string;
  /** Event row values except record_id, status and result, in EVENT_COLUMNS order. */
  row: unknown[];
}

/**
 * (b) The seed's pattern: per event a SELECT of the projection by record key, then an
 * INSERT or UPDATE of the projection and an INSERT of the event, each autocommitted.
 * Validation and record keys are computed before the clock starts.
 */
function runNaive(spec: Extract<ChildSpec, { mode: 'naive' }>): ChildResult {
  const { db } = openDatabase(spec.db);
  const settings = loadEngineSettings(db);
  const prepared: NaiveEvent[] = [];
  for (const line of readBatches(spec.workload)) {
    const batch = parseBatch(line);
    const skew = Date.parse(batch.deviceTime) - Date.parse(batch.receivedAt);
    for (const raw of batch.events) {
      const v = validateEvent(raw);
      if (!v.ok) throw new Error(`workload event ${raw.id} does not validate: ${v.message}`);
      const e = v.event;
      const payload = JSON.stringify(raw.payload);
      const row = [e.id, 'event', e.type, 0, batch.deviceId, 0, e.operatorId, e.occurredAt, e.baseVersion, payload, '', '', null, null, skew, batch.receivedAt];
      prepared.push({ key: recordKeyOf(e, settings), type: e.type, wellId: e.payload.wellId, eventId: e.id, payload, row });
    }
  }
  const select = db.prepare<[string], { id: number; version: number }>('SELECT id, version FROM records WHERE key = ?');
  const insertRecord = db.prepare(
    "INSERT INTO records (key, type, well_id, version, status, value, value_from, conflict_id, state, updated_at, change_seq) VALUES (?, ?, ?, 1, 'OK', ?, ?, NULL, '{}', ?, 0)",
  );
  const updateRecord = db.prepare('UPDATE records SET version = ?, value = ?, value_from = ?, updated_at = ? WHERE id = ?');
  const insertEvent = db.prepare(`INSERT OR IGNORE INTO events (${EVENT_COLUMNS}) VALUES (${EVENT_COLUMNS.split(',').map(() => '?').join(', ')})`);
  let limit = Math.min(spec.limit ?? prepared.length, prepared.length);
  const notes: string[] = [];
  let inserted = 0;
  let updated = 0;
  let done = 0;
  const t0 = process.hrtime.bigint();
  for (; done < limit; done++) {
    const ev = prepared[done]!;
    const at = ev.row[15] as string;
    const held = select.get(ev.key);
    let recordId: number;
    let version: number;
    if (held === undefined) {
      recordId = Number(insertRecord.run(ev.key, ev.type, ev.wellId, ev.payload, ev.eventId, at).lastInsertRowid);
      version = 1;
      inserted++;
    } else {
      recordId = held.id;
      version = held.version + 1;
      updateRecord.run(version, ev.payload, ev.eventId, at, recordId);
      updated++;
    }
    const status = version === 1 ? 'APPLIED' : 'CONFLICT';
    const row = ev.row.slice();
    row[3] = recordId;
    row[10] = status;
    row[11] = JSON.stringify({ eventId: ev.eventId, status, recordKey: ev.key, version });
    insertEvent.run(row);
    if (done + 1 === spec.probeEvents && spec.limit === null) {
      const projected = (seconds(t0) / spec.probeEvents) * prepared.length;
      if (projected > spec.budgetSeconds && prepared.length > spec.sliceEvents) {
        limit = spec.sliceEvents;
        notes.push(`all ${prepared.length} events would take ~${projected.toFixed(0)} s: timed the first ${limit} only`);
      }
    }
  }
  const s = seconds(t0);
  const rss = maxRssMb();
  db.close();
  return { mode: 'naive', events: done, seconds: s, eventsPerSec: done / s, maxRssMb: rss, counts: { slice: done, of: prepared.length, inserted, updated }, notes };
}

function runPrefill(spec: Extract<ChildSpec, { mode: 'prefill' }>): ChildResult {
  const r = prefillDatabase(spec, (line) => process.stderr.write(`${line}\n`));
  return { mode: 'prefill', events: r.events, seconds: r.seconds, eventsPerSec: r.events / r.seconds, maxRssMb: maxRssMb(), counts: r.counts, notes: [] };
}

/** (a)'s database: a bare copy of the prefill's events, same columns, no index but the rowid. */
function runBuildPhysical(spec: Extract<ChildSpec, { mode: 'build-physical' }>): ChildResult {
  const db = new Database(spec.db);
  applyPragmas(db);
  db.prepare('ATTACH DATABASE ? AS src').run(spec.from);
  const ddl = (db.prepare("SELECT sql FROM src.sqlite_master WHERE type = 'table' AND name = 'events'").get() as { sql: string } | undefined)?.sql;
  if (ddl === undefined) throw new Error(`${spec.from} has no events table`);
  const t0 = process.hrtime.bigint();
  db.exec(ddl.replace(/^CREATE TABLE [`"]?events[`"]?/, 'CREATE TABLE events_bare'));
  const rows = db.transaction(() => db.prepare(`INSERT INTO main.events_bare (seq, ${EVENT_COLUMNS}) SELECT seq, ${EVENT_COLUMNS} FROM src.events ORDER BY seq`).run().changes)();
  db.exec('DETACH DATABASE src');
  const s = seconds(t0);
  checkpointAndClose(db);
  return { mode: 'build-physical', events: rows, seconds: s, eventsPerSec: rows / s, maxRssMb: maxRssMb(), counts: { rows }, notes: [] };
}

function checkpointAndClose(db: StationDb): void {
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

function run(spec: ChildSpec): ChildResult {
  switch (spec.mode) {
    case 'prefill':
      return runPrefill(spec);
    case 'build-physical':
      return runBuildPhysical(spec);
    case 'full':
      return runFull(spec);
    case 'physical':
      return runPhysical(spec);
    case 'naive':
      return runNaive(spec);
  }
}

const arg = process.argv[2];
if (arg === undefined) {
  process.stderr.write('usage: node --import tsx bench/ingest-child.ts <spec JSON> (spawned by bench/ingest.ts)\n');
  process.exit(2);
}
process.stdout.write(`${JSON.stringify(run(JSON.parse(arg) as ChildSpec))}\n`);
