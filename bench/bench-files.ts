/**
 * File helpers of the benchmarks: the gitignored cache folder, content hashes for cache
 * names, durable copies, and child processes that answer with one JSON line.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
export const ROOT_DIR = join(BENCH_DIR, '..');
export const CACHE_DIR = join(BENCH_DIR, '.cache');

/** Creates bench/.cache with its own `.gitignore` (`*`), so nothing in it is ever committed. */
export function ensureCacheDir(): string {
  mkdirSync(CACHE_DIR, { recursive: true });
  const ignore = join(CACHE_DIR, '.gitignore');
  if (!existsSync(ignore)) writeFileSync(ignore, '*\n');
  return CACHE_DIR;
}

/** sha256 over the given files' bytes (in the given order) and extra strings; 12 hex digits. */
export function contentHash(files: readonly string[], extra: readonly string[]): string {
  const h = createHash('sha256');
  for (const f of files) {
    h.update(relative(ROOT_DIR, f)).update('\0').update(readFileSync(f)).update('\0');
  }
  for (const x of extra) h.update(x).update('\0');
  return h.digest('hex').slice(0, 12);
}

const RELATIVE_IMPORT_RE = /(?:^|[\s;])(?:import|export)\s(?!type\s)[^'"]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

/**
 * The entry file and every file it reaches through relative imports (static, re-exports
 * and dynamic `import('…')`; `import type` is skipped, it has no effect at run time),
 * sorted: the code whose change can change what it writes.
 */
export function importClosure(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file) || !existsSync(file)) return;
    seen.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(RELATIVE_IMPORT_RE)) {
      const spec = m[1] ?? m[2];
      if (spec !== undefined) visit(join(dirname(file), spec));
    }
  };
  visit(entry);
  return [...seen].sort();
}

/** The migration files (SQL and journal) that decide the database's shape. */
export function migrationFiles(): string[] {
  const folder = join(ROOT_DIR, 'drizzle');
  const sql = readdirSync(folder)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => join(folder, f));
  return [...sql, join(folder, 'meta', '_journal.json')];
}

function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Copies a database file and forces the copy to disk (and its directory entry), so that
 * no write-back of the copy is left to land inside a timed fsync later.
 */
export function durableCopy(from: string, to: string): void {
  removeDatabase(to);
  copyFileSync(from, to);
  fsyncPath(to);
  fsyncPath(dirname(to));
}

/** Removes a database file with its -wal and -shm. */
export function removeDatabase(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${file}${suffix}`, { force: true });
}

export function fileSizeMb(file: string): number {
  return statSync(file).size / 1_048_576;
}

export interface SpawnOptions {
  /** Extra node flags, e.g. --cpu-prof. */
  nodeFlags?: readonly string[];
}

/** Runs a TS script in a fresh Node process; stderr passes through; returns its last stdout line parsed as JSON. */
export function runChild<T>(script: string, arg: unknown, options: SpawnOptions = {}): T {
  const out = spawnSync(process.execPath, ['--import', 'tsx', ...(options.nodeFlags ?? []), script, JSON.stringify(arg)], {
    cwd: ROOT_DIR,
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (out.error !== undefined) throw out.error;
  const lines = out.stdout.trim().split('\n');
  const last = lines[lines.length - 1] ?? '';
  if (out.status !== 0 || !last.startsWith('{')) {
    throw new Error(`${relative(ROOT_DIR, script)} failed (exit ${out.status ?? out.signal ?? '?'}); stdout ended with: ${last.slice(0, 500)}`);
  }
  return JSON.parse(last) as T;
}

/** The events columns the benches copy row for row ((a) and its variants). */
export const EVENT_COLUMNS =
  'id, kind, type, record_id, device_id, batch_seq, operator_id, occurred_at, base_version, payload, status, result, supersedes, superseded_by, clock_skew_ms, received_at';

/**
 * The workload file's lines (one batch each), read a chunk at a time: a station never
 * holds 100,000 events at once, so neither does the measured process.
 */
export function* readBatches(file: string): Generator<string> {
  const fd = openSync(file, 'r');
  const chunk = Buffer.allocUnsafe(1 << 20);
  let pending: Buffer[] = [];
  try {
    for (let n = readSync(fd, chunk, 0, chunk.length, null); n > 0; n = readSync(fd, chunk, 0, chunk.length, null)) {
      const view = chunk.subarray(0, n);
      let start = 0;
      for (let nl = view.indexOf(10, start); nl !== -1; nl = view.indexOf(10, start)) {
        pending.push(Buffer.from(view.subarray(start, nl)));
        const line = Buffer.concat(pending).toString('utf8');
        pending = [];
        start = nl + 1;
        if (line.length > 0) yield line;
      }
      if (start < n) pending.push(Buffer.from(view.subarray(start)));
    }
    const last = Buffer.concat(pending).toString('utf8');
    if (last.length > 0) yield last;
  } finally {
    closeSync(fd);
  }
}
