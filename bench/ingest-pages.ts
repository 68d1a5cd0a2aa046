/**
 * `npm run bench -- pages [--batches 4] [--prefill 1000000]`: where the ingest bench's
 * writes land. Not a timing: on a copy of the cached prefill database, the first
 * `--batches` batches of the ingest workload go through `ingestBatch` with automatic
 * checkpoints off, so the WAL keeps every frame the commits wrote; each frame's page is
 * then mapped to its table or index through SQLite's `dbstat`. Distinct pages per B-tree
 * is what the commits had to write (and a checkpoint writes again); (a) of the ingest
 * bench writes only the events B-tree's share.
 */
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../src/main/station/db/open-database.ts';
import { ingestBatch } from '../src/main/station/ingest/ingest-batch.ts';
import { prepareStatements } from '../src/main/station/ingest/statements.ts';
import { loadEngineSettings } from '../src/main/station/settings/settings-store.ts';
import { durableCopy, ensureCacheDir, removeDatabase } from './bench-files.ts';
import { ensurePrefill, ensureWorkload } from './ingest.ts';
import type { WorkloadBatch } from './workload.ts';

const WAL_HEADER_BYTES = 32;
const FRAME_HEADER_BYTES = 24;

/** Page number of every frame in a WAL file, in order. */
function walFramePages(file: string, pageSize: number): number[] {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const header = Buffer.alloc(FRAME_HEADER_BYTES);
    const pages: number[] = [];
    for (let at = WAL_HEADER_BYTES; at + FRAME_HEADER_BYTES + pageSize <= size; at += FRAME_HEADER_BYTES + pageSize) {
      readSync(fd, header, 0, FRAME_HEADER_BYTES, at);
      pages.push(header.readUInt32BE(0));
    }
    return pages;
  } finally {
    closeSync(fd);
  }
}

export function runPagesBench(argv: string[]): number {
  const { values } = parseArgs({ args: argv, options: { batches: { type: 'string' }, prefill: { type: 'string' } }, strict: true });
  const count = Number(values.batches ?? 4);
  if (!Number.isInteger(count) || count < 1 || count > 20) throw new Error('--batches must be a whole number from 1 to 20');
  const cache = ensureCacheDir();
  const flags = { prefill: Number(values.prefill ?? 1_000_000), events: 100_000, freshPrefill: false };
  if (!Number.isInteger(flags.prefill) || flags.prefill < 1_000) throw new Error('--prefill must be a whole number of at least 1000');
  const prefill = ensurePrefill(cache, flags);
  const workload = ensureWorkload(cache, flags);
  const batches = readFileSync(workload.file, 'utf8').trim().split('\n').slice(0, count).map((l) => JSON.parse(l) as WorkloadBatch);
  const file = join(cache, `pages-${process.pid}.db`);
  durableCopy(prefill.file, file);
  try {
    const { db } = openDatabase(file);
    db.pragma('wal_autocheckpoint = 0');
    const owner = new Map((db.prepare('SELECT pageno, name FROM dbstat').raw().all() as [number, string][]).map(([p, n]) => [p, n]));
    const store = { db, stmts: prepareStatements(db) };
    const settings = loadEngineSettings(db);
    let events = 0;
    for (const b of batches) {
      const at = new Date(b.receivedAt);
      events += ingestBatch(store, b, { settings, now: () => at }).results.length;
    }
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const frames = walFramePages(`${file}-wal`, pageSize);
    // Pages the transactions allocated are not in the map taken before: look them up now.
    const after = new Map((db.prepare('SELECT pageno, name FROM dbstat').raw().all() as [number, string][]).map(([p, n]) => [p, n]));
    db.close();
    const distinct = new Set(frames);
    const byTree = new Map<string, number>();
    for (const p of distinct) {
      const name = owner.get(p) ?? after.get(p) ?? '(free list or header)';
      byTree.set(name, (byTree.get(name) ?? 0) + 1);
    }
    const rows = [...byTree].sort((a, b) => b[1] - a[1]);
    const perK = (n: number): string => ((1000 * n) / events).toFixed(0).padStart(6);
    console.log(`Pages written by ${count} batch(es), ${events.toLocaleString('en-US')} events, into the ${flags.prefill.toLocaleString('en-US')}-event database (page ${pageSize} B)`);
    console.log(`  WAL frames ${frames.length.toLocaleString('en-US')}, distinct pages ${distinct.size.toLocaleString('en-US')}; per 1,000 events: ${perK(distinct.size).trim()}`);
    console.log('  table or index                              pages   per 1,000 events');
    for (const [name, n] of rows) console.log(`  ${name.padEnd(40)} ${String(n).padStart(8)}   ${perK(n)}`);
    const eventsTree = byTree.get('events') ?? 0;
    console.log(`  (a) appends the same event rows to a bare table: about the events B-tree's ${eventsTree} pages, ${(distinct.size / Math.max(1, eventsTree)).toFixed(1)}× fewer`);
    console.log(JSON.stringify({ bench: 'pages', events, frames: frames.length, pages: distinct.size, byTree: Object.fromEntries(rows) }));
    return 0;
  } finally {
    removeDatabase(file);
  }
}
