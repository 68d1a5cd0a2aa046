/**
 * `npm run bench -- http [--runs 3] [--events 100000] [--prefill 1000000]`: issue 3's
 * benchmark. A real `serve` child on a copy of the 1,000,000-event database; this process
 * is the client on loopback. Per run, side by side: the same 100,000 events (the ingest
 * bench's workload) in gzip batches of 5,000 over HTTP, and through the in-process
 * pipeline (the ingest bench's child). Then 20 tablets × 2,000 events docking at once,
 * twice: events in the workload's own mix (its next 40,000 events: ~20 % on held keys),
 * which the target is read against, and a conflict-heavy set (a second fleet re-recording
 * the same well-days, about half of it CONFLICT), reported beside it as a stress figure.
 * Reports throughput ratio, batch latency p99, READY time and the station's peak RSS.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { createPairingCode } from '../src/main/station/devices/device-auth.ts';
import { readyLine } from '../tools/ready-line.ts';
import { durableCopy, ensureCacheDir, ROOT_DIR, runChild } from './bench-files.ts';
import type { ChildResult, ChildSpec } from './ingest-child.ts';
import { CHILD, ensurePrefill, ensureWorkload, PREFILL_SEED, WORKLOAD_SEED } from './ingest.ts';
import { Workload, type DeviceEvent, type WorkloadBatch } from './workload.ts';

const CONCURRENT_TABLETS = 20;
const CONCURRENT_EVENTS = 2_000;
const BIN = join(ROOT_DIR, 'bin', 'wellos-station');

interface HttpRun {
  eventsPerSec: number;
  batchMs: number[];
  concurrentMs: number[];
  /** The conflict-heavy set's latencies and result statuses. */
  heavyMs: number[];
  heavyStatuses: Record<string, number>;
  concurrentStatuses: Record<string, number>;
  readyMs: number;
  peakRssMb: number;
  statuses: Record<string, number>;
}

/**
 * `bin/wellos-station` runs the built bundle only when it is newer than every source file,
 * else the sources through tsx, which costs more memory and start-up time than a station
 * ever spends. The bench measures the bundle, so it builds first (about a second).
 */
function buildStation(): void {
  const out = spawnSync('npm', ['run', 'build'], { cwd: ROOT_DIR, stdio: ['ignore', 'ignore', 'inherit'] });
  if (out.status !== 0) throw new Error('npm run build failed; the bench measures the built station');
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

function median(values: readonly number[]): number {
  return percentile(values, 50);
}

function int(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** Re-bases a batch on the real clock, keeping the tablet's skew (deviceTime − receivedAt). */
function body(batch: WorkloadBatch): Buffer {
  const skew = Date.parse(batch.deviceTime) - Date.parse(batch.receivedAt);
  return gzipSync(JSON.stringify({ deviceId: batch.deviceId, batchId: batch.batchId, deviceTime: new Date(Date.now() + skew).toISOString(), events: batch.events }));
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

async function startServe(dataDir: string): Promise<{ lan: string; pid: number; readyMs: number; stop: () => Promise<void> }> {
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, 'serve', '--data-dir', dataDir, '--lan-host', '127.0.0.1', '--lan-port', '0', '--ui-port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, LOG_LEVEL: 'warn' },
  });
  const { lan } = (await readyLine(child, { what: 'serve', timeoutMs: 120_000 })) as { lan: string };
  const readyMs = performance.now() - started;
  return {
    lan,
    pid: child.pid ?? 0,
    readyMs,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

async function post(url: string, token: string, payload: Buffer): Promise<{ ms: number; json: { results: { status: string }[] } }> {
  const t0 = performance.now();
  const res = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: payload });
  const json = (await res.json()) as { results: { status: string }[] };
  if (res.status !== 200) throw new Error(`sync answered ${res.status}: ${JSON.stringify(json).slice(0, 300)}`);
  return { ms: performance.now() - t0, json };
}

/** 20 tablets dock at once: every batch must be acknowledged in full, none rejected. */
async function dockAtOnce(url: string, tokens: ReadonlyMap<string, string>, set: readonly WorkloadBatch[]): Promise<{ ms: number[]; statuses: Record<string, number> }> {
  const bodies = set.map(body);
  const statuses: Record<string, number> = {};
  const answers = await Promise.all(set.map((b, i) => post(url, tokens.get(b.deviceId) ?? '', bodies[i] ?? Buffer.alloc(0))));
  const ms = answers.map((r) => {
    if (r.json.results.length !== CONCURRENT_EVENTS || r.json.results.some((x) => x.status === 'REJECTED')) throw new Error('a concurrent batch was not fully acknowledged');
    for (const x of r.json.results) statuses[x.status] = (statuses[x.status] ?? 0) + 1;
    return r.ms;
  });
  return { ms, statuses };
}

async function httpRun(dataDir: string, batches: readonly WorkloadBatch[], concurrent: readonly WorkloadBatch[], heavy: readonly WorkloadBatch[]): Promise<HttpRun> {
  const devices = [...new Set([...batches, ...concurrent, ...heavy].map((b) => b.deviceId))];
  const db = new Database(join(dataDir, 'station.db'));
  db.pragma('journal_mode = WAL');
  const codes = devices.map(() => createPairingCode(db, { now: new Date(), actor: 'bench', ttlSeconds: 3600 }).code);
  db.close();
  const station = await startServe(dataDir);
  try {
    const tokens = new Map<string, string>();
    for (const [i, deviceId] of devices.entries()) {
      const res = await fetch(`${station.lan}/api/v1/pair`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: codes[i], deviceId, deviceName: deviceId }) });
      tokens.set(deviceId, ((await res.json()) as { deviceToken: string }).deviceToken);
    }
    const url = `${station.lan}/api/v1/sync`;
    const bodies = batches.map(body);
    const statuses: Record<string, number> = {};
    const batchMs: number[] = [];
    const t0 = performance.now();
    for (const [i, b] of batches.entries()) {
      const r = await post(url, tokens.get(b.deviceId) ?? '', bodies[i] ?? Buffer.alloc(0));
      batchMs.push(r.ms);
      for (const x of r.json.results) statuses[x.status] = (statuses[x.status] ?? 0) + 1;
    }
    const seconds = (performance.now() - t0) / 1000;
    const events = batches.reduce((n, b) => n + b.events.length, 0);
    const mixed = await dockAtOnce(url, tokens, concurrent);
    const stress = await dockAtOnce(url, tokens, heavy);
    return {
      eventsPerSec: events / seconds,
      batchMs,
      concurrentMs: mixed.ms,
      concurrentStatuses: mixed.statuses,
      heavyMs: stress.ms,
      heavyStatuses: stress.statuses,
      readyMs: station.readyMs,
      peakRssMb: peakRssMb(station.pid),
      statuses,
    };
  } finally {
    await station.stop();
  }
}

export async function runHttpBench(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { runs: { type: 'string' }, events: { type: 'string' }, prefill: { type: 'string' } }, strict: true });
  const flags = { runs: Number(values.runs ?? 3), events: Number(values.events ?? 100_000), prefill: Number(values.prefill ?? 1_000_000), freshPrefill: false };
  buildStation();
  const cache = ensureCacheDir();
  const prefill = ensurePrefill(cache, flags);
  const workload = ensureWorkload(cache, flags);
  const batches = readFileSync(workload.file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as WorkloadBatch);
  // 20 other tablets, 2,000 events each. The target's set: the workload's next 40,000
  // events (same seed, same base; the generator is sequential, so its first `events` are
  // exactly the workload's), in the workload's own mix. The stress set: the same count from
  // another seed continuing the same prefill, i.e. a second fleet walking the well-days the
  // workload just recorded, so about half of it disputes what is held.
  const concurrentCount = CONCURRENT_TABLETS * CONCURRENT_EVENTS;
  const continued = [...new Workload({ count: flags.events + concurrentCount, seed: WORKLOAD_SEED, base: { count: flags.prefill, seed: PREFILL_SEED } }).events()].map((g) => g.event);
  if (continued[flags.events - 1]?.id !== batches.at(-1)?.events.at(-1)?.id) throw new Error('the continued workload does not start where the cached workload ends');
  const next = continued.slice(flags.events);
  const second = [...new Workload({ count: concurrentCount, seed: WORKLOAD_SEED + 1, base: { count: flags.prefill, seed: PREFILL_SEED } }).events()].map((g) => g.event);
  const at = batches[0]?.receivedAt ?? new Date().toISOString();
  const fleet = (pool: readonly DeviceEvent[], name: string, renumber: boolean): WorkloadBatch[] =>
    Array.from({ length: CONCURRENT_TABLETS }, (_, i) => ({
      deviceId: `tab-${name}${String(i + 1).padStart(2, '0')}`,
      batchId: `${name}-${i}`,
      deviceTime: at,
      receivedAt: at,
      events: pool.slice(i * CONCURRENT_EVENTS, (i + 1) * CONCURRENT_EVENTS).map((e, j) => (renumber ? { ...e, id: `${name}-${i}-${j}` } : e)),
    }));
  const concurrent = fleet(next, 'c', false);
  const heavy = fleet(second, 'h', true);
  const runDir = join(cache, `http-run-${process.pid}`);
  mkdirSync(runDir, { recursive: true });
  const rows: { http: HttpRun; inProcess: ChildResult }[] = [];
  try {
    for (let r = 1; r <= flags.runs; r++) {
      const db = join(runDir, 'inproc.db');
      durableCopy(prefill.file, db);
      const inProcess = runChild<ChildResult>(CHILD, { mode: 'full', db, workload: workload.file, exportRows: null } satisfies ChildSpec);
      rmSync(db, { force: true });
      const dataDir = join(runDir, `station-${r}`);
      mkdirSync(dataDir, { recursive: true });
      durableCopy(prefill.file, join(dataDir, 'station.db'));
      const http = await httpRun(dataDir, batches, concurrent, heavy);
      rmSync(dataDir, { recursive: true, force: true });
      console.error(
        `run ${r}/${flags.runs}: http ${int(http.eventsPerSec)} events/s, in-process ${int(inProcess.eventsPerSec)} events/s, batch p99 ${int(percentile(http.batchMs, 99))} ms, 20 tablets p99 ${int(percentile(http.concurrentMs, 99))} ms (conflict-heavy ${int(percentile(http.heavyMs, 99))} ms), READY ${int(http.readyMs)} ms, station peak RSS ${int(http.peakRssMb)} MB`,
      );
      rows.push({ http, inProcess });
    }
  } finally {
    rmSync(runDir, { recursive: true, force: true });
  }
  const httpEps = median(rows.map((x) => x.http.eventsPerSec));
  const inEps = median(rows.map((x) => x.inProcess.eventsPerSec));
  const p99 = median(rows.map((x) => percentile(x.http.batchMs, 99)));
  const concurrentP99 = median(rows.map((x) => percentile(x.http.concurrentMs, 99)));
  const heavyP99 = median(rows.map((x) => percentile(x.http.heavyMs, 99)));
  const share = (statuses: Record<string, number> | undefined): string => {
    const all = Object.values(statuses ?? {}).reduce((a, b) => a + b, 0);
    return Object.entries(statuses ?? {}).map(([s, n]) => `${s} ${((100 * n) / all).toFixed(1)} %`).join(', ');
  };
  const readyMs = median(rows.map((x) => x.http.readyMs));
  const peakRss = Math.max(...rows.map((x) => x.http.peakRssMb));
  const ratio = httpEps / inEps;
  const verdict = (ok: boolean): string => (ok ? 'met' : 'NOT MET');
  console.log(`HTTP benchmark: ${int(flags.events)} events in gzip batches of 5,000 into a station holding ${int(flags.prefill)} events (medians of ${flags.runs} runs)`);
  console.log(`  http ${int(httpEps)} events/s vs in-process ${int(inEps)} events/s: ratio ${ratio.toFixed(2)} (target ≥ 0.70: ${verdict(ratio >= 0.7)})`);
  console.log(`  batch latency p99 ${int(p99)} ms (target ≤ 1,000: ${verdict(p99 <= 1000)}); 20 tablets × 2,000 events at once: all acknowledged, p99 ${int(concurrentP99)} ms (target ≤ 2,000: ${verdict(concurrentP99 <= 2000)})`);
  console.log(`    the 20 tablets' events: ${share(rows[0]?.http.concurrentStatuses)}`);
  console.log(`  stress, not the target: 20 tablets × 2,000 conflict-heavy events at once (${share(rows[0]?.http.heavyStatuses)}): p99 ${int(heavyP99)} ms`);
  console.log(`  serve READY on the 1M-event database ${int(readyMs)} ms (target ≤ 2,000: ${verdict(readyMs <= 2000)}); station peak RSS ${int(peakRss)} MB (target ≤ 300: ${verdict(peakRss <= 300)})`);
  console.log(`  http results (run 1): ${Object.entries(rows[0]?.http.statuses ?? {}).map(([s, n]) => `${s} ${int(n)}`).join(', ')}`);
  console.log(
    JSON.stringify({ bench: 'http', eventsPerSec: Math.round(httpEps), inProcessEventsPerSec: Math.round(inEps), ratio: Number(ratio.toFixed(3)), p99BatchMs: Math.round(p99), concurrentP99Ms: Math.round(concurrentP99), concurrentConflictHeavyP99Ms: Math.round(heavyP99), readyMs: Math.round(readyMs), peakRssMb: Math.round(peakRss) }),
  );
  return 0;
}
