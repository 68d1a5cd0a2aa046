/**
 * What one relayed item does to its key's HQ state (no I/O: record-store.ts loads and
 * writes the states; a state is the batch's own working copy). Events and station
 * decisions enter the shared engine with the supersede edges the stations resolved
 * (relayed-item.ts); notes and photos, which supersede nothing, go through `applyEvent`;
 * a station decision that covers HQ's whole open conflict, and an HQ supervisor's
 * decision, go through `applyDecision`. Each step runs the engine first and changes the
 * state only once it returned, so a step that throws leaves the state as it was.
 */
import { addNote, addPhoto, type NotesValue, type PhotosValue } from '../src/shared/engine/collection-value.ts';
import { applyDecision, applyEvent, type DecisionStepOutput } from '../src/shared/engine/key-reducer.ts';
import { isCollectionType } from '../src/shared/engine/policy.ts';
import { applyRelayedDecision, applyRelayedEdges, applyRelayedEvent, type RelayedStep, type SupersedeEdge } from '../src/shared/engine/relayed-item.ts';
import type { ConflictChange, EngineDecision, EngineSettings } from '../src/shared/engine/types.ts';
import type { HqKeyState } from './record-store.ts';
import type { RelayedDecision, RelayedEvent } from './relayed-items.ts';

function edgeId(e: SupersedeEdge): string {
  return `${e.from}\u0000${e.to}\u0000${e.byDecision ? 1 : 0}`;
}

/** The state's edges plus those it does not hold yet (the same array when there are none). */
function withEdges(held: SupersedeEdge[], edges: readonly SupersedeEdge[]): SupersedeEdge[] {
  if (edges.length === 0) return held;
  const ids = new Set(held.map(edgeId));
  const fresh = edges.filter((edge) => {
    const id = edgeId(edge);
    if (ids.has(id)) return false;
    ids.add(id);
    return true;
  });
  return fresh.length === 0 ? held : [...held, ...fresh];
}

function edgesOf(item: RelayedEvent | RelayedDecision): SupersedeEdge[] {
  const byDecision = item.kind === 'decision';
  const out = item.supersedes.map((to) => ({ from: item.id, to, byDecision }));
  if (item.kind === 'event') for (const from of item.supersededBy) out.push({ from, to: item.id, byDecision: false });
  return out;
}

function addStation(st: HqKeyState, id: string, stationId: string): boolean {
  const held = st.stations[id] ?? [];
  if (held.includes(stationId)) return false;
  st.stations[id] = [...held, stationId];
  return true;
}

/** Moves the state to a single-value step's result (its value follows when the state is written). */
function commit(st: HqKeyState, out: RelayedStep, edges: SupersedeEdge[]): ConflictChange[] {
  st.isDirty = true;
  st.engine = out.state;
  st.edges = edges;
  return out.conflictChanges;
}

function addCollectionEvent(st: HqKeyState, ev: RelayedEvent, stationId: string, settings: EngineSettings): ConflictChange[] {
  // No edges to go by: an entry is concurrent when its station said so, or when HQ holds
  // an entry from another device that its station never had (its author cannot have seen it).
  const isConcurrent = ev.concurrentAtStation || st.engine.items.some((it) => it.device !== ev.engine.device && !(st.stations[it.id] ?? []).includes(stationId));
  const out = applyEvent(st.engine, { ...ev.engine, baseVersion: isConcurrent ? null : st.engine.version }, settings);
  let value = st.value;
  if (ev.event.type === 'NOTES_ADDED') {
    value = addNote(st.value as NotesValue | null, ev.id, ev.event.operatorId, ev.event.payload);
  } else if (ev.event.type === 'PHOTO_ATTACHED') {
    const takenAt = new Map(out.state.items.map((it) => [it.id, it.timeMs]));
    value = addPhoto(st.value as PhotosValue | null, ev.id, ev.event.payload, (id) => takenAt.get(id) ?? 0);
  }
  st.isDirty = true;
  st.engine = out.state;
  st.value = value;
  addStation(st, ev.id, stationId);
  return out.conflictChanges;
}

/** An event HQ did not hold. */
export function addEvent(st: HqKeyState, ev: RelayedEvent, stationId: string, settings: EngineSettings): ConflictChange[] {
  if (isCollectionType(st.type)) return addCollectionEvent(st, ev, stationId, settings);
  const edges = withEdges(st.edges, edgesOf(ev));
  const out = applyRelayedEvent(st.engine, ev.engine, edges, settings);
  st.payloads.set(ev.id, ev.payload);
  addStation(st, ev.id, stationId);
  return commit(st, out, edges);
}

/**
 * A station supervisor's decision. It supersedes exactly the candidates its supervisor
 * saw (its `supersedes`). When those cover every candidate of HQ's open conflict, HQ
 * decides the same way through `applyDecision`: its conflict is RESOLVED (HQ's conflict id
 * may differ from the station's: it is named after the item that opened it here).
 *
 * When HQ's live set is bigger than what the station's supervisor saw (another station
 * reported the same key, or HQ has no open conflict yet because the decided events are
 * still on their way, the critical lane being relayed first), the decision is applied as
 * an item that supersedes only what it names. Events from other stations stay live; a
 * decision is never overturned automatically, so any live event that differs from it
 * keeps, or opens, an HQ review (PENDING_REVIEW) for an HQ supervisor, and one that agrees
 * with it leaves the record settled. Named events that have not arrived yet are
 * superseded when they do, so the end state does not depend on which came first.
 */
export function addStationDecision(st: HqKeyState, d: RelayedDecision, stationId: string, settings: EngineSettings): ConflictChange[] {
  const edges = withEdges(st.edges, edgesOf(d));
  const open = st.engine.conflict;
  const named = new Set(d.supersedes);
  let out: RelayedStep;
  if (open !== null && open.candidates.every((id) => named.has(id))) {
    const decision: EngineDecision = { ...d.decision, conflictId: open.id, chosen: d.decision.chosen !== null && open.candidates.includes(d.decision.chosen) ? d.decision.chosen : null };
    const decided = applyDecision(st.engine, decision, settings);
    if (!decided.ok) throw new Error(`${st.key}: ${decided.error.message}`);
    out = decided;
  } else {
    out = applyRelayedDecision(st.engine, d.decision, edges, settings);
  }
  st.payloads.set(d.id, d.payload);
  addStation(st, d.id, stationId);
  return commit(st, out, edges);
}

/**
 * An HQ supervisor's decision on HQ's open conflict: through `applyDecision`, like a
 * station's; it supersedes every candidate of the conflict. `payload` is the chosen value.
 */
export function addHqDecision(st: HqKeyState, decision: EngineDecision, payload: unknown, settings: EngineSettings): DecisionStepOutput {
  const candidates = st.engine.conflict?.candidates ?? [];
  const out = applyDecision(st.engine, decision, settings);
  if (!out.ok) return out;
  st.payloads.set(decision.id, payload);
  commit(st, out, withEdges(st.edges, candidates.map((to) => ({ from: decision.id, to, byDecision: true }))));
  return out;
}

/**
 * The same item relayed again by another station (a tablet that docked at both offices):
 * it counts once, but what that station says it supersedes is knowledge too.
 */
export function addDuplicate(st: HqKeyState, item: RelayedEvent | RelayedDecision, stationId: string, settings: EngineSettings): ConflictChange[] {
  if (!st.engine.items.some((it) => it.id === item.id)) return [];
  const edges = isCollectionType(st.type) ? st.edges : withEdges(st.edges, edgesOf(item));
  const out = edges === st.edges ? null : applyRelayedEdges(st.engine, edges, settings);
  st.isDirty ||= addStation(st, item.id, stationId);
  return out === null ? [] : commit(st, out, edges);
}
