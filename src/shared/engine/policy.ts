/**
 * The strategy policy: which strategy decides each event type. Safety-critical types
 * (inspections, repairs, well status) are locked to MANUAL_REVIEW and collections to
 * MERGE / KEEP_BOTH; only production and readings can be set, and never to a
 * collection strategy.
 */
import type { EventType } from '../events/types.ts';
import type { EngineSettings, Policy, Strategy } from './types.ts';

export const DEFAULT_POLICY: Policy = {
  PRODUCTION_LOGGED: 'HIGHEST_VALUE',
  WELL_READING_RECORDED: 'NEWEST_WINS',
  EQUIPMENT_INSPECTED: 'MANUAL_REVIEW',
  EQUIPMENT_REPAIRED: 'MANUAL_REVIEW',
  WELL_STATUS_CHANGED: 'MANUAL_REVIEW',
  NOTES_ADDED: 'MERGE',
  PHOTO_ATTACHED: 'KEEP_BOTH',
};

export const SAFETY_TYPES: readonly EventType[] = ['EQUIPMENT_INSPECTED', 'EQUIPMENT_REPAIRED', 'WELL_STATUS_CHANGED'];
export const COLLECTION_TYPES: readonly EventType[] = ['NOTES_ADDED', 'PHOTO_ATTACHED'];

/** Strategies a type may be set to; a single entry means the type is locked. */
export function allowedStrategies(type: EventType): readonly Strategy[] {
  if (SAFETY_TYPES.includes(type)) return ['MANUAL_REVIEW'];
  if (type === 'NOTES_ADDED') return ['MERGE'];
  if (type === 'PHOTO_ATTACHED') return ['KEEP_BOTH'];
  return ['NEWEST_WINS', 'HIGHEST_VALUE', 'MANUAL_REVIEW'];
}

export function isCollectionType(type: EventType): boolean {
  return type === 'NOTES_ADDED' || type === 'PHOTO_ATTACHED';
}

export type PolicyCheck = { ok: true; policy: Policy } | { ok: false; message: string };

/** Applies a partial policy change, refusing what would weaken a locked type. */
export function updatePolicy(current: Policy, change: Partial<Record<EventType, Strategy>>): PolicyCheck {
  const next: Record<EventType, Strategy> = { ...current };
  for (const [type, strategy] of Object.entries(change) as [EventType, Strategy | undefined][]) {
    if (strategy === undefined) continue;
    const allowed = allowedStrategies(type);
    if (!allowed.includes(strategy)) {
      return {
        ok: false,
        message:
          allowed.length === 1
            ? `${type} is locked to ${allowed[0]}: it cannot be set to ${strategy}.`
            : `${type} can be set to ${allowed.join(', ')}, not ${strategy}.`,
      };
    }
    next[type] = strategy;
  }
  return { ok: true, policy: next };
}

export const DEFAULT_ENGINE_SETTINGS: EngineSettings = {
  timeZone: 'America/Chicago',
  gaugeDayStartHour: 7,
  plausibilityPct: 20,
  skewLimitMs: 120_000,
  policy: DEFAULT_POLICY,
  wells: {},
};
