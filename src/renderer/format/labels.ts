/**
 * Plain words for the station's codes. The dashboard shows these first; the code
 * itself (PENDING_REVIEW, HIGHEST_VALUE…) only as secondary detail. Every mapping is
 * total over the contract's unions, so a new code fails type-checking here.
 */
import type { LinkStatus } from '../../shared/api/station-api.ts';
import type { ConflictStatus, Outcome, Strategy } from '../../shared/engine/types.ts';
import type { EventType } from '../../shared/events/types.ts';
import type { Lane } from '../../shared/protocol/sync.ts';
import { unreachable } from '../../shared/unreachable.ts';

export const TYPE_LABELS: Readonly<Record<EventType, string>> = {
  PRODUCTION_LOGGED: 'Production',
  WELL_READING_RECORDED: 'Gauge reading',
  EQUIPMENT_INSPECTED: 'Inspection',
  EQUIPMENT_REPAIRED: 'Repair',
  WELL_STATUS_CHANGED: 'Well status',
  NOTES_ADDED: 'Notes',
  PHOTO_ATTACHED: 'Photos',
};

export const STRATEGY_LABELS: Readonly<Record<Strategy, string>> = {
  NEWEST_WINS: 'Newest reading wins',
  HIGHEST_VALUE: 'Highest volume wins',
  MANUAL_REVIEW: 'A supervisor decides',
  MERGE: 'Keep every note',
  KEEP_BOTH: 'Keep every photo',
};

export function conflictStatusLabel(status: ConflictStatus, isOpen: boolean): string {
  switch (status) {
    case 'PENDING_REVIEW':
      return isOpen ? 'Needs your decision' : 'Closed without a decision';
    case 'AUTO_RESOLVED':
      return isOpen ? 'Decided automatically' : 'Settled automatically';
    case 'RESOLVED':
      return 'Decided by a supervisor';
    default:
      return unreachable(status);
  }
}

export const CONFLICT_STATUS_FILTER_LABELS: Readonly<Record<ConflictStatus, string>> = {
  PENDING_REVIEW: 'Needs your decision',
  AUTO_RESOLVED: 'Decided automatically',
  RESOLVED: 'Decided by a supervisor',
};

export const OUTCOME_LABELS: Readonly<Record<Outcome, string>> = {
  UPDATE_SERVER: 'became the current value',
  KEEP_SERVER: 'kept in history (another value won)',
  MERGE: 'added to the notes',
  KEEP_BOTH: 'added to the photos',
  MANUAL_REVIEW: 'waiting for a supervisor',
};

/** Sync and history statuses of one event. */
export function eventStatusLabel(status: string): string {
  switch (status) {
    case 'APPLIED':
      return 'Accepted';
    case 'CONFIRMED':
      return 'Same as already recorded';
    case 'SUPERSEDED':
      return 'Replaced by a later edit';
    case 'CONFLICT':
      return 'In conflict';
    case 'DUPLICATE':
      return 'Sent twice (ignored)';
    case 'REJECTED':
      return 'Rejected';
    case 'RESOLVED':
      return 'Supervisor decision';
    default:
      return status;
  }
}

export const LINK_STATE_LABELS: Readonly<Record<LinkStatus['state'], string>> = {
  ONLINE: 'Connected to HQ',
  DEGRADED: 'Connected, but slow or failing at times',
  OFFLINE: 'No connection to HQ — data waits here safely',
  NOT_CONFIGURED: 'HQ link not set up',
};

export const LANE_LABELS: Readonly<Record<Lane, string>> = {
  critical: 'Decisions and conflicts',
  production: 'Production',
  readings: 'Gauge readings',
  notes: 'Notes',
  photos: 'Photos',
};

export const METRIC_LABELS: Readonly<Record<string, string>> = {
  TUBING_PRESSURE: 'Tubing pressure',
  CASING_PRESSURE: 'Casing pressure',
  LINE_PRESSURE: 'Line pressure',
  TEMPERATURE: 'Temperature',
  TANK_LEVEL: 'Tank level',
  FLOW_RATE: 'Flow rate',
};

export const INSPECTION_RESULT_LABELS: Readonly<Record<string, string>> = {
  PASS: 'Pass',
  FAIL: 'Fail',
  NEEDS_ATTENTION: 'Needs attention',
  NA: 'Not applicable',
};

export const WELL_STATUS_LABELS: Readonly<Record<string, string>> = {
  ACTIVE: 'Active (producing)',
  SHUT_IN: 'Shut in',
  TEMPORARILY_ABANDONED: 'Temporarily abandoned',
  PLUGGED: 'Plugged',
};

export const REJECT_CODE_LABELS: Readonly<Record<string, string>> = {
  VALIDATION_FAILED: 'The entry was incomplete or had an impossible value',
  UNKNOWN_EVENT_TYPE: 'The tablet sent a kind of entry this station does not know',
  EVENT_ID_REUSED: 'The tablet reused the id of a different entry',
};

/** Audit actions in words; unknown actions print as recorded. */
export function auditActionLabel(action: string): string {
  const known: Readonly<Record<string, string>> = {
    'sync.batch': 'Tablet docked (batch received)',
    'conflict.resolve': 'Decided a conflict',
    'conflict.override': 'Overrode an automatic decision',
    'batch.ingest': 'Tablet docked',
    'user.add': 'Added a user',
    'device.pair': 'Paired a tablet',
    'device.revoke': 'Revoked a tablet',
    'pairing.create': 'Created a pairing code',
    'settings.update': 'Changed settings',
    'relay.parked': 'Set aside an item HQ refused',
  };
  return known[action] ?? action;
}

/** Who did it, in words: "Tablet tab-05", "sup", "Station (command line)". */
export function auditActorLabel(actor: string): string {
  const [kind, ...rest] = actor.split(':');
  const name = rest.join(':');
  if (name === '') return actor;
  switch (kind) {
    case 'device':
      return `Tablet ${name}`;
    case 'user':
      return name;
    case 'station':
      return `Station (${name.replaceAll('-', ' ')})`;
    default:
      return actor;
  }
}

/** Why a kind of record's rule cannot be changed. */
export function lockedReason(strategy: Strategy): string {
  return strategy === 'MERGE' || strategy === 'KEEP_BOTH'
    ? 'every entry is kept, so there is never anything to choose.'
    : 'a safety record is always decided by a supervisor, never automatically.';
}

/** Why the station asks a person, in one sentence. */
export function whyAskedLabel(status: ConflictStatus, strategy: Strategy, isOpen: boolean): string {
  if (!isOpen) return 'This conflict is closed; it is kept for the record.';
  if (strategy === 'MERGE') return 'Notes written at the same time were merged: every note is kept as its own entry. Nothing to decide.';
  if (strategy === 'KEEP_BOTH') return 'Photos taken at the same time were all kept. Nothing to decide.';
  if (status === 'AUTO_RESOLVED') return 'The station picked a value by its rule. Check it; override it if it is wrong.';
  if (status === 'RESOLVED') return 'A supervisor decided this conflict.';
  switch (strategy) {
    case 'MANUAL_REVIEW':
      return 'This is a safety record: the station never decides it alone. Choose the value that is right.';
    case 'HIGHEST_VALUE':
      return 'The volumes differ more than a normal gauge difference — one may be a typing error. Choose the right one or enter the corrected numbers.';
    case 'NEWEST_WINS':
      return 'A tablet clock was off, so the station cannot tell which reading is newest. Choose the right one.';
    default:
      return unreachable(strategy);
  }
}
