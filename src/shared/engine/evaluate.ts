/**
 * The live-set rule (protocol §1): a key's live items are those nothing supersedes, and
 * the record's status, value and open conflict are a function of the live set alone —
 * never of arrival order. This module is that function.
 */
import type { EventType } from '../events/types.ts';
import { unreachable } from '../unreachable.ts';
import { describeAutoDecision, describeReview } from './reasons.ts';
import type { EngineSettings, KeyItem, RecordStatus, Strategy } from './types.ts';

export interface Evaluation {
  status: RecordStatus;
  /** Item whose payload is the record's value. */
  valueFrom: string;
  /** Number of distinct contents among the live items (> 1: a conflict). */
  distinctValues: number;
  strategy: Strategy;
  /** True when the conflict waits for a supervisor. */
  pending: boolean;
  /** Winner of an automatic decision. */
  winner: string | null;
  reason: string;
  /** Live items ordered by (time field, id): the conflict's candidates. */
  candidates: KeyItem[];
}

export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Ascending (time field, id): the order of candidates and the "earliest" rule. */
export function byTimeThenId(a: KeyItem, b: KeyItem): number {
  return a.timeMs - b.timeMs || compareIds(a.id, b.id);
}

/**
 * The items nothing supersedes. Knowledge (baseVersion, decisions) and device order both
 * supersede; should a device's clock have run backwards so that device-order edges leave
 * nothing live, only knowledge counts — still a function of the set of items.
 */
export function liveItems(items: readonly KeyItem[]): KeyItem[] {
  const byKnowledge = new Set<number>();
  const byDeviceOrder = new Set<number>();
  for (const item of items) {
    for (const v of item.supersedes) byKnowledge.add(v);
    for (const v of item.ownSupersedes) byDeviceOrder.add(v);
  }
  const live = items.filter((_, i) => !byKnowledge.has(i + 1) && !byDeviceOrder.has(i + 1));
  return live.length > 0 ? live : items.filter((_, i) => !byKnowledge.has(i + 1));
}

export function wellIdOfKey(key: string): string {
  return key.split('/')[1] ?? '';
}

/** The number HIGHEST_VALUE ranks by: the well's primary product (oil when unknown). */
export function primaryValue(type: EventType, item: KeyItem, settings: EngineSettings, wellId: string): number {
  if (type === 'PRODUCTION_LOGGED') {
    const index = settings.wells[wellId] === 'gas' ? 1 : 0;
    return item.nums[index] ?? 0;
  }
  return item.nums[0] ?? 0;
}

function latest(items: readonly KeyItem[]): KeyItem {
  return items.reduce((best, it) => (byTimeThenId(it, best) > 0 ? it : best));
}

function earliest(items: readonly KeyItem[]): KeyItem {
  return items.reduce((best, it) => (byTimeThenId(it, best) < 0 ? it : best));
}

/** The value shown while a record is disputed: the same everywhere (protocol §1, MANUAL_REVIEW). */
function interimPick(type: EventType, items: readonly KeyItem[]): KeyItem {
  if (type !== 'EQUIPMENT_INSPECTED') return earliest(items);
  const worst = Math.max(...items.map((it) => it.nums[0] ?? 0));
  return earliest(items.filter((it) => (it.nums[0] ?? 0) === worst));
}

function escalation(
  strategy: Strategy,
  type: EventType,
  live: readonly KeyItem[],
  settings: EngineSettings,
  wellId: string,
): string | null {
  switch (strategy) {
    case 'MANUAL_REVIEW':
      return describeReview.manual(type, live);
    case 'HIGHEST_VALUE': {
      const values = live.map((it) => primaryValue(type, it, settings, wellId));
      const hi = Math.max(...values);
      const lo = Math.min(...values);
      // (hi − lo) > pct % of hi, in integers-friendly form to avoid 0.2 × 250 rounding.
      if ((hi - lo) * 100 > settings.plausibilityPct * hi) {
        return describeReview.implausible(type, settings, wellId, hi, lo);
      }
      return null;
    }
    case 'NEWEST_WINS': {
      const skewed = live.filter((it) => it.skewMs > settings.skewLimitMs);
      return skewed.length > 0 ? describeReview.skew(skewed, settings.skewLimitMs) : null;
    }
    case 'MERGE':
    case 'KEEP_BOTH':
      return null;
    default:
      return unreachable(strategy);
  }
}

function autoWinner(strategy: Strategy, type: EventType, live: readonly KeyItem[], settings: EngineSettings, wellId: string): KeyItem {
  if (strategy === 'HIGHEST_VALUE') {
    return live.reduce((best, it) => {
      const d = primaryValue(type, it, settings, wellId) - primaryValue(type, best, settings, wellId);
      return d > 0 || (d === 0 && byTimeThenId(it, best) > 0) ? it : best;
    });
  }
  return latest(live);
}

/** Status, value and conflict of a single-value key, from its live items (non-empty). */
export function evaluateLive(type: EventType, key: string, live: readonly KeyItem[], settings: EngineSettings): Evaluation {
  const strategy = settings.policy[type];
  const candidates = [...live].sort(byTimeThenId);
  const distinctValues = new Set(live.map((it) => it.content)).size;
  if (distinctValues <= 1) {
    const pick = strategy === 'MANUAL_REVIEW' ? earliest(live) : latest(live);
    return { status: 'OK', valueFrom: pick.id, distinctValues, strategy, pending: false, winner: null, reason: '', candidates };
  }
  const wellId = wellIdOfKey(key);
  const decision = live.find((it) => it.kind === 'decision');
  const reviewReason =
    decision !== undefined ? describeReview.againstDecision(decision, live) : escalation(strategy, type, live, settings, wellId);
  if (reviewReason !== null) {
    const shown = interimPick(type, live);
    return { status: 'DISPUTED', valueFrom: shown.id, distinctValues, strategy, pending: true, winner: null, reason: reviewReason, candidates };
  }
  const winner = autoWinner(strategy, type, live, settings, wellId);
  return {
    status: 'OK',
    valueFrom: winner.id,
    distinctValues,
    strategy,
    pending: false,
    winner: winner.id,
    reason: describeAutoDecision(strategy, winner, live),
    candidates,
  };
}
