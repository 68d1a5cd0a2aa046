/**
 * The writer thread (`write-queue.ts` starts it): its own connection to station.db, and
 * the only code that writes device batches. A plan's rows arrive in chunks while the main
 * thread is still deciding the rest of the batch; the first chunk opens the plan's
 * transaction, `commit` ends it, and the answer goes back after COMMIT. A plan that fails
 * fails every plan of its epoch after it, unwritten: they were decided against the state
 * it would have left.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { applyPragmas } from '../db/open-database.ts';
import { prepareStatements } from './statements.ts';
import { executePlan } from './write-plan.ts';
import { unpackOps, SHARED_DONE, SHARED_FAILED_EPOCH, type WriterData, type WriterReply, type WriterRequest } from './writer-messages.ts';

const port = parentPort;
if (port === null) throw new Error('writer-thread.ts runs as a worker thread');
const { file, shared } = workerData as WriterData;
const flags = new Int32Array(shared);
const db = new Database(file, { fileMustExist: true });
applyPragmas(db);
// Checkpoints are the checkpoint thread's (checkpoint-thread.ts), never inside a batch's
// COMMIT. Once checkpointed, the WAL restarts from its beginning and is cut back to 64 MiB.
db.pragma('wal_autocheckpoint = 0');
db.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
// 8 MiB of page cache (the station's single connection had 32): the pages a batch dirties
// beyond it are written to the WAL early, the rest is random index pages the OS keeps warm
// anyway. 8, 16 and 32 MiB measured the same; the station's peak RSS has three
// connections and three threads to hold (http bench, 3 runs each: 271–295 MB with 8 MiB
// here and 2 MiB on the main connection, 288–301 MB with 16 and 8).
db.pragma('cache_size = -8192');
const store = { db, stmts: prepareStatements(db) };
const begin = db.prepare('BEGIN IMMEDIATE');
const commit = db.prepare('COMMIT');
const rollback = db.prepare('ROLLBACK');
/** The newest epoch that had a plan fail; plans of it or older are not written. */
let failedEpoch = -1;
/** The plan being written: its number, epoch, and why it failed (null: so far so good). */
let current: { no: number; epoch: number; failed: string | null } | null = null;

function fail(plan: { epoch: number; failed: string | null }, err: unknown): void {
  plan.failed = err instanceof Error ? err.message : String(err);
  failedEpoch = Math.max(failedEpoch, plan.epoch);
  Atomics.store(flags, SHARED_FAILED_EPOCH, failedEpoch + 1);
  if (db.inTransaction) rollback.run();
}

function open(no: number, epoch: number): { no: number; epoch: number; failed: string | null } {
  if (current !== null && current.no === no) return current;
  const plan = { no, epoch, failed: epoch <= failedEpoch ? 'an earlier batch failed to be written, and this one was decided after it' : null };
  current = plan;
  if (plan.failed === null) {
    try {
      begin.run();
    } catch (err) {
      fail(plan, err);
    }
  }
  return plan;
}

function finish(no: number, error: string | null): void {
  current = null;
  Atomics.store(flags, SHARED_DONE, no);
  Atomics.notify(flags, SHARED_DONE);
  port!.postMessage({ no, error } satisfies WriterReply);
}

port.on('message', (msg: WriterRequest) => {
  switch (msg.kind) {
    case 'close':
      if (db.inTransaction) rollback.run();
      db.close();
      port.close();
      return;
    case 'abort':
      if (current?.no === msg.no && db.inTransaction) rollback.run();
      finish(msg.no, 'the batch was not planned to the end');
      return;
    case 'rows':
    case 'commit': {
      const plan = open(msg.no, msg.epoch);
      if (plan.failed === null) {
        try {
          executePlan(store, unpackOps(msg.ops));
          if (msg.kind === 'commit') commit.run();
        } catch (err) {
          fail(plan, err);
        }
      }
      if (msg.kind === 'rows') return;
      finish(msg.no, plan.failed);
    }
  }
});
