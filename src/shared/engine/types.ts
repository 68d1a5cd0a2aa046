/**
 * Types of the strategy engine (protocol.md §1). The engine is a pure reducer over one
 * record key: `(KeyState, input) → (KeyState, result, conflict changes)`. Its state is
 * plain JSON so the store can keep it beside the record and replay it from the history.
 */
import type { EventType } from '../events/types.ts';

export const STRATEGIES = ['NEWEST_WINS', 'HIGHEST_VALUE', 'MANUAL_REVIEW', 'MERGE', 'KEEP_BOTH'] as const;
export type Strategy = (typeof STRATEGIES)[number];

export type Policy = Readonly<Record<EventType, Strategy>>;

export type PrimaryProduct = 'oil' | 'gas';

/** Everything the engine needs to decide, besides the events themselves. */
export interface EngineSettings {
  timeZone: string;
  gaugeDayStartHour: number;
  /** HIGHEST_VALUE escalates when (highest − lowest) > plausibilityPct % of the highest. */
  plausibilityPct: number;
  /** NEWEST_WINS escalates when any live event came in a batch with |clockSkewMs| above this. */
  skewLimitMs: number;
  policy: Policy;
  /** Primary product per well; a well not listed is judged on oil. */
  wells: Readonly<Record<string, PrimaryProduct>>;
}

export type RecordStatus = 'OK' | 'DISPUTED';
export type ConflictStatus = 'PENDING_REVIEW' | 'AUTO_RESOLVED' | 'RESOLVED';
export type SyncStatus = 'APPLIED' | 'CONFIRMED' | 'SUPERSEDED' | 'CONFLICT';
export type Outcome = 'UPDATE_SERVER' | 'KEEP_SERVER' | 'MERGE' | 'KEEP_BOTH' | 'MANUAL_REVIEW';

/**
 * One accepted item of a key (an event or a supervisor decision), in arrival order:
 * `items[v - 1]` is the item that made version v.
 */
export interface KeyItem {
  id: string;
  kind: 'event' | 'decision';
  /** Device that sent it; null for decisions. */
  device: string | null;
  operatorId: string;
  /** Device order: occurredAt in ms (ties: arrival order). 0 for decisions. */
  occurredMs: number;
  /** The type's time field in ms (a decision: that of its chosen value). */
  timeMs: number;
  /** Content key: equal keys ⇔ the same content (protocol §1). Photos: the sha256. */
  content: string;
  /** Numbers the strategies compare: production [oilBbl, gasMcf]; readings [normalised value]; inspections [severity]. */
  nums: number[];
  /** Short human label of the content, for reasons ("125 bbl", "FAIL"). */
  label: string;
  /** |clockSkewMs| of the batch it came in. */
  skewMs: number;
  /** Its author pulled a version at which the record was DISPUTED: it supersedes nothing. */
  sawReview: boolean;
  /** Versions (1-based item positions) this item supersedes because its author saw them (baseVersion, or a decision's candidates). */
  supersedes: number[];
  /** Versions of its own device's earlier edits that it supersedes (device order). */
  ownSupersedes: number[];
}

export interface ConflictState {
  id: string;
  status: ConflictStatus;
  strategy: Strategy;
  reason: string;
  /** Winning item id; null while pending, for collections, and for a typed supervisor value. */
  winner: string | null;
  /** Every item taking part, ordered by (time field, id). */
  candidates: string[];
  distinctValues: number;
  openedAtVersion: number;
}

export interface KeyState {
  key: string;
  type: EventType;
  version: number;
  /** Record status after each version: history[v - 1] is 'O' (OK) or 'D' (DISPUTED). */
  history: string;
  items: KeyItem[];
  status: RecordStatus;
  /** Item whose payload is the value (single-value types). */
  valueFrom: string | null;
  /** The record's open conflict; for collections, the conflict kept for the record once started. */
  conflict: ConflictState | null;
}

/** A conflict as it changed with one input; `closed` means it is no longer the record's open conflict. */
export interface ConflictChange {
  conflict: ConflictState;
  change: 'opened' | 'updated' | 'closed';
}

export interface EventResult {
  status: SyncStatus;
  version: number;
  conflictId?: string;
  strategy?: Strategy;
  outcome?: Outcome;
  reason?: string;
}

export interface StepOutput {
  state: KeyState;
  conflictChanges: ConflictChange[];
  /** Ids of the items the new item supersedes (resolved at ingest; relayed as `supersedes`). */
  supersedes: string[];
  /** For an item that arrived already superseded: the held ids that supersede it. */
  supersededBy: string[];
}

export interface EventStepOutput extends StepOutput {
  result: EventResult;
}

/** What the engine needs of one incoming event (built by `itemInputOf`). */
export interface EngineEvent {
  id: string;
  type: EventType;
  device: string;
  operatorId: string;
  occurredMs: number;
  baseVersion: number | null;
  skewMs: number;
  timeMs: number;
  content: string;
  nums: number[];
  label: string;
}

/** A supervisor's decision on a key's open conflict. */
export interface EngineDecision {
  id: string;
  conflictId: string;
  /** The chosen candidate id, or null when the supervisor typed a value. */
  chosen: string | null;
  decidedBy: string;
  comment: string;
  timeMs: number;
  content: string;
  nums: number[];
  label: string;
}
