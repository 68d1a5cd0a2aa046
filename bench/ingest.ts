/**
 * `npm run bench -- ingest [--runs 5] [--events 100000] [--prefill 1000000]`: the ingest
 * benchmark of issue 2 ("Performance"). See bench/README.md for what each figure means.
 *
 * The parent only orchestrates: it builds (or reuses) the cached prefilled database, the
 * bare table of (a) and the workload file, then runs full, (a), (b), full, (a), (b), …
 * each in its own child process on its own durable copy of the database, and prints the
 * table, with the one-line JSON summary as the very last line.
 */
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { BENCH_DIR, contentHash, durableCopy, ensureCacheDir, fileSizeMb, importClosure, migrationFiles, removeDatabase, ROOT_DIR, runChild } from './bench-files.ts';
import type { ChildResult, ChildSpec } from './ingest-child.ts';
import { printReport, type IngestRun } from './ingest-report.ts';
import { DEFAULTS, Workload, type WorkloadStats } from './workload.ts';

export const PREFILL_SEED = 1;
export const WORKLOAD_SEED = 2;
const BATCH_SIZE = 5000;
/** (b): time the first PROBE events; if all would take over BUDGET seconds, time SLICE events. */
const NAIVE_PROBE_EVENTS = 1000;
const NAIVE_BUDGET_SECONDS = 60;
const NAIVE_SLICE_EVENTS = 10_000;

export const CHILD = join(BENCH_DIR, 'ingest-child.ts');
const GENERATOR = join(BENCH_DIR, 'workload.ts');
const PREFILL = join(BENCH_DIR, 'ingest-prefill.ts');

const USAGE = `usage: npm run bench -- ingest [--runs N] [--events N] [--prefill N] [--fresh-prefill] [--profile]
  --runs N          measurement rounds, each full + (a) + (b) (default 5)
  --events N        new events per measurement (default 100000)
  --prefill N       events already in the database (default 1000000; cached in bench/.cache)
  --fresh-prefill   rebuild the cached prefill even if its hash matches
  --profile         write a V8 CPU profile of the first full run to bench/.cache/profiles`;

interface Flags {
  runs: number;
  events: number;
  prefill: number;
  freshPrefill: boolean;
  profile: boolean;
}

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value.replace(/_/g, ''));
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`--${name} must be a whole number ≥ 1 (got ${value})\n${USAGE}`);
  return n;
}

function parseFlags(argv: string[]): Flags {
  const { values } = parseArgs({
    args: argv,
    options: {
      runs: { type: 'string' },
      events: { type: 'string' },
      prefill: { type: 'string' },
      'fresh-prefill': { type: 'boolean' },
      profile: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help === true) {
    console.log(USAGE);
    process.exit(0);
  }
  return {
    runs: positiveInt('runs', values.runs, 5),
    events: positiveInt('events', values.events, 100_000),
    prefill: positiveInt('prefill', values.prefill, 1_000_000),
    freshPrefill: values['fresh-prefill'] === true,
    profile: values.profile === true,
  };
}

/** 1000000 → "1m", 20000 → "20k". */
function countLabel(n: number): string {
  if (n % 1_000_000 === 0) return `${n / 1_000_000}m`;
  if (n % 1000 === 0) return `${n / 1000}k`;
  return String(n);
}

export function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

export function rel(file: string): string {
  return relative(ROOT_DIR, file);
}

/** Removes older cache files of the same kind and size once a new one exists. */
function removeStale(cache: string, pattern: RegExp, keep: string): void {
  for (const f of readdirSync(cache)) {
    if (pattern.test(f) && f !== keep) removeDatabase(join(cache, f));
  }
}

export function ensurePrefill(cache: string, flags: Pick<Flags, 'prefill' | 'freshPrefill'>): { file: string; note: string } {
  const label = countLabel(flags.prefill);
  // Not only the generator and the migrations: what the pipeline stores (records.state, …)
  // is decided by code too, so the hash covers every module the prefill run loads.
  const sources = importClosure(PREFILL);
  const hash = contentHash([...sources, ...migrationFiles()], [`prefill ${flags.prefill} seed ${PREFILL_SEED} batch ${BATCH_SIZE}`]);
  const file = join(cache, `prefill-${label}-${hash}.db`);
  if (existsSync(file) && !flags.freshPrefill) {
    return {
      file,
      note: `${int(flags.prefill)} events, cached in ${rel(file)} (${fileSizeMb(file).toFixed(0)} MB; the hash covers drizzle/ and the ${sources.length} modules the prefill runs, generator included)`,
    };
  }
  log(`building the prefill: ${int(flags.prefill)} events through ingestBatch in batches of ${int(BATCH_SIZE)} → ${rel(file)}`);
  const tmp = `${file}.tmp-${process.pid}`;
  removeDatabase(tmp);
  const spec: ChildSpec = { mode: 'prefill', db: tmp, count: flags.prefill, seed: PREFILL_SEED, batchSize: BATCH_SIZE, wells: DEFAULTS.wells, devices: DEFAULTS.devices };
  const started = Date.now();
  const result = runChild<ChildResult>(CHILD, spec);
  const wall = (Date.now() - started) / 1000;
  renameSync(tmp, file);
  removeStale(cache, new RegExp(`^(prefill|physical|floor-index|floor-projection)-${label}-[0-9a-f]{12}\\.db$`), `prefill-${label}-${hash}.db`);
  const statuses = Object.entries(result.counts).map(([s, n]) => `${s} ${int(n)}`).join(', ');
  const note = `${int(flags.prefill)} events, built now in ${wall.toFixed(1)} s (ingest ${result.seconds.toFixed(1)} s, ${int(result.eventsPerSec)} events/s; ${statuses}); cached in ${rel(file)} (${fileSizeMb(file).toFixed(0)} MB)`;
  log(`prefill done: ${note}`);
  return { file, note };
}

export function ensurePhysical(prefillFile: string): string {
  const file = prefillFile.replace(/prefill-([^/]+)\.db$/, 'physical-$1.db');
  if (existsSync(file)) return file;
  log(`building (a)'s bare table from ${rel(prefillFile)} → ${rel(file)}`);
  const tmp = `${file}.tmp-${process.pid}`;
  removeDatabase(tmp);
  const result = runChild<ChildResult>(CHILD, { mode: 'build-physical', db: tmp, from: prefillFile } satisfies ChildSpec);
  renameSync(tmp, file);
  log(`  ${int(result.counts['rows'] ?? 0)} rows in ${result.seconds.toFixed(1)} s`);
  return file;
}

export function ensureWorkload(cache: string, flags: Pick<Flags, 'prefill' | 'events'>): { file: string; stats: WorkloadStats } {
  const hash = contentHash(importClosure(GENERATOR), [`prefill ${flags.prefill} seed ${PREFILL_SEED}; events ${flags.events} seed ${WORKLOAD_SEED}; batch ${BATCH_SIZE}`]);
  // Named by its counts, so a smoke run with other counts leaves the full run's file alone.
  const label = `${countLabel(flags.prefill)}-${countLabel(flags.events)}`;
  const file = join(cache, `workload-${label}-${hash}.jsonl`);
  const statsFile = join(cache, `workload-${label}-${hash}.json`);
  if (existsSync(file) && existsSync(statsFile)) return { file, stats: JSON.parse(readFileSync(statsFile, 'utf8')) as WorkloadStats };
  removeStale(cache, new RegExp(`^workload-(${label}-)?[0-9a-f]{12}\\.jsonl?$`), '');
  log(`generating the workload: ${int(flags.events)} events continuing the prefill's world → ${rel(file)}`);
  const started = Date.now();
  const workload = new Workload({ count: flags.events, seed: WORKLOAD_SEED, base: { count: flags.prefill, seed: PREFILL_SEED } });
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  try {
    for (const batch of workload.batches(BATCH_SIZE)) writeSync(fd, `${JSON.stringify(batch)}\n`);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  writeFileSync(statsFile, JSON.stringify(workload.stats));
  log(`  generated in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { file, stats: workload.stats };
}

export function int(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function runIngestBench(argv: string[]): number {
  const flags = parseFlags(argv);
  const started = Date.now();
  const cache = ensureCacheDir();
  const prefill = ensurePrefill(cache, flags);
  const physicalFile = ensurePhysical(prefill.file);
  const workload = ensureWorkload(cache, flags);
  const runDir = join(cache, `run-${process.pid}`);
  rmSync(runDir, { recursive: true, force: true });
  mkdirSync(runDir, { recursive: true });
  const rowsFile = join(runDir, 'rows.db');
  const profileDir = join(cache, 'profiles');
  const runs: IngestRun[] = [];
  let naiveLimit: number | null = null;
  let naiveNote: string | null = null;
  try {
    for (let r = 1; r <= flags.runs; r++) {
      const fullDb = join(runDir, 'full.db');
      durableCopy(prefill.file, fullDb);
      const full = runChild<ChildResult>(CHILD, { mode: 'full', db: fullDb, workload: workload.file, exportRows: r === 1 ? rowsFile : null } satisfies ChildSpec, {
        nodeFlags: flags.profile && r === 1 ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [],
      });
      removeDatabase(fullDb);
      log(`run ${r}/${flags.runs} full:     ${int(full.eventsPerSec)} events/s (${full.seconds.toFixed(2)} s, peak RSS ${full.maxRssMb.toFixed(0)} MB)`);

      const physicalDb = join(runDir, 'physical.db');
      durableCopy(physicalFile, physicalDb);
      const physical = runChild<ChildResult>(CHILD, { mode: 'physical', db: physicalDb, rows: rowsFile, creditedEvents: full.events } satisfies ChildSpec);
      removeDatabase(physicalDb);
      log(`run ${r}/${flags.runs} physical: ${int(physical.eventsPerSec)} events/s (${physical.seconds.toFixed(2)} s)`);

      const naiveDb = join(runDir, 'naive.db');
      durableCopy(prefill.file, naiveDb);
      const naive: ChildResult = runChild<ChildResult>(CHILD, {
        mode: 'naive',
        db: naiveDb,
        workload: workload.file,
        limit: naiveLimit,
        probeEvents: NAIVE_PROBE_EVENTS,
        budgetSeconds: NAIVE_BUDGET_SECONDS,
        sliceEvents: NAIVE_SLICE_EVENTS,
      } satisfies ChildSpec);
      removeDatabase(naiveDb);
      if (naiveLimit === null) {
        naiveLimit = naive.events;
        if (naive.notes.length > 0) naiveNote = `(b) ${naive.notes.join('; ')}; every run times the same ${int(naive.events)}-event slice (events/s stays comparable)`;
      }
      log(`run ${r}/${flags.runs} naive:    ${int(naive.eventsPerSec)} events/s (${naive.seconds.toFixed(2)} s for ${int(naive.events)} events)`);
      runs.push({ full, physical, naive });
    }
  } finally {
    rmSync(runDir, { recursive: true, force: true });
  }
  if (flags.profile) log(`CPU profile of the first full run: ${rel(profileDir)}/*.cpuprofile`);
  const { sane } = printReport(
    { runs, workload: workload.stats, batchSize: BATCH_SIZE, prefillEvents: flags.prefill, prefillNote: prefill.note, naiveNote },
    (line) => {
      if (line.startsWith('{')) console.log(`  total wall time ${((Date.now() - started) / 1000).toFixed(0)} s`);
      console.log(line);
    },
  );
  return sane ? 0 : 1;
}
