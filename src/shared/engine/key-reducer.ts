/**
 * The per-key reducer. Each accepted input (a device's event or a supervisor's decision)
 * raises the key's version by one and is resolved here, once, to the item ids it
 * supersedes (protocol §1, "Concurrency"). Everything else — status, value, the open
 * conflict — is re-derived from the live set, so any arrival order of the same events
 * ends in the same record. Pure: no clock, no ids, no I/O.
 */
import type { EventType } from '../events/types.ts';
import { byTimeThenId, evaluateLive, liveItems } from './evaluate.ts';
import { isCollectionType } from './policy.ts';
import { describeClosedReview, describeCollection, describeResolution } from './reasons.ts';
import type {
  ConflictChange,
  ConflictState,
  EngineDecision,
  EngineEvent,
  EngineSettings,
  EventResult,
  EventStepOutput,
  KeyItem,
  KeyState,
  StepOutput,
} from './types.ts';

export function emptyKeyState(key: string, type: EventType): KeyState {
  return { key, type, version: 0, history: '', items: [], status: 'OK', valueFrom: null, conflict: null };
}

/** Deterministic conflict id: the item that opened it (ids are globally unique). */
export function conflictIdFor(openerId: string): string {
  return `cf-${openerId}`;
}

/** An event as an item of a key's state. */
export function itemOf(ev: EngineEvent, sawReview: boolean, supersedes: number[], ownSupersedes: number[]): KeyItem {
  return {
    id: ev.id,
    kind: 'event',
    device: ev.device,
    operatorId: ev.operatorId,
    occurredMs: ev.occurredMs,
    timeMs: ev.timeMs,
    content: ev.content,
    nums: ev.nums,
    label: ev.label,
    skewMs: ev.skewMs,
    sawReview,
    supersedes,
    ownSupersedes,
  };
}

/** A baseVersion above the current version is treated as absent (protocol §1). */
function effectiveBaseVersion(state: KeyState, baseVersion: number | null): number {
  return baseVersion !== null && baseVersion <= state.version ? baseVersion : 0;
}

/**
 * Applies one event to its key. `state` is not mutated.
 */
export function applyEvent(prev: KeyState, ev: EngineEvent, settings: EngineSettings): EventStepOutput {
  return isCollectionType(prev.type) ? applyCollectionEvent(prev, ev) : applySingleValueEvent(prev, ev, settings);
}

function applySingleValueEvent(prev: KeyState, ev: EngineEvent, settings: EngineSettings): EventStepOutput {
  const base = effectiveBaseVersion(prev, ev.baseVersion);
  const sawReview = base > 0 && prev.history[base - 1] === 'D';
  const supersedes: number[] = [];
  const ownSupersedes: number[] = [];
  if (!sawReview) {
    // (a) everything the author saw: the key's first `base` items.
    for (let v = 1; v <= base; v++) supersedes.push(v);
    // (b) the device's own earlier edits; device order is (occurredAt, arrival).
    prev.items.forEach((it, i) => {
      if (it.kind === 'event' && it.device === ev.device && it.occurredMs <= ev.occurredMs && i + 1 > base) ownSupersedes.push(i + 1);
    });
  }
  // Held edits of the same device that are newer in its own order supersede this late
  // arrival — unless their author had seen a review (they supersede nothing), or this
  // event's author had already seen them (knowledge beats a clock that ran backwards).
  const newerOwn = prev.items.filter(
    (it, i) => it.kind === 'event' && it.device === ev.device && !it.sawReview && it.occurredMs > ev.occurredMs && i + 1 > base,
  );
  const item = itemOf(ev, sawReview, supersedes, ownSupersedes);
  const items = [...prev.items, item];
  const version = prev.version + 1;
  // The newer held edit records that it supersedes this late arrival.
  const patchedItems = newerOwn.length === 0 ? items : items.map((it) => (newerOwn.includes(it) ? { ...it, ownSupersedes: [...it.ownSupersedes, version] } : it));
  const { state, conflictChanges, live } = settle(prev, patchedItems, version, settings, ev.id);
  const arrivedSuperseded = newerOwn.length > 0;
  const conflict = state.conflict;
  let result: EventResult;
  if (arrivedSuperseded) {
    result = { status: 'SUPERSEDED', version };
  } else if (conflict !== null) {
    result = {
      status: 'CONFLICT',
      version,
      conflictId: conflict.id,
      strategy: conflict.strategy,
      outcome: conflict.status === 'PENDING_REVIEW' ? 'MANUAL_REVIEW' : conflict.winner === ev.id ? 'UPDATE_SERVER' : 'KEEP_SERVER',
      reason: conflict.reason,
    };
  } else {
    const repeats = live.some((it) => it.id !== ev.id && it.content === ev.content);
    result = { status: repeats ? 'CONFIRMED' : 'APPLIED', version };
  }
  return {
    state,
    conflictChanges,
    result,
    supersedes: [...supersedes, ...ownSupersedes].map((v) => patchedItems[v - 1]?.id ?? ''),
    supersededBy: newerOwn.map((it) => it.id),
  };
}

/**
 * Re-derives status, value and the open conflict from the live set after a change,
 * and records what happened to the conflict. Exported for HQ's relayed items
 * (relayed-item.ts), whose supersede edges come resolved from the stations.
 */
export function settle(
  prev: KeyState,
  items: KeyItem[],
  version: number,
  settings: EngineSettings,
  newItemId: string,
): { state: KeyState; conflictChanges: ConflictChange[]; live: KeyItem[] } {
  const live = liveItems(items);
  const ev = evaluateLive(prev.type, prev.key, live, settings);
  const changes: ConflictChange[] = [];
  let conflict: ConflictState | null = null;
  const previous = prev.conflict;
  if (ev.distinctValues > 1) {
    const status = ev.pending ? 'PENDING_REVIEW' : 'AUTO_RESOLVED';
    conflict = {
      id: previous?.id ?? conflictIdFor(newItemId),
      status,
      strategy: ev.strategy,
      reason: ev.reason,
      winner: ev.winner,
      candidates: ev.candidates.map((it) => it.id),
      distinctValues: ev.distinctValues,
      openedAtVersion: previous?.openedAtVersion ?? version,
    };
    changes.push({ conflict, change: previous === null ? 'opened' : 'updated' });
  } else if (previous !== null) {
    const previousIds = new Set(previous.candidates);
    const replacements = live.filter((it) => !previousIds.has(it.id));
    changes.push({
      conflict: {
        ...previous,
        status: previous.status === 'PENDING_REVIEW' ? 'AUTO_RESOLVED' : previous.status,
        reason: describeClosedReview(replacements, live),
      },
      change: 'closed',
    });
  }
  const state: KeyState = {
    ...prev,
    version,
    history: prev.history + (ev.status === 'DISPUTED' ? 'D' : 'O'),
    items,
    status: ev.status,
    valueFrom: ev.valueFrom,
    conflict,
  };
  return { state, conflictChanges: changes, live };
}

function applyCollectionEvent(prev: KeyState, ev: EngineEvent): EventStepOutput {
  const strategy = prev.type === 'NOTES_ADDED' ? 'MERGE' : 'KEEP_BOTH';
  const base = effectiveBaseVersion(prev, ev.baseVersion);
  const version = prev.version + 1;
  const item = itemOf(ev, false, [], []);
  const items = [...prev.items, item];
  const heldPhoto = prev.type === 'PHOTO_ATTACHED' && prev.items.some((it) => it.content === ev.content);
  // Concurrent: the device had not seen the newest entry from another device.
  const concurrent = prev.items.some((it, i) => i + 1 > base && it.device !== ev.device);
  const changes: ConflictChange[] = [];
  let conflict = prev.conflict;
  const sorted = [...items].sort(byTimeThenId);
  if (conflict !== null) {
    conflict = { ...conflict, candidates: sorted.map((it) => it.id), distinctValues: distinctOf(items), reason: describeCollection(strategy, items) };
    changes.push({ conflict, change: 'updated' });
  } else if (concurrent && !heldPhoto) {
    conflict = {
      id: conflictIdFor(ev.id),
      status: 'AUTO_RESOLVED',
      strategy,
      reason: describeCollection(strategy, items),
      winner: null,
      candidates: sorted.map((it) => it.id),
      distinctValues: distinctOf(items),
      openedAtVersion: version,
    };
    changes.push({ conflict, change: 'opened' });
  }
  let result: EventResult;
  if (heldPhoto) result = { status: 'CONFIRMED', version };
  else if (concurrent && conflict !== null)
    result = { status: 'CONFLICT', version, conflictId: conflict.id, strategy, outcome: strategy, reason: conflict.reason };
  else result = { status: 'APPLIED', version };
  const state: KeyState = { ...prev, version, history: `${prev.history}O`, items, status: 'OK', valueFrom: null, conflict };
  return { state, conflictChanges: changes, result, supersedes: [], supersededBy: [] };
}

function distinctOf(items: readonly KeyItem[]): number {
  return new Set(items.map((it) => (it.content === '' ? it.id : it.content))).size;
}

export type DecisionError =
  | { code: 'CONFLICT_NOT_OPEN'; message: string }
  | { code: 'NOT_A_CANDIDATE'; message: string }
  | { code: 'NOT_DECIDABLE'; message: string };

export type DecisionStepOutput = ({ ok: true } & StepOutput) | { ok: false; error: DecisionError };

/**
 * A supervisor's decision on the key's open conflict: an item of its own that supersedes
 * every candidate it decided. The conflict closes as RESOLVED.
 */
export function applyDecision(prev: KeyState, decision: EngineDecision, settings: EngineSettings): DecisionStepOutput {
  const open = prev.conflict;
  if (isCollectionType(prev.type)) {
    return { ok: false, error: { code: 'NOT_DECIDABLE', message: 'Notes and photos are merged, never chosen between: there is nothing to decide.' } };
  }
  if (open === null || open.id !== decision.conflictId) {
    return { ok: false, error: { code: 'CONFLICT_NOT_OPEN', message: `Conflict ${decision.conflictId} is not open on ${prev.key} any more; reload it to see what changed.` } };
  }
  const versions = open.candidates.map((id) => prev.items.findIndex((it) => it.id === id) + 1);
  const chosen = decision.chosen === null ? null : (prev.items.find((it) => it.id === decision.chosen) ?? null);
  if (decision.chosen !== null && (chosen === null || !open.candidates.includes(decision.chosen))) {
    return { ok: false, error: { code: 'NOT_A_CANDIDATE', message: `${decision.chosen} is not a candidate of conflict ${open.id}; choose one of ${open.candidates.join(', ')}.` } };
  }
  const item: KeyItem = {
    id: decision.id,
    kind: 'decision',
    device: null,
    operatorId: decision.decidedBy,
    occurredMs: 0,
    timeMs: decision.timeMs,
    content: decision.content,
    nums: decision.nums,
    label: decision.label,
    skewMs: 0,
    sawReview: false,
    supersedes: versions,
    ownSupersedes: [],
  };
  const version = prev.version + 1;
  const items = [...prev.items, item];
  const { state, conflictChanges } = settle({ ...prev, conflict: null }, items, version, settings, decision.id);
  const resolved: ConflictState = { ...open, status: 'RESOLVED', winner: decision.chosen, reason: describeResolution(chosen, item, decision.comment) };
  return {
    ok: true,
    state,
    conflictChanges: [{ conflict: resolved, change: 'closed' }, ...conflictChanges],
    supersedes: open.candidates,
    supersededBy: [],
  };
}
