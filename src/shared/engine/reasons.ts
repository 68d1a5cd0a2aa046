/**
 * Reasons a supervisor can read: every automatic decision and every review says what
 * was kept, from whom, by which rule, and that nothing was thrown away.
 */
import type { EventType } from '../events/types.ts';
import { SAFETY_TYPES } from './policy.ts';
import type { EngineSettings, KeyItem, Strategy } from './types.ts';

export function sourceOf(item: KeyItem): string {
  return item.kind === 'decision' ? `the supervisor's decision (${item.operatorId})` : (item.device ?? item.operatorId);
}

function listOthers(items: readonly KeyItem[]): string {
  return items.map((it) => `${it.label} from ${sourceOf(it)}`).join(', ');
}

function minutes(ms: number): string {
  const m = ms / 60_000;
  return m >= 1 ? `${Math.round(m * 10) / 10} min` : `${Math.round(ms / 1000)} s`;
}

const TYPE_NOUN: Readonly<Record<EventType, string>> = {
  PRODUCTION_LOGGED: 'production reports',
  WELL_READING_RECORDED: 'readings',
  EQUIPMENT_INSPECTED: 'inspections',
  EQUIPMENT_REPAIRED: 'repair reports',
  WELL_STATUS_CHANGED: 'well status changes',
  NOTES_ADDED: 'notes',
  PHOTO_ATTACHED: 'photos',
};

export function describeAutoDecision(strategy: Strategy, winner: KeyItem, live: readonly KeyItem[]): string {
  const others = live.filter((it) => it.id !== winner.id && it.content !== winner.content);
  const repeats = live.filter((it) => it.id !== winner.id && it.content === winner.content);
  const confirmed = repeats.length > 0 ? ` (also reported by ${repeats.map(sourceOf).join(', ')})` : '';
  return `kept ${winner.label} from ${sourceOf(winner)}${confirmed} (${strategy}); ${listOthers(others)} kept in history`;
}

export const describeReview = {
  /** MANUAL_REVIEW: safety types always; other types only when the station's policy says so. */
  manual(type: EventType, live: readonly KeyItem[]): string {
    const why = SAFETY_TYPES.includes(type) ? 'safety-critical, a supervisor must decide' : "the station's policy sends these to a supervisor (MANUAL_REVIEW)";
    return `${TYPE_NOUN[type]} disagree (${listOthers(live)}): ${why}`;
  },
  implausible(type: EventType, settings: EngineSettings, wellId: string, hi: number, lo: number): string {
    const product = type === 'PRODUCTION_LOGGED' && settings.wells[wellId] === 'gas' ? 'mcf gas' : type === 'PRODUCTION_LOGGED' ? 'bbl oil' : '';
    const pct = hi === 0 ? 0 : Math.round(((hi - lo) / hi) * 1000) / 10;
    return `reports of ${lo} and ${hi} ${product} differ by ${pct} % of the highest, more than the ${settings.plausibilityPct} % plausibility limit: more likely a typing error than two honest gauges, so a supervisor must decide (HIGHEST_VALUE)`.replace('  ', ' ');
  },
  skew(skewed: readonly KeyItem[], limitMs: number): string {
    const worst = skewed.reduce((a, b) => (b.skewMs > a.skewMs ? b : a));
    return `${sourceOf(worst)}'s clock was ${minutes(worst.skewMs)} off (limit ${minutes(limitMs)}), so measurement times cannot be trusted to pick the newest: a supervisor must decide (NEWEST_WINS)`;
  },
  againstDecision(decision: KeyItem, live: readonly KeyItem[]): string {
    const differing = live.filter((it) => it.content !== decision.content);
    return `${listOthers(differing)} differs from ${sourceOf(decision)} (${decision.label}); a decision is never overturned automatically, so a supervisor must look again`;
  },
};

export function describeClosedReview(replacements: readonly KeyItem[], live: readonly KeyItem[]): string {
  const by = replacements.length > 0 ? ` after ${replacements.map((it) => `${it.id} from ${sourceOf(it)}`).join(', ')} replaced the disputed reports` : '';
  return `closed: the live reports agree again (${live[0]?.label ?? ''})${by}; every report is kept in history`;
}

export function describeCollection(strategy: 'MERGE' | 'KEEP_BOTH', items: readonly KeyItem[]): string {
  const devices = [...new Set(items.map(sourceOf))].join(', ');
  return strategy === 'MERGE'
    ? `merged ${items.length} notes from ${devices} (MERGE): every note is kept as its own entry`
    : `kept every photo from ${devices} (KEEP_BOTH): ${new Set(items.map((it) => it.content)).size} distinct photos, nothing discarded`;
}

export function describeResolution(chosen: KeyItem | null, decision: KeyItem, comment: string): string {
  const what = chosen === null ? `a corrected value (${decision.label})` : `${chosen.label} from ${sourceOf(chosen)}`;
  return comment === '' ? `${decision.operatorId} chose ${what}` : `${decision.operatorId} chose ${what}: "${comment}"`;
}
