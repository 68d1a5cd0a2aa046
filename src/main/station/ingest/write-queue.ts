/**
 * The station's write path for device batches (ADR 0009): the main thread decides batch
 * N+1 while the writer thread (`writer-thread.ts`) is still writing batch N, so the
 * JavaScript of one batch and the SQL of another run on the machine's two cores at once.
 *
 * - A plan is decided against the committed database plus the **overlay**: the records,
 *   events and numbers of plans sent but not yet committed. An overlay entry goes when
 *   the plan that wrote it last has committed.
 * - A batch is answered only after its plan commits (protocol §2).
 * - A plan that fails fails the plans of its epoch sent after it, unwritten (they were
 *   decided against its state); the next plan starts a new epoch from the committed
 *   database. Each of those requests gets a 500 that says nothing was stored, and the
 *   tablet's resend is idempotent by event id.
 * - Every other write on the main connection first waits, synchronously, until the writer
 *   has finished every plan sent (`drain`, installed by `guardWrites`), so a supervisor
 *   decision or an HQ update sees the records exactly as the engine does and the numbers
 *   plans take are never taken twice.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import type { SyncRequest, SyncResponse } from '../../../shared/protocol/sync.ts';
import type { StationDb } from '../db/open-database.ts';
import { planBatch, type BatchPlan, type IngestContext } from './ingest-batch.ts';
import type { HeldEventRow } from './statements.ts';
import { readCounters, slotSnapshot, type Counters, type WriteBase, type WriteOp } from './write-plan.ts';
import type { RecordSlot, Store } from './write-session.ts';
import { packOps, SHARED_DONE, SHARED_FAILED_EPOCH, SHARED_FLAGS, type CheckpointData, type WriterData, type WriterReply, type WriterRequest } from './writer-messages.ts';

/** How long a write on the main connection waits for the writer before it gives up. */
const DRAIN_TIMEOUT_MS = 60_000;

export class WriterFailedError extends Error {}

interface Waiting {
  resolve: () => void;
  reject: (err: Error) => void;
}

interface Entry<T> {
  value: T;
  /** The newest plan that wrote it. */
  plan: number;
}

export interface WriteQueueOptions {
  file: string;
  store: Store;
  onWriterError: (err: Error) => void;
}

/**
 * How to start one of the station's threads (`writer-thread`, `checkpoint-thread`): the
 * built bundle's .js, or (running from the sources) the .ts through tsx's require hook
 * (Node 20 does not apply ESM loader hooks, `--import tsx` included, to a worker's modules).
 */
function startThread(name: string, workerData: unknown, options: WorkerOptions = {}): Worker {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) {
    const tsx = createRequire(import.meta.url).resolve('tsx/cjs/api');
    const source = join(dirname(here), `${name}.ts`);
    return new Worker(`require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(source)});`, { ...options, eval: true, workerData });
  }
  for (const dir of [dirname(here), join(dirname(here), '..')]) {
    const built = join(dir, `${name}.js`);
    if (existsSync(built)) return new Worker(built, { ...options, workerData });
  }
  throw new Error(`cannot find ${name}.js next to ${here}: run npm run build`);
}

/** An error from a thread, with its message: errors of native addons cross threads as bare objects. */
function threadError(what: string, err: unknown): Error {
  const { message, code } = (typeof err === 'object' && err !== null ? err : {}) as { message?: unknown; code?: unknown };
  const why = typeof message === 'string' && message !== '' ? message : typeof code === 'string' ? code : String(err);
  return new Error(`${what}: ${why}`);
}

export class WriteQueue implements WriteBase {
  readonly #options: WriteQueueOptions;
  readonly #shared = new SharedArrayBuffer(SHARED_FLAGS * Int32Array.BYTES_PER_ELEMENT);
  readonly #flags = new Int32Array(this.#shared);
  /** Started with the first plan. */
  #worker: Worker | null = null;
  #checkpointer: Worker | null = null;
  #epoch = 0;
  /** The newest plan sent to the writer, and the newest known to be finished. */
  #sent = 0;
  #finished = 0;
  #closed = false;
  readonly #waiting = new Map<number, Waiting>();
  readonly #slots = new Map<string, Entry<RecordSlot>>();
  readonly #events = new Map<string, Entry<HeldEventRow>>();
  readonly #written = new Map<number, { keys: string[]; ids: string[] }>();
  #counters: Counters | null = null;
  /** `ingest` calls not yet answered, and what `close` waits on for them to be. */
  #active = 0;
  #onIdle: (() => void) | null = null;
  /** The plan being made, whose rows `stream` sends ahead. */
  #streaming: { no: number; epoch: number } | null = null;

  constructor(options: WriteQueueOptions) {
    this.#options = options;
  }

  /** Plans a batch now, writes it on the writer thread, resolves after COMMIT. */
  ingest(batch: SyncRequest, ctx: IngestContext): Promise<SyncResponse> {
    if (this.#closed) return Promise.reject(new WriterFailedError('The station is shutting down; nothing was stored from this batch.'));
    this.#active++;
    // Planned now; only the answer and its wait are held while the writer writes, not the
    // batch's parsed events (not async for that reason: an async frame would keep `batch`).
    let sent: { done: Promise<void>; response: SyncResponse };
    try {
      sent = this.#plan(batch, ctx);
    } catch (err) {
      this.#leave();
      return Promise.reject(err as Error);
    }
    return this.#answer(sent);
  }

  async #answer(sent: { done: Promise<void>; response: SyncResponse }): Promise<SyncResponse> {
    try {
      await sent.done;
      return sent.response;
    } finally {
      this.#leave();
    }
  }

  #leave(): void {
    this.#active--;
    if (this.#active === 0) this.#onIdle?.();
  }

  #plan(batch: SyncRequest, ctx: IngestContext): { done: Promise<void>; response: SyncResponse } {
    this.#settle();
    if (this.#finished === this.#sent) this.#dropOverlay();
    const counters = this.counters();
    const before = { ...counters, lanes: new Map(counters.lanes) };
    const no = ++this.#sent;
    const epoch = this.#epoch;
    // Waiting from the start: if the writer cannot be reached while the rows stream, the
    // batch fails with everything else in flight.
    const done = new Promise<void>((resolve, reject) => this.#waiting.set(no, { resolve, reject }));
    done.catch(() => undefined); // awaited below, or the batch was refused before
    this.#streaming = { no, epoch };
    let plan: BatchPlan;
    try {
      plan = planBatch(this.#options.store, this, batch, ctx);
    } catch (err) {
      // Its rows sent so far are dropped, and the numbers it took are free again.
      this.#waiting.delete(no);
      this.#post({ kind: 'abort', no });
      Object.assign(counters, before);
      throw err;
    } finally {
      this.#streaming = null;
    }
    // The writer went away while the rows streamed: some of them may be lost with it, so
    // the plan must not be committed (its wait was failed with the others).
    if (epoch === this.#epoch) {
      for (const slot of plan.slots) this.#slots.set(slot.key, { value: slotSnapshot(slot), plan: no });
      for (const row of plan.events) this.#events.set(row.id, { value: row, plan: no });
      this.#written.set(no, { keys: plan.slots.map((s) => s.key), ids: plan.events.map((e) => e.id) });
      this.#post({ kind: 'commit', no, epoch, ops: packOps(plan.ops) });
    }
    return { done, response: plan.response };
  }

  /** Starts the checkpoint thread (the writer starts with the first batch). */
  start(): void {
    if (!this.#closed) this.#checkpointer ??= this.#startCheckpointer();
  }

  /** Blocks until the writer has finished every plan sent; then the main connection may write. */
  drain(): void {
    if (this.#finished === this.#sent) return;
    const deadline = Date.now() + DRAIN_TIMEOUT_MS;
    for (;;) {
      const done = Atomics.load(this.#flags, SHARED_DONE);
      if (done >= this.#sent) break;
      if (Date.now() > deadline) throw new WriterFailedError(`The writer thread did not finish its batches within ${DRAIN_TIMEOUT_MS / 1000} s.`);
      Atomics.wait(this.#flags, SHARED_DONE, done, 1000);
    }
    this.#finished = this.#sent;
    this.#settle();
    this.#dropOverlay();
  }

  /** Refuses new batches, waits for every batch already taken, then stops the threads. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#active > 0) await new Promise<void>((resolve) => (this.#onIdle = resolve));
    await Promise.all(
      [this.#worker, this.#checkpointer].map(async (thread) => {
        if (thread === null) return;
        const exited = new Promise<void>((resolve) => thread.once('exit', () => resolve()));
        // The checkpoint thread does not keep the process alive; its ending must, until it is seen.
        thread.ref();
        thread.postMessage({ kind: 'close' } satisfies WriterRequest);
        await exited;
      }),
    );
  }

  counters(): Counters {
    return (this.#counters ??= readCounters(this.#options.store.stmts));
  }

  pendingSlot(key: string): RecordSlot | undefined {
    const entry = this.#slots.get(key);
    return entry === undefined ? undefined : { ...entry.value };
  }

  pendingEvent(id: string): HeldEventRow | undefined {
    return this.#events.get(id)?.value;
  }

  stream(ops: WriteOp[]): void {
    const s = this.#streaming!;
    if (s.epoch === this.#epoch) this.#post({ kind: 'rows', no: s.no, epoch: s.epoch, ops: packOps(ops) });
  }

  #start(): Worker {
    const data: WriterData = { file: this.#options.file, shared: this.#shared };
    // A small young generation: plans are garbage once written, and the default (up to 48 MB)
    // only adds to the station's resident memory.
    const worker = startThread('writer-thread', data, { resourceLimits: { maxYoungGenerationSizeMb: 8 } });
    worker.on('message', (reply: WriterReply) => this.#onReply(reply));
    worker.on('error', (err) => this.#options.onWriterError(threadError('the writer thread failed', err)));
    worker.on('exit', (code) => {
      this.#worker = null;
      if (this.#closed && this.#waiting.size === 0) return;
      // Whatever it had not answered is not known to be written: fail it; the next batch
      // starts a new writer.
      this.#options.onWriterError(new Error(`the writer thread stopped (exit code ${code})`));
      this.#failWaiting('The writer thread stopped before this batch was known to be stored; send it again.');
    });
    return worker;
  }

  #startCheckpointer(): Worker {
    const thread = startThread('checkpoint-thread', { file: this.#options.file } satisfies CheckpointData, { resourceLimits: { maxYoungGenerationSizeMb: 2 } });
    thread.on('error', (err) => this.#options.onWriterError(threadError('the checkpoint thread failed', err)));
    thread.on('message', (msg: { checkpointFailed: string }) => this.#options.onWriterError(new Error(`checkpoint failed: ${msg.checkpointFailed}`)));
    thread.on('exit', () => {
      if (!this.#closed) this.#checkpointer = null;
    });
    // Checkpoints alone do not keep a process alive.
    thread.unref();
    return thread;
  }

  /** Sends to the writer (started on first use); if it cannot be reached, everything in flight fails. */
  #post(msg: WriterRequest): void {
    try {
      this.#worker ??= this.#start();
      this.#checkpointer ??= this.#startCheckpointer();
      this.#worker.postMessage(msg);
    } catch (err) {
      this.#options.onWriterError(err instanceof Error ? err : new Error(String(err)));
      this.#failWaiting('The station could not reach its writer thread; nothing was stored from this batch.');
    }
  }

  #onReply(reply: WriterReply): void {
    if (reply.no > this.#finished) this.#finished = reply.no;
    const written = this.#written.get(reply.no);
    if (written !== undefined) {
      this.#written.delete(reply.no);
      for (const key of written.keys) if (this.#slots.get(key)?.plan === reply.no) this.#slots.delete(key);
      for (const id of written.ids) if (this.#events.get(id)?.plan === reply.no) this.#events.delete(id);
    }
    this.#settle();
    const waiting = this.#waiting.get(reply.no);
    this.#waiting.delete(reply.no);
    if (reply.error === null) waiting?.resolve();
    else waiting?.reject(new WriterFailedError(`The batch could not be stored: ${reply.error}. Nothing from it was kept.`));
  }

  /** After a plan failed, the next plan starts a new epoch from the committed database. */
  #settle(): void {
    const failedEpoch = Atomics.load(this.#flags, SHARED_FAILED_EPOCH) - 1;
    if (failedEpoch >= this.#epoch) {
      this.#epoch = failedEpoch + 1;
      this.#dropOverlay();
      // The failure may be a row the filters did not know of (another program's insert).
      this.#options.store.held?.reload();
    }
  }

  #dropOverlay(): void {
    this.#slots.clear();
    this.#events.clear();
    this.#written.clear();
    this.#counters = null;
  }

  #failWaiting(message: string): void {
    const waiting = [...this.#waiting.values()];
    this.#waiting.clear();
    this.#finished = this.#sent;
    this.#epoch++;
    this.#dropOverlay();
    for (const w of waiting) w.reject(new WriterFailedError(message));
  }
}

/**
 * Makes every write on `db` (a statement that is not read-only, `exec`, a transaction)
 * first call `beforeWrite`. Install before anything is prepared on the connection.
 */
export function guardWrites(db: StationDb, beforeWrite: () => void): void {
  const prepare = db.prepare.bind(db);
  const exec = db.exec.bind(db);
  const transaction = db.transaction.bind(db);
  db.prepare = ((source: string) => {
    const stmt = prepare(source);
    if (stmt.readonly) return stmt;
    for (const method of ['run', 'get', 'all', 'iterate'] as const) {
      const original = stmt[method].bind(stmt) as (...args: unknown[]) => unknown;
      (stmt as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
        beforeWrite();
        return original(...args);
      };
    }
    return stmt;
  }) as StationDb['prepare'];
  db.exec = (source: string) => {
    beforeWrite();
    return exec(source);
  };
  db.transaction = ((fn: (...args: unknown[]) => unknown) => {
    const tx = transaction(fn);
    const guard =
      (mode: 'default' | 'deferred' | 'immediate' | 'exclusive') =>
      (...args: unknown[]): unknown => {
        beforeWrite();
        return tx[mode](...args);
      };
    return Object.assign(guard('default'), { default: guard('default'), deferred: guard('deferred'), immediate: guard('immediate'), exclusive: guard('exclusive') });
  }) as unknown as StationDb['transaction'];
}
