/**
 * `npm run bench -- floor [--runs 3] [--events 100000] [--prefill 1000000] [--cache-mib N]`: how close to
 * (a) any ingest pipeline that does what issue 2 requires could come on this machine.
 * Side by side per run, each in its own process on a durable copy, the same rows as the
 * ingest bench's (a) (the rows the pipeline wrote for the workload), into the same
 * 1,000,000-event table:
 *
 *   (a)         one prepared INSERT per row into the bare table, one transaction;
 *   + id index  the same with a unique index on the event id (dedupe by id needs one);
 *   + records   the same, plus per event the smallest per-key projection there is
 *               (lookup by key, then update version and value or insert), lookups sorted
 *               by key within each 5,000 events, all in one transaction;
 *   js          the pipeline's own JavaScript on the same events and no SQL at all.
 *
 * "+ records" does nothing issue 2 can do without (no validation, engine, conflicts,
 * outbox, audit or per-batch commits), so its ratio to (a) bounds what the full pipeline
 * can reach from above. See bench/README.md.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { BENCH_DIR, contentHash, durableCopy, ensureCacheDir, removeDatabase, runChild } from './bench-files.ts';
import type { FloorResult, FloorSpec } from './floor-child.ts';
import type { ChildResult, ChildSpec } from './ingest-child.ts';
import { CHILD, ensurePhysical, ensurePrefill, ensureWorkload, int, log, rel } from './ingest.ts';

const FLOOR_CHILD = join(BENCH_DIR, 'floor-child.ts');

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
}

/**
 * The bare table with the id index, and with the projection too; built once per prefill
 * and per version of floor-child.ts (its build decides what they hold).
 */
function ensureFloorDatabases(cache: string, physicalFile: string, prefillFile: string): { index: string; projection: string } {
  const label = /physical-([0-9a-z]+)-[0-9a-f]{12}\.db$/.exec(physicalFile)?.[1] ?? 'x';
  const hash = contentHash([FLOOR_CHILD], [basename(prefillFile)]);
  const files = { index: join(cache, `floor-index-${label}-${hash}.db`), projection: join(cache, `floor-projection-${label}-${hash}.db`) };
  for (const f of readdirSync(cache)) {
    if (/^floor-(index|projection)-/.test(f) && ![files.index, files.projection].includes(join(cache, f))) removeDatabase(join(cache, f));
  }
  for (const [kind, file] of Object.entries(files)) {
    if (existsSync(file)) continue;
    log(`building the floor's ${kind} database → ${rel(file)}`);
    const tmp = `${file}.tmp-${process.pid}`;
    try {
      const built = runChild<FloorResult>(FLOOR_CHILD, { mode: 'build', db: tmp, physical: physicalFile, prefill: prefillFile, projection: kind === 'projection' } satisfies FloorSpec);
      renameSync(tmp, file);
      log(`  built in ${built.seconds.toFixed(1)} s`);
    } finally {
      removeDatabase(tmp);
    }
  }
  return files;
}

export function runFloorBench(argv: string[]): number {
  const { values } = parseArgs({ args: argv, options: { runs: { type: 'string' }, events: { type: 'string' }, prefill: { type: 'string' }, 'cache-mib': { type: 'string' } }, strict: true });
  const flags = { runs: Number(values.runs ?? 3), events: Number(values.events ?? 100_000), prefill: Number(values.prefill ?? 1_000_000), freshPrefill: false };
  // The station's page cache is 32 MiB; --cache-mib asks what a larger one would allow.
  const cacheMib = values['cache-mib'] === undefined ? null : Number(values['cache-mib']);
  if (![flags.runs, flags.events, flags.prefill, cacheMib ?? 1].every((n) => Number.isSafeInteger(n) && n >= 1)) throw new Error('--runs, --events, --prefill and --cache-mib must be whole numbers ≥ 1');
  const cache = ensureCacheDir();
  const prefill = ensurePrefill(cache, flags);
  const physicalFile = ensurePhysical(prefill.file);
  const floors = ensureFloorDatabases(cache, physicalFile, prefill.file);
  const workload = ensureWorkload(cache, flags);
  const runDir = join(cache, `floor-run-${process.pid}`);
  rmSync(runDir, { recursive: true, force: true });
  mkdirSync(runDir, { recursive: true });
  const rowsFile = join(runDir, 'rows.db');
  const runs: { physical: number; index: number; projection: number; js: FloorResult; full: number }[] = [];
  let recordWrites: Record<string, number> = {};
  try {
    // The rows (a) inserts are the rows the real pipeline wrote: one full run exports them.
    const fullDb = join(runDir, 'full.db');
    durableCopy(prefill.file, fullDb);
    const full = runChild<ChildResult>(CHILD, { mode: 'full', db: fullDb, workload: workload.file, exportRows: rowsFile } satisfies ChildSpec);
    removeDatabase(fullDb);
    log(`full pipeline (exports the rows): ${int(full.eventsPerSec)} events/s`);
    const timed = (source: string, spec: (db: string) => ChildSpec | FloorSpec, script: string): { eventsPerSec: number; counts: Record<string, number> } => {
      const db = join(runDir, 'measured.db');
      durableCopy(source, db);
      const result = runChild<{ eventsPerSec: number; counts: Record<string, number> }>(script, spec(db));
      removeDatabase(db);
      return result;
    };
    for (let r = 1; r <= flags.runs; r++) {
      const physical = timed(physicalFile, (db) => ({ mode: 'physical', db, rows: rowsFile, creditedEvents: full.events }), CHILD).eventsPerSec;
      const index = timed(floors.index, (db) => ({ mode: 'insert', db, rows: rowsFile, creditedEvents: full.events, projection: false, cacheMib }), FLOOR_CHILD).eventsPerSec;
      const withRecords = timed(floors.projection, (db) => ({ mode: 'insert', db, rows: rowsFile, creditedEvents: full.events, projection: true, cacheMib }), FLOOR_CHILD);
      const projection = withRecords.eventsPerSec;
      recordWrites = withRecords.counts;
      const js = runChild<FloorResult>(FLOOR_CHILD, { mode: 'js', prefill: prefill.file, workload: workload.file } satisfies FloorSpec);
      log(`run ${r}/${flags.runs}: (a) ${int(physical)}, + id index ${int(index)}, + records ${int(projection)} events/s; pipeline JS alone ${int(js.eventsPerSec)} events/s (${js.parts?.['total'] ?? '?'} µs/event)`);
      runs.push({ physical, index, projection, js, full: full.eventsPerSec });
    }
  } finally {
    rmSync(runDir, { recursive: true, force: true });
  }
  const a = median(runs.map((x) => x.physical));
  const index = median(runs.map((x) => x.index));
  const projection = median(runs.map((x) => x.projection));
  const jsEps = median(runs.map((x) => x.js.eventsPerSec));
  const part = (name: string): number => median(runs.map((x) => x.js.parts?.[name] ?? 0));
  const usA = 1e6 / a;
  console.log(`Floor benchmark: ${int(flags.events)} events into a ${int(flags.prefill)}-event database (medians of ${flags.runs} runs; the same rows as the ingest bench's (a))`);
  console.log(`  (a) bare append                          ${int(a).padStart(9)} events/s   ratio 1.00   (${usA.toFixed(2)} µs/event)`);
  console.log(`  + unique index on the event id           ${int(index).padStart(9)} events/s   ratio ${(index / a).toFixed(2)}`);
  console.log(`  + smallest per-key projection            ${int(projection).padStart(9)} events/s   ratio ${(projection / a).toFixed(2)}   ← bounds the full pipeline (${cacheMib === null ? "the station's 32 MiB" : `a ${cacheMib} MiB`} page cache)`);
  console.log(`      ${int(recordWrites['recordsUpdated'] ?? 0)} records updated and ${int(recordWrites['recordsInserted'] ?? 0)} inserted, each once per 5,000 events`);
  console.log(`  the pipeline's JS alone, no SQL          ${int(jsEps).padStart(9)} events/s   ${part('total').toFixed(2)} µs/event = ${(part('total') / usA).toFixed(1)}× (a)'s whole time per event`);
  console.log(`      validation and keys ${part('validate').toFixed(2)}, engine ${part('engine').toFixed(2)}, JSON ${part('json').toFixed(2)} µs/event`);
  console.log(`  the full pipeline (one run, for reference) ${int(runs[0]?.full ?? 0)} events/s, ratio ${((runs[0]?.full ?? 0) / a).toFixed(3)}`);
  console.log(
    JSON.stringify({
      bench: 'floor',
      physicalEventsPerSec: Math.round(a),
      idIndexRatio: Number((index / a).toFixed(3)),
      projectionRatio: Number((projection / a).toFixed(3)),
      jsMicrosPerEvent: part('total'),
      physicalMicrosPerEvent: Number(usA.toFixed(2)),
    }),
  );
  return 0;
}
