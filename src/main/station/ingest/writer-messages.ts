/** What the station and its threads say to each other (`write-queue.ts`, `writer-thread.ts`, `checkpoint-thread.ts`). */
import type { WriteOp } from './write-plan.ts';

export interface WriterData {
  file: string;
  /** Int32 flags shared with the station, indexed by SHARED_*. */
  shared: SharedArrayBuffer;
}

export interface CheckpointData {
  file: string;
}

/** Flag: the number of the newest plan the writer has finished (written or failed). */
export const SHARED_DONE = 0;
/** Flag: 1 + the newest epoch in which a plan failed (0: none). */
export const SHARED_FAILED_EPOCH = 1;
export const SHARED_FLAGS = 2;

/**
 * A plan's rows come as `rows` chunks (while the main thread still plans the batch) and a
 * last `commit`; `abort` drops a plan that could not be planned to the end.
 */
export type WriterRequest =
  | { kind: 'rows' | 'commit'; no: number; epoch: number; ops: PackedOps }
  | { kind: 'abort'; no: number }
  | { kind: 'close' };

/** One per plan, in order. `error` null: committed. */
export interface WriterReply {
  no: number;
  error: string | null;
}

/**
 * Ops flattened into one array (name, argument count, arguments, name, …): a message of
 * plain values copies in a fraction of the time an array of small arrays takes, and the
 * copy is made on the main thread, which decides the batches.
 */
export type PackedOps = unknown[];

export function packOps(ops: readonly WriteOp[]): PackedOps {
  const packed: unknown[] = [];
  for (const [name, args] of ops) {
    packed.push(name, args.length);
    for (const arg of args) packed.push(arg);
  }
  return packed;
}

export function unpackOps(packed: PackedOps): WriteOp[] {
  const ops: WriteOp[] = [];
  for (let i = 0; i < packed.length; ) {
    const name = packed[i] as WriteOp[0];
    const count = packed[i + 1] as number;
    ops.push([name, packed.slice(i + 2, i + 2 + count)] as WriteOp);
    i += 2 + count;
  }
  return ops;
}
