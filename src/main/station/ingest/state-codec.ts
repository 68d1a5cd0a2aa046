/**
 * Storage form of the engine's key state (records.state): positional tuples instead of
 * named objects, without the key and type (they are columns of their own). About a third
 * of the named JSON's size, which is most of the records table.
 */
import type { EventType } from '../../../shared/events/types.ts';
import type { ConflictState, KeyState, RecordStatus, Strategy, ConflictStatus } from '../../../shared/engine/types.ts';
import { itemToTuple, tupleToItem, type ItemTuple } from '../../../shared/engine/item-tuple.ts';

type ConflictTuple = [id: string, status: ConflictStatus, strategy: Strategy, reason: string, winner: string | null, candidates: string[], distinctValues: number, openedAtVersion: number];

interface StoredState {
  v: number;
  h: string;
  s: RecordStatus;
  f: string | null;
  c: ConflictTuple | null;
  i: ItemTuple[];
}

function conflictToTuple(c: ConflictState): ConflictTuple {
  return [c.id, c.status, c.strategy, c.reason, c.winner, c.candidates, c.distinctValues, c.openedAtVersion];
}

function tupleToConflict(t: ConflictTuple): ConflictState {
  return { id: t[0], status: t[1], strategy: t[2], reason: t[3], winner: t[4], candidates: t[5], distinctValues: t[6], openedAtVersion: t[7] };
}

export function encodeState(s: KeyState): string {
  const stored: StoredState = { v: s.version, h: s.history, s: s.status, f: s.valueFrom, c: s.conflict === null ? null : conflictToTuple(s.conflict), i: s.items.map(itemToTuple) };
  return JSON.stringify(stored);
}

export function decodeState(json: string, key: string, type: EventType): KeyState {
  const s = JSON.parse(json) as StoredState;
  return { key, type, version: s.v, history: s.h, status: s.s, valueFrom: s.f, conflict: s.c === null ? null : tupleToConflict(s.c), items: s.i.map(tupleToItem) };
}
