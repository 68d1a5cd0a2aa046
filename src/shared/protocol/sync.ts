/**
 * Wire types of the device API's sync call (protocol.md §2) and the relay lanes (§5).
 */
import type { EventType } from '../events/types.ts';
import type { Outcome, Strategy } from '../engine/types.ts';

export type RejectCode = 'VALIDATION_FAILED' | 'UNKNOWN_EVENT_TYPE' | 'EVENT_ID_REUSED';

export type SyncEventResult =
  | { eventId: string; status: 'APPLIED' | 'CONFIRMED' | 'SUPERSEDED'; recordKey: string; version: number }
  | {
      eventId: string;
      status: 'CONFLICT';
      recordKey: string;
      version: number;
      conflictId: string;
      strategy: Strategy;
      outcome: Outcome;
      reason: string;
    }
  | { eventId: string; status: 'DUPLICATE' }
  | { eventId: string | null; status: 'REJECTED'; error: { code: RejectCode; message: string } };

export interface SyncRequest {
  deviceId: string;
  batchId: string;
  deviceTime: string;
  events: unknown[];
}

export interface SyncResponse {
  batchId: string;
  results: SyncEventResult[];
  syncedEventIds: string[];
  clockSkewMs: number;
  cursor: string;
}

export const LANES = ['critical', 'production', 'readings', 'notes', 'photos'] as const;
export type Lane = (typeof LANES)[number];

/** The relay lane of an event of `type` (conflicts and decisions always go `critical`). */
export function laneOf(type: EventType): Lane {
  switch (type) {
    case 'PRODUCTION_LOGGED':
      return 'production';
    case 'WELL_READING_RECORDED':
      return 'readings';
    case 'NOTES_ADDED':
      return 'notes';
    case 'PHOTO_ATTACHED':
      return 'photos';
    case 'EQUIPMENT_INSPECTED':
    case 'EQUIPMENT_REPAIRED':
    case 'WELL_STATUS_CHANGED':
      return 'critical';
  }
}
