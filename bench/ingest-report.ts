/**
 * The ingest benchmark's report: the human-readable table, the sanity check of the full
 * pipeline's results, and the one-line JSON summary (always the last line of output).
 */
import type { ChildResult } from './ingest-child.ts';
import type { WorkloadStats } from './workload.ts';

export const TARGET_RATIO_TO_PHYSICAL = 0.5;
export const TARGET_RATIO_TO_NAIVE = 25;
export const TARGET_PEAK_RSS_MB = 300;

export interface IngestRun {
  full: ChildResult;
  physical: ChildResult;
  naive: ChildResult;
}

export interface ReportInput {
  runs: IngestRun[];
  workload: WorkloadStats;
  batchSize: number;
  prefillEvents: number;
  prefillNote: string;
  naiveNote: string | null;
}

export interface IngestSummary {
  bench: 'ingest';
  eventsPerSec: number;
  physicalEventsPerSec: number;
  naiveEventsPerSec: number;
  ratioToPhysical: number;
  ratioToNaive: number;
  peakRssMb: number;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const pct = (part: number, whole: number): string => `${((100 * part) / Math.max(whole, 1)).toFixed(1)} %`;
const pad = (s: string, n: number): string => s.padStart(n);

const TYPE_LABELS: Record<string, string> = {
  PRODUCTION_LOGGED: 'production',
  WELL_READING_RECORDED: 'readings',
  EQUIPMENT_INSPECTED: 'inspections',
  EQUIPMENT_REPAIRED: 'repairs',
  WELL_STATUS_CHANGED: 'status',
  NOTES_ADDED: 'notes',
  PHOTO_ATTACHED: 'photos',
};
const STATUS_ORDER = ['APPLIED', 'CONFLICT', 'CONFIRMED', 'SUPERSEDED', 'DUPLICATE', 'REJECTED'];

/** Problems with the full pipeline's results for this workload; empty when they are sane. */
export function sanityProblems(counts: Record<string, number>, workload: WorkloadStats): string[] {
  const n = (s: string): number => counts[s] ?? 0;
  const problems: string[] = [];
  if (n('REJECTED') !== 0) problems.push(`${n('REJECTED')} events REJECTED (the workload is valid: expected 0)`);
  if (n('DUPLICATE') !== workload.byKind.resend) problems.push(`${n('DUPLICATE')} DUPLICATE, but the workload has ${workload.byKind.resend} resends`);
  if (n('APPLIED') < workload.events / 2) problems.push(`only ${n('APPLIED')} APPLIED of ${workload.events} (expected most)`);
  const touched = n('CONFLICT') + n('CONFIRMED') + n('SUPERSEDED');
  const overlap = workload.byKind.overlap;
  if (touched < overlap * 0.5 || touched > overlap * 1.5) problems.push(`${touched} CONFLICT/CONFIRMED/SUPERSEDED for ${overlap} overlapping events`);
  return problems;
}

function statusLine(counts: Record<string, number>, total: number): string {
  const known = STATUS_ORDER.map((s) => `${s} ${int(counts[s] ?? 0)} (${pct(counts[s] ?? 0, total)})`);
  const other = Object.keys(counts).filter((s) => !STATUS_ORDER.includes(s)).map((s) => `${s} ${int(counts[s] ?? 0)}`);
  return [...known, ...other].join(', ');
}

function sameCounts(a: Record<string, number>, b: Record<string, number>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => (a[k] ?? 0) === (b[k] ?? 0));
}

function verdict(ok: boolean): string {
  return ok ? 'met' : 'NOT MET';
}

/** Prints the report; returns the summary (already printed as the last line) and whether the results were sane. */
export function printReport(input: ReportInput, print: (line: string) => void): { summary: IngestSummary; sane: boolean } {
  const { runs, workload: w } = input;
  const full = median(runs.map((r) => r.full.eventsPerSec));
  const physical = median(runs.map((r) => r.physical.eventsPerSec));
  const naive = median(runs.map((r) => r.naive.eventsPerSec));
  const peakRss = Math.max(...runs.map((r) => r.full.maxRssMb));
  const ratioToPhysical = full / physical;
  const ratioToNaive = full / naive;
  const first = runs[0]!.full.counts;

  print('');
  print(`Ingest benchmark: ${int(w.events)} events into a station that holds ${int(input.prefillEvents)} events (WAL, synchronous=FULL)`);
  print(`  workload  ${w.batches} batches of up to ${int(input.batchSize)} events (one tablet each); ${pct(w.byKind.overlap, w.events)} on keys another tablet already holds, ${pct(w.byKind.resend, w.events)} resends`);
  print(`            mix: ${Object.entries(TYPE_LABELS).map(([t, label]) => `${label} ${pct(w.byType[t as keyof typeof w.byType] ?? 0, w.events)}`).join(', ')}`);
  print(`  prefill   ${input.prefillNote}`);
  print(`  full      ingestBatch (validate, dedupe, engine, events, records, conflicts, outbox, audit), one transaction per batch`);
  print(`  (a)       physical limit: one prepared INSERT of the rows the pipeline wrote to events, into a bare ${int(input.prefillEvents)}-row table, one transaction`);
  print(`  (b)       seed's naive pattern: per event SELECT projection by key, INSERT or UPDATE it, INSERT the event, each autocommitted`);
  if (input.naiveNote !== null) print(`            ${input.naiveNote}`);
  print('');
  print(`  run   full events/s   (a) physical events/s   (b) naive events/s   full peak RSS`);
  runs.forEach((r, i) => {
    print(`  ${pad(String(i + 1), 3)}   ${pad(int(r.full.eventsPerSec), 13)}   ${pad(int(r.physical.eventsPerSec), 21)}   ${pad(int(r.naive.eventsPerSec), 18)}   ${pad(r.full.maxRssMb.toFixed(0), 9)} MB`);
  });
  print(`  median${pad(int(full), 12)}   ${pad(int(physical), 21)}   ${pad(int(naive), 18)}   ${pad(peakRss.toFixed(0), 9)} MB (max)`);
  print(`  seconds (median): full ${median(runs.map((r) => r.full.seconds)).toFixed(2)} s for ${int(runs[0]!.full.events)} events; (a) ${median(runs.map((r) => r.physical.seconds)).toFixed(2)} s for ${int(runs[0]!.physical.counts['rows'] ?? 0)} rows; (b) ${median(runs.map((r) => r.naive.seconds)).toFixed(2)} s for ${int(runs[0]!.naive.events)} events`);
  print(`  full, run 1: ${runs[0]!.full.notes.join('; ')}`);
  print('');
  print(`  full / (a) physical = ${ratioToPhysical.toFixed(3)}   target ≥ ${TARGET_RATIO_TO_PHYSICAL}: ${verdict(ratioToPhysical >= TARGET_RATIO_TO_PHYSICAL)}`);
  print(`  full / (b) naive    = ${ratioToNaive.toFixed(1)}×   target ≥ ${TARGET_RATIO_TO_NAIVE}×: ${verdict(ratioToNaive >= TARGET_RATIO_TO_NAIVE)}`);
  print(`  full peak RSS       = ${peakRss.toFixed(0)} MB   target ≤ ${TARGET_PEAK_RSS_MB} MB: ${verdict(peakRss <= TARGET_PEAK_RSS_MB)}`);
  print('');
  const problems = sanityProblems(first, w);
  const drift = runs.findIndex((r) => !sameCounts(r.full.counts, first));
  if (drift >= 0) problems.push(`run ${drift + 1} gave other result counts than run 1 (the pipeline is not deterministic)`);
  print(`  full pipeline results (run 1${runs.length > 1 && drift < 0 ? ', identical in every run' : ''}): ${statusLine(first, runs[0]!.full.events)}`);
  print(problems.length === 0 ? '  results are sane: no rejections, one DUPLICATE per resend, conflicts and confirmations only where keys overlap' : `  RESULTS ARE NOT SANE: ${problems.join('; ')}`);
  const summary: IngestSummary = {
    bench: 'ingest',
    eventsPerSec: Math.round(full),
    physicalEventsPerSec: Math.round(physical),
    naiveEventsPerSec: Math.round(naive),
    ratioToPhysical: Math.round(ratioToPhysical * 1000) / 1000,
    ratioToNaive: Math.round(ratioToNaive * 10) / 10,
    peakRssMb: Math.round(peakRss),
  };
  print(JSON.stringify(summary));
  return { summary, sane: problems.length === 0 };
}
