/**
 * A write plan: the rows one transaction writes, decided before any of them is written.
 * Ingest plans a batch by reading only; `executePlan` then writes the plan in one
 * transaction — on the same connection (`ingestBatch`, tests, the CLI) or on the writer
 * thread (the station's LAN path, `write-queue.ts`). Plans carry their own numbers
 * (event seq, batch seq, record ids, relay lane seqs) instead of reading
 * `lastInsertRowid`, so the next plan can be made before this one has committed.
 */
import { appendAudit, type AuditEntry } from '../audit/audit-log.ts';
import type { HeldEventRow, Statements } from './statements.ts';
import type { RecordSlot, Store } from './write-session.ts';

/** The write statements a plan may use (each an INSERT or UPDATE of `Statements`). */
export type WriteStatement =
  | 'insertEvent'
  | 'insertBatch'
  | 'updateBatchSummary'
  | 'insertRecord'
  | 'updateRecord'
  | 'insertConflict'
  | 'updateConflict'
  | 'closeConflict'
  | 'insertCandidate'
  | 'insertOutbox'
  | 'upsertLaneSeq'
  | 'insertQuarantine'
  | 'touchDevice';

/** One write: a statement with its arguments, or an audit entry (chained when written). */
export type WriteOp = readonly [WriteStatement, unknown[]] | readonly ['audit', [AuditEntry]];

/** The next free numbers. A session takes from them; what it takes stays taken. */
export interface Counters {
  eventSeq: number;
  batchSeq: number;
  recordId: number;
  /** Last seq given out per relay lane. */
  lanes: Map<string, number>;
}

/**
 * What a plan reads besides the committed database: the rows of plans that are made but
 * not yet committed. `committedBase` has none; the writer queue's overlay has them.
 */
export interface WriteBase {
  counters(): Counters;
  /** The record as the newest plan in flight left it (a copy the caller may change). */
  pendingSlot(key: string): RecordSlot | undefined;
  /** An event a plan in flight writes. */
  pendingEvent(id: string): HeldEventRow | undefined;
  /** Takes a plan's first rows while the rest is still being decided (the writer starts on them). */
  stream?(ops: WriteOp[]): void;
}

export function readCounters(stmts: Statements): Counters {
  return {
    eventSeq: stmts.maxEventSeq.get()!.n + 1,
    batchSeq: stmts.maxBatchSeq.get()!.n + 1,
    recordId: stmts.maxRecordId.get()!.n + 1,
    lanes: new Map(stmts.laneSeqs.all().map((row) => [row.lane, row.lastSeq])),
  };
}

/** The committed database alone: for a plan written in the same transaction that made it. */
export function committedBase(stmts: Statements): WriteBase {
  let counters: Counters | null = null;
  return {
    counters: () => (counters ??= readCounters(stmts)),
    pendingSlot: () => undefined,
    pendingEvent: () => undefined,
  };
}

/** Writes a plan's rows in order; call inside a transaction. */
export function executePlan(store: Store, ops: readonly WriteOp[]): void {
  const { db, stmts } = store;
  for (const op of ops) {
    if (op[0] === 'audit') appendAudit(db, op[1][0]);
    else stmts[op[0]].run(...op[1]);
  }
}

/** A slot as a record row would give it back, for a later session to start from. */
export function slotSnapshot(slot: RecordSlot): RecordSlot {
  return { ...slot, isNew: false, valueObject: undefined, changeSeq: 0, dirty: false };
}
