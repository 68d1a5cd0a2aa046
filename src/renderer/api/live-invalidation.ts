/**
 * What a change on the station means for the dashboard's cached queries.
 *
 * Guarantees: `methodsAffectedBy` names every read method whose answer the change can
 * alter (over-invalidating is fine, missing one is a stale screen); `parseChangeEvent`
 * accepts only well-formed events and returns `null` for anything else.
 */
import type { ApiMethod, ChangeEvent } from '../../shared/api/station-api.ts';
import { unreachable } from '../../shared/unreachable.ts';

/** Every read method: what a reconnect (events possibly missed) refreshes. */
export const READ_METHODS: readonly ApiMethod[] = [
  'getOverview',
  'listConflicts',
  'getConflict',
  'listWells',
  'getWell',
  'listRecords',
  'listDevices',
  'listAudit',
  'verifyAudit',
  'listQuarantine',
  'getSettings',
  'getRelayStatus',
];

const DATA_METHODS: readonly ApiMethod[] = ['getOverview', 'listConflicts', 'getConflict', 'listWells', 'getWell', 'listRecords', 'listAudit', 'getRelayStatus'];

export function methodsAffectedBy(event: ChangeEvent): readonly ApiMethod[] {
  switch (event.kind) {
    case 'synced':
      // A dock brings events, conflicts, rejected input, a new last-dock and clock skew.
      return [...DATA_METHODS, 'listDevices', 'listQuarantine'];
    case 'decided':
      return DATA_METHODS;
    case 'settings':
      // A policy change can re-decide open conflicts; the time zone changes every date.
      return [...DATA_METHODS, 'getSettings'];
    case 'devices':
      return ['getOverview', 'listDevices', 'listAudit'];
    case 'relay':
      return ['getOverview', 'getRelayStatus'];
    default:
      return unreachable(event);
  }
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** One `data:` line of the change feed, or `null` when it is not a change event. */
export function parseChangeEvent(data: string): ChangeEvent | null {
  let x: unknown;
  try {
    x = JSON.parse(data) as unknown;
  } catch {
    return null;
  }
  if (!isRecord(x) || typeof x['at'] !== 'string') return null;
  const at = x['at'];
  switch (x['kind']) {
    case 'synced': {
      const summary = x['summary'];
      if (typeof x['deviceId'] !== 'string' || !isRecord(summary)) return null;
      const counts: Record<string, number> = {};
      for (const [k, v] of Object.entries(summary)) if (typeof v === 'number') counts[k] = v;
      return { kind: 'synced', deviceId: x['deviceId'], summary: counts, at };
    }
    case 'decided':
      return typeof x['conflictId'] === 'string' ? { kind: 'decided', conflictId: x['conflictId'], at } : null;
    case 'settings':
    case 'devices':
    case 'relay':
      return { kind: x['kind'], at };
    default:
      return null;
  }
}
