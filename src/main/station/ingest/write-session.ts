/**
 * One write plan's working set: the record slots it touched (each written once at the
 * end), the numbers it takes (event and batch seqs, record ids, relay lane seqs), and the
 * persistence of conflict changes. Every write goes to the plan's `ops`, in order. Used
 * by device ingest and by supervisor decisions, so both write the same way.
 */
import type { EventType, ParsedEvent } from '../../../shared/events/types.ts';
import { addNote, addPhoto, type NotesValue, type PhotosValue } from '../../../shared/engine/collection-value.ts';
import { emptyKeyState } from '../../../shared/engine/key-reducer.ts';
import { wellIdOfKey } from '../../../shared/engine/evaluate.ts';
import type { ConflictChange, ConflictState, KeyState } from '../../../shared/engine/types.ts';
import type { Lane } from '../../../shared/protocol/sync.ts';
import type { AuditEntry } from '../audit/audit-log.ts';
import type { StationDb } from '../db/open-database.ts';
import type { HeldKeys } from './held-keys.ts';
import { decodeState, encodeState } from './state-codec.ts';
import type { RecordRow, Statements } from './statements.ts';
import type { Counters, WriteBase, WriteOp, WriteStatement } from './write-plan.ts';

/** Rows handed to `WriteBase.stream` at a time, when it takes them. */
const ROWS_PER_CHUNK = 512;

export interface Store {
  db: StationDb;
  stmts: Statements;
  /** What the station holds, as filters (the station's store has them; tests' may not). */
  held?: HeldKeys;
}

export interface RecordSlot {
  id: number;
  isNew: boolean;
  key: string;
  state: KeyState;
  /** The value as JSON text (single-value types: a payload as received). */
  valueJson: string;
  /** Parsed value, kept for collections while the session lasts. */
  valueObject: unknown;
  changeSeq: number;
  dirty: boolean;
}

/** The conflict as devices and HQ see it (protocol §2 `changes`). */
export function conflictWire(c: ConflictState, recordKey: string): Record<string, unknown> {
  return { conflictId: c.id, recordKey, status: c.status, strategy: c.strategy, reason: c.reason, winner: c.winner, candidates: c.candidates };
}

export class WriteSession {
  readonly #store: Store;
  readonly #base: WriteBase;
  readonly #at: string;
  readonly #counters: Counters;
  readonly #slots = new Map<string, RecordSlot>();
  /** Rows looked up ahead by `prefetch` (null: no record yet). */
  readonly #prefetched = new Map<string, RecordRow | null>();
  readonly #laneDirty = new Set<string>();
  /** The plan: every write of this session, in order (less what `base.stream` took). */
  readonly ops: WriteOp[] = [];

  constructor(store: Store, base: WriteBase, at: string) {
    this.#store = store;
    this.#base = base;
    this.#at = at;
    this.#counters = base.counters();
  }

  get at(): string {
    return this.#at;
  }

  write(statement: WriteStatement, args: unknown[]): void {
    // The id and the key are the second column of these inserts (statements.ts).
    if (statement === 'insertEvent') this.#store.held?.addEvent(args[1] as string);
    else if (statement === 'insertRecord') this.#store.held?.addRecord(args[1] as string);
    this.ops.push([statement, args]);
    if (this.ops.length >= ROWS_PER_CHUNK && this.#base.stream !== undefined) this.#base.stream(this.ops.splice(0));
  }

  audit(entry: AuditEntry): void {
    this.ops.push(['audit', [entry]]);
  }

  nextEventSeq(): number {
    return this.#counters.eventSeq++;
  }

  nextBatchSeq(): number {
    return this.#counters.batchSeq++;
  }

  /** The newest event seq given out: the `changes` cursor once this plan has committed. */
  lastEventSeq(): number {
    return this.#counters.eventSeq - 1;
  }

  /** Looks up the records of many keys in one query; `slot` then needs no query of its own. */
  prefetch(keys: Iterable<string>): void {
    const wanted = [...new Set(keys)].filter((k) => !this.#slots.has(k) && !this.#prefetched.has(k) && this.#base.pendingSlot(k) === undefined);
    if (wanted.length === 0) return;
    for (const k of wanted) this.#prefetched.set(k, null);
    const held = this.#store.held;
    const lookup = held === undefined ? wanted : wanted.filter((k) => held.mayHoldRecord(k));
    if (lookup.length === 0) return;
    for (const row of this.#store.stmts.findRecords.iterate(JSON.stringify(lookup))) this.#prefetched.set(row.key, row);
  }

  slot(key: string, type: EventType): RecordSlot {
    const cached = this.#slots.get(key);
    if (cached !== undefined) return cached;
    const pending = this.#base.pendingSlot(key);
    if (pending !== undefined) {
      this.#slots.set(key, pending);
      return pending;
    }
    const prefetched = this.#prefetched.get(key);
    const row = prefetched === undefined ? this.#store.stmts.findRecord.get(key) : (prefetched ?? undefined);
    this.#prefetched.delete(key);
    const slot: RecordSlot =
      row === undefined
        ? { id: this.#counters.recordId++, isNew: true, key, state: emptyKeyState(key, type), valueJson: 'null', valueObject: undefined, changeSeq: 0, dirty: false }
        : { id: row.id, isNew: false, key, state: decodeState(row.state, key, row.type as EventType), valueJson: row.value, valueObject: undefined, changeSeq: 0, dirty: false };
    this.#slots.set(key, slot);
    return slot;
  }

  nextLaneSeq(lane: Lane): number {
    const seq = (this.#counters.lanes.get(lane) ?? 0) + 1;
    this.#counters.lanes.set(lane, seq);
    this.#laneDirty.add(lane);
    return seq;
  }

  enqueue(lane: Lane, kind: 'event' | 'conflict' | 'decision', eventSeq: number | null, data: string | null): void {
    this.write('insertOutbox', [lane, this.nextLaneSeq(lane), kind, eventSeq, data, this.#at]);
  }

  /** Writes conflict rows for the changes of one step; relays each change of status. */
  persistConflicts(slot: RecordSlot, changes: readonly ConflictChange[], before: ConflictState | null, seq: number): void {
    for (const { conflict: c, change } of changes) {
      const candidates = JSON.stringify(c.candidates);
      let relay = true;
      if (change === 'opened') {
        this.write('insertConflict', [c.id, slot.id, slot.key, slot.state.type, c.status, c.strategy, c.reason, c.winner, candidates, c.distinctValues, this.#at, this.#at, seq]);
      } else if (change === 'updated') {
        this.write('updateConflict', [c.status, c.strategy, c.reason, c.winner, candidates, c.distinctValues, this.#at, seq, c.id]);
        relay = before === null || before.id !== c.id || before.status !== c.status || before.winner !== c.winner;
      } else {
        this.write('closeConflict', [c.status, c.reason, c.winner, this.#at, this.#at, seq, c.id]);
      }
      // Every candidate of a conflict state that was persisted before is already a row.
      const known = before !== null && before.id === c.id ? new Set(before.candidates) : null;
      for (const id of c.candidates) if (known === null || !known.has(id)) this.write('insertCandidate', [c.id, id]);
      if (relay) this.enqueue('critical', 'conflict', null, JSON.stringify({ ...conflictWire(c, slot.key), isOpen: change !== 'closed' }));
    }
  }

  markDirty(slot: RecordSlot, seq: number): void {
    slot.dirty = true;
    slot.changeSeq = seq;
  }

  /** Writes every record slot changed since the last flush; returns them. */
  flush(): RecordSlot[] {
    const written: RecordSlot[] = [];
    for (const slot of this.#slots.values()) {
      if (!slot.dirty) continue;
      const s = slot.state;
      const stateJson = encodeState(s);
      const conflictId = s.conflict?.id ?? null;
      if (slot.isNew) {
        this.write('insertRecord', [slot.id, slot.key, s.type, wellIdOfKey(slot.key), s.version, s.status, slot.valueJson, s.valueFrom, conflictId, stateJson, this.#at, slot.changeSeq]);
        slot.isNew = false;
      } else {
        this.write('updateRecord', [s.version, s.status, slot.valueJson, s.valueFrom, conflictId, stateJson, this.#at, slot.changeSeq, slot.id]);
      }
      slot.dirty = false;
      written.push(slot);
    }
    for (const lane of this.#laneDirty) this.write('upsertLaneSeq', [lane, this.#counters.lanes.get(lane), this.#at]);
    this.#laneDirty.clear();
    return written;
  }
}

/**
 * Moves a slot to the engine's new state and its value along with it: collections add the
 * event's entry; single-value records take the payload of `valueFrom` (the event itself,
 * unchanged, or an older item looked up by id — decisions included).
 */
export function projectValue(slot: RecordSlot, next: KeyState, event: ParsedEvent, payloadJson: string, payloadOf: (itemId: string) => string): void {
  const prevValueFrom = slot.state.valueFrom;
  slot.state = next;
  if (event.type === 'NOTES_ADDED' || event.type === 'PHOTO_ATTACHED') {
    if (slot.valueObject === undefined) slot.valueObject = slot.valueJson === 'null' ? null : JSON.parse(slot.valueJson);
    if (event.type === 'NOTES_ADDED') {
      slot.valueObject = addNote(slot.valueObject as NotesValue | null, event.id, event.operatorId, event.payload);
    } else {
      const takenAt = new Map(next.items.map((it) => [it.id, it.timeMs]));
      slot.valueObject = addPhoto(slot.valueObject as PhotosValue | null, event.id, event.payload, (id) => takenAt.get(id) ?? 0);
    }
    slot.valueJson = JSON.stringify(slot.valueObject);
  } else if (next.valueFrom === event.id) {
    slot.valueJson = payloadJson;
  } else if (next.valueFrom !== prevValueFrom && next.valueFrom !== null) {
    slot.valueJson = payloadOf(next.valueFrom);
  }
}
