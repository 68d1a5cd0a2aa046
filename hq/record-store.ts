/**
 * HQ's per-record-key state in the tenant's `records` table: one row per key holding, as
 * one JSON text (written whole, never queried inside, so PostgreSQL skips the jsonb
 * conversion), the shared engine's state, every supersede edge stations relayed for the
 * key (also those whose other end has not arrived yet) and which stations relayed each
 * item; beside it, for readers, the value (the payload of the item the engine picked, or
 * the merged notes / photos), status and open conflict id. Items' payloads live in
 * `engine_inputs`, written once.
 *
 * Several receiver processes on one PostgreSQL: a transaction that changes keys first
 * locks their rows, all of them in one statement, in sorted key order. Row locks rather
 * than `pg_advisory_xact_lock` per key because a 5,000-item batch can touch thousands of
 * keys, and every advisory lock takes a slot in the server's shared lock table
 * (max_locks_per_transaction × connections; "out of shared memory" when full), while row
 * locks live in the rows themselves. Missing rows are inserted first, also in sorted
 * order, so two batches creating the same new keys wait for each other instead of
 * deadlocking; the sorted `FOR UPDATE` then makes batches touching the same keys (from
 * any station, through any receiver) take turns, while batches on other keys run at once.
 */
import type { SupersedeEdge } from '../src/shared/engine/relayed-item.ts';
import { emptyKeyState } from '../src/shared/engine/key-reducer.ts';
import type { ConflictChange, ConflictState, KeyState } from '../src/shared/engine/types.ts';
import type { EventType } from '../src/shared/events/types.ts';
import { isCollectionType } from '../src/shared/engine/policy.ts';
import type { SqlExecutor } from './db.ts';
import { loadPayloads } from './engine-inputs.ts';
import { itemToTuple, tupleToItem, type ItemTuple } from '../src/shared/engine/item-tuple.ts';

export interface HqKeyState {
  key: string;
  type: EventType;
  wellId: string;
  engine: KeyState;
  edges: SupersedeEdge[];
  /** Payloads of the items added in this transaction (events as received, decisions' values); not stored here. */
  payloads: Map<string, unknown>;
  /** Item id → stations that relayed it (none for HQ's own decisions). */
  stations: Record<string, string[]>;
  /** The record's value: the payload of `shownFrom`, or the merged notes / photos. */
  value: unknown;
  /** The item whose payload `value` is (single-value types); the engine's `valueFrom` once written. */
  shownFrom: string | null;
  isDirty: boolean;
}

/**
 * What `records.state` holds: the engine state with items as positional tuples (less than
 * half the named JSON, and a batch rewrites the state of every key it touches), the edges
 * as tuples, and the stations. The value has a column of its own.
 */
interface StoredState {
  engine: Omit<KeyState, 'items'> & { items: ItemTuple[] };
  edges: [from: string, to: string, byDecision: 0 | 1][];
  stations: Record<string, string[]>;
}

export interface KeyRef {
  key: string;
  type: EventType;
  wellId: string;
}

function parseJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

function decode(ref: KeyRef, state: unknown, value: unknown, valueFrom: unknown): HqKeyState {
  if (state === null || state === undefined) {
    return { ...ref, engine: emptyKeyState(ref.key, ref.type), edges: [], payloads: new Map(), stations: {}, value: null, shownFrom: null, isDirty: false };
  }
  const stored = parseJson<StoredState>(state);
  return {
    ...ref,
    engine: { ...stored.engine, items: stored.engine.items.map(tupleToItem) },
    edges: stored.edges.map(([from, to, byDecision]) => ({ from, to, byDecision: byDecision === 1 })),
    payloads: new Map(),
    stations: stored.stations,
    value: parseJson<unknown>(value ?? null),
    shownFrom: typeof valueFrom === 'string' ? valueFrom : null,
    isDirty: false,
  };
}

function encode(st: HqKeyState): StoredState {
  return { engine: { ...st.engine, items: st.engine.items.map(itemToTuple) }, edges: st.edges.map((e) => [e.from, e.to, e.byDecision ? 1 : 0]), stations: st.stations };
}

/** Creates the missing rows and locks every row of `refs` (see the module comment); returns their states. */
export async function lockRecords(tx: SqlExecutor, s: string, refs: readonly KeyRef[]): Promise<Map<string, HqKeyState>> {
  const unique = new Map(refs.map((ref) => [ref.key, ref]));
  const rows = JSON.stringify([...unique.values()].map((ref) => ({ record_key: ref.key, type: ref.type, well_id: ref.wellId })));
  await tx.query(
    `INSERT INTO ${s}.records (record_key, type, well_id)
     SELECT r.record_key, r.type, r.well_id FROM json_to_recordset($1::json) AS r(record_key text, type text, well_id text)
     ORDER BY r.record_key
     ON CONFLICT (record_key) DO NOTHING`,
    [rows],
  );
  const locked = await tx.query(
    `SELECT record_key, value, value_from, state FROM ${s}.records
     WHERE record_key = ANY (ARRAY(SELECT jsonb_array_elements_text($1::jsonb)))
     ORDER BY record_key FOR UPDATE`,
    [JSON.stringify([...unique.keys()])],
  );
  const states = new Map<string, HqKeyState>();
  for (const row of locked) {
    const ref = unique.get(String(row['record_key']));
    if (ref !== undefined) states.set(ref.key, decode(ref, row['state'], row['value'], row['value_from']));
  }
  return states;
}

/**
 * Single-value records whose engine picked another item than the value shows take that
 * item's payload: from this transaction's items, else from `engine_inputs` (one query for
 * all of them; needed when a value moves back to an older item, e.g. a correction of the
 * highest report).
 */
async function projectValues(tx: SqlExecutor, s: string, states: readonly HqKeyState[]): Promise<void> {
  const moved = states.filter((st) => !isCollectionType(st.type) && st.engine.valueFrom !== st.shownFrom);
  const missing = moved.flatMap((st) => (st.engine.valueFrom === null || st.payloads.has(st.engine.valueFrom) ? [] : [st.engine.valueFrom]));
  const stored = await loadPayloads(tx, s, missing);
  for (const st of moved) {
    const from = st.engine.valueFrom;
    st.value = from === null ? null : (st.payloads.get(from) ?? stored.get(from) ?? null);
    st.shownFrom = from;
  }
}

/** Writes every dirty state back, in one statement (after one lookup of payloads, if any is needed). */
export async function writeRecords(tx: SqlExecutor, s: string, states: Iterable<HqKeyState>): Promise<void> {
  const dirty = [...states].filter((st) => st.isDirty);
  await projectValues(tx, s, dirty);
  const rows = [];
  for (const st of dirty) {
    const e = st.engine;
    rows.push({ record_key: st.key, status: e.status, value: st.value, value_from: e.valueFrom, conflict_id: e.conflict?.id ?? null, version: e.version, state: encode(st) });
  }
  if (rows.length === 0) return;
  await tx.query(
    `UPDATE ${s}.records AS r SET status = u.status, value = u.value, value_from = u.value_from, conflict_id = u.conflict_id, version = u.version, state = u.state, updated_at = now()
     FROM json_to_recordset($1::json) AS u(record_key text, status text, value jsonb, value_from text, conflict_id text, version int, state text)
     WHERE r.record_key = u.record_key`,
    [JSON.stringify(rows)],
  );
}

/** The stations that relayed any of the conflict's candidates, sorted. */
function stationsOf(st: HqKeyState, conflict: ConflictState): string[] {
  return [...new Set(conflict.candidates.flatMap((id) => st.stations[id] ?? []))].sort();
}

/**
 * HQ-level conflicts changed in one transaction, written once each at the end: the last
 * change of each conflict, and the open conflict of every changed key (its candidates'
 * stations may have grown with a resend from another station).
 */
export class ConflictLog {
  readonly #last = new Map<string, { st: HqKeyState; conflict: ConflictState; isOpen: boolean }>();

  record(st: HqKeyState, changes: readonly ConflictChange[]): void {
    for (const { conflict, change } of changes) this.#last.set(conflict.id, { st, conflict, isOpen: change !== 'closed' });
  }

  async write(tx: SqlExecutor, s: string, states: Iterable<HqKeyState>): Promise<void> {
    for (const st of states) if (st.isDirty && st.engine.conflict !== null) this.#last.set(st.engine.conflict.id, { st, conflict: st.engine.conflict, isOpen: true });
    if (this.#last.size === 0) return;
    const rows = [...this.#last.values()].map(({ st, conflict, isOpen }) => ({
      conflict_id: conflict.id,
      record_key: st.key,
      type: st.type,
      well_id: st.wellId,
      status: conflict.status,
      strategy: conflict.strategy,
      reason: conflict.reason,
      winner: conflict.winner,
      candidates: conflict.candidates,
      stations: stationsOf(st, conflict),
      is_open: isOpen,
    }));
    await tx.query(
      `INSERT INTO ${s}.conflicts (conflict_id, record_key, type, well_id, status, strategy, reason, winner, candidates, stations, is_open)
       SELECT c.conflict_id, c.record_key, c.type, c.well_id, c.status, c.strategy, c.reason, c.winner, c.candidates, c.stations, c.is_open
       FROM json_to_recordset($1::json) AS c(conflict_id text, record_key text, type text, well_id text, status text, strategy text, reason text, winner text, candidates jsonb, stations jsonb, is_open boolean)
       ON CONFLICT (conflict_id) DO UPDATE SET status = EXCLUDED.status, strategy = EXCLUDED.strategy, reason = EXCLUDED.reason, winner = EXCLUDED.winner,
         candidates = EXCLUDED.candidates, stations = EXCLUDED.stations, is_open = EXCLUDED.is_open, updated_at = now()`,
      [JSON.stringify(rows)],
    );
  }
}
