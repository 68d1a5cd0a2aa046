/**
 * The checkpoint thread (`write-queue.ts` starts it with the station): its own connection,
 * copying the WAL back into station.db every half second (PASSIVE: it never waits for the
 * writer or a reader, and neither waits for them). Checkpoints were the slowest part of the
 * writer's COMMITs; here they run beside the writer instead of inside it. It is the
 * station's only checkpointer: the station's own connections have wal_autocheckpoint off,
 * so no commit on the main thread copies the WAL either.
 *
 * Tried and not kept: checkpointing only after 2 s without a batch (so that a docking storm
 * has both cores to itself). 3 interleaved pairs of the http bench: 20-tablet p99
 * 2,415 / 1,865 / 1,759 ms against 2,249 / 1,991 / 1,551 ms checkpointing every half
 * second, i.e. no difference, and the WAL grew to the whole storm.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { CheckpointData } from './writer-messages.ts';

const CHECKPOINT_EVERY_MS = 500;

const port = parentPort;
if (port === null) throw new Error('checkpoint-thread.ts runs as a worker thread');
const { file } = workerData as CheckpointData;
const db = new Database(file, { fileMustExist: true });
// Its page cache is of no use to a checkpoint, which copies WAL frames to the file.
db.pragma('cache_size = -1024');
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (err) {
    // An I/O error now may pass; the next turn tries again. The station logs it.
    port.postMessage({ checkpointFailed: err instanceof Error ? err.message : String(err) });
  }
}, CHECKPOINT_EVERY_MS);

port.on('message', () => {
  clearInterval(timer);
  db.close();
  port.close();
});
