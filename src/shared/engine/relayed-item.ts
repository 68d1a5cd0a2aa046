/**
 * HQ's way into the engine (protocol §1 "Concurrency", §5). A station resolves what each
 * event supersedes (its `baseVersion`, its device's own order) to event ids at ingest and
 * relays them as `supersedes` / `supersededBy`; a decision relays the candidates it
 * decided. HQ has no station versions, so it applies those edges instead of re-deriving
 * them. The caller keeps every edge it was ever told for the key, also those whose other
 * end has not arrived yet (they take effect when it does), so the live set, and with it
 * the record and its open conflict, is a function of the set of items and edges: the
 * same whatever order stations relay them in. Single-value types only; collections
 * supersede nothing and go through `applyEvent`.
 */
import { itemOf, settle } from './key-reducer.ts';
import { isCollectionType } from './policy.ts';
import type { ConflictChange, EngineDecision, EngineEvent, EngineSettings, KeyItem, KeyState } from './types.ts';

/** `from` supersedes `to` (item ids). */
export interface SupersedeEdge {
  from: string;
  to: string;
  /**
   * A decision's edge is knowledge that always counts. A station's event edge mixes
   * knowledge and device order (the wire does not tell them apart), so it is kept with
   * device order: should clocks that ran backwards across stations leave nothing live,
   * the engine falls back to the decisions' edges alone (`liveItems`).
   */
  byDecision: boolean;
}

export interface RelayedStep {
  state: KeyState;
  conflictChanges: ConflictChange[];
}

function eventItem(ev: EngineEvent): KeyItem {
  return itemOf(ev, false, [], []);
}

function decisionItem(d: EngineDecision): KeyItem {
  return {
    id: d.id,
    kind: 'decision',
    device: null,
    operatorId: d.decidedBy,
    occurredMs: 0,
    timeMs: d.timeMs,
    content: d.content,
    nums: d.nums,
    label: d.label,
    skewMs: 0,
    sawReview: false,
    supersedes: [],
    ownSupersedes: [],
  };
}

/** The items with their supersede positions re-derived from `edges` (ends not held are skipped). */
function wire(items: readonly KeyItem[], edges: readonly SupersedeEdge[]): KeyItem[] {
  const position = new Map(items.map((it, i) => [it.id, i + 1]));
  const knowledge = new Map<string, Set<number>>();
  const deviceOrder = new Map<string, Set<number>>();
  for (const edge of edges) {
    const to = position.get(edge.to);
    if (to === undefined || !position.has(edge.from) || edge.from === edge.to) continue;
    const into = edge.byDecision ? knowledge : deviceOrder;
    const set = into.get(edge.from) ?? new Set<number>();
    set.add(to);
    into.set(edge.from, set);
  }
  const sorted = (set: Set<number> | undefined): number[] => (set === undefined ? [] : [...set].sort((a, b) => a - b));
  return items.map((it) => ({ ...it, supersedes: sorted(knowledge.get(it.id)), ownSupersedes: sorted(deviceOrder.get(it.id)) }));
}

function step(prev: KeyState, item: KeyItem | null, edges: readonly SupersedeEdge[], settings: EngineSettings): RelayedStep {
  if (isCollectionType(prev.type)) throw new TypeError(`${prev.key}: notes and photos supersede nothing; apply them with applyEvent`);
  const appended = item === null ? prev.items : [...prev.items, item];
  // No edges at all (the common case: nobody corrected anything): nothing to wire.
  const items = edges.length === 0 ? appended : wire(appended, edges);
  const newest = item?.id ?? items[items.length - 1]?.id ?? prev.key;
  const { state, conflictChanges } = settle(prev, items, prev.version + 1, settings, newest);
  return { state, conflictChanges };
}

/** A station's event, with every edge known for its key (including its own `supersedes` and `supersededBy`). */
export function applyRelayedEvent(prev: KeyState, ev: EngineEvent, edges: readonly SupersedeEdge[], settings: EngineSettings): RelayedStep {
  return step(prev, eventItem(ev), edges, settings);
}

/**
 * A decision that supersedes only the items its edges name. Unlike `applyDecision` it
 * does not close the open conflict by itself: live items it does not name stay
 * candidates, and any that differs from it keeps the record under review (a decision is
 * never overturned automatically).
 */
export function applyRelayedDecision(prev: KeyState, decision: EngineDecision, edges: readonly SupersedeEdge[], settings: EngineSettings): RelayedStep {
  return step(prev, decisionItem(decision), edges, settings);
}

/** New edges between held items (a second station relaying an event with what it supersedes there). */
export function applyRelayedEdges(prev: KeyState, edges: readonly SupersedeEdge[], settings: EngineSettings): RelayedStep {
  return step(prev, null, edges, settings);
}
