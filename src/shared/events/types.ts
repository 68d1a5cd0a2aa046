/**
 * The seven event types of protocol.md §1 and their parsed shapes.
 * Pure types: no I/O. Parsing/validation lives in `validate-event.ts`.
 */
export const EVENT_TYPES = [
  'PRODUCTION_LOGGED',
  'WELL_READING_RECORDED',
  'EQUIPMENT_INSPECTED',
  'EQUIPMENT_REPAIRED',
  'WELL_STATUS_CHANGED',
  'NOTES_ADDED',
  'PHOTO_ATTACHED',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const READING_METRICS = [
  'TUBING_PRESSURE',
  'CASING_PRESSURE',
  'LINE_PRESSURE',
  'TEMPERATURE',
  'TANK_LEVEL',
  'FLOW_RATE',
] as const;
export type ReadingMetric = (typeof READING_METRICS)[number];

export const READING_UNITS = ['psi', 'kPa', 'degF', 'degC', 'ft', 'in', 'm', 'bbl/d', 'mcf/d'] as const;
export type ReadingUnit = (typeof READING_UNITS)[number];

export const INSPECTION_RESULTS = ['PASS', 'FAIL', 'NEEDS_ATTENTION'] as const;
export type InspectionResult = (typeof INSPECTION_RESULTS)[number];
export const CHECKLIST_ITEM_RESULTS = ['PASS', 'FAIL', 'NA'] as const;
export type ChecklistItemResult = (typeof CHECKLIST_ITEM_RESULTS)[number];

export const WELL_STATUSES = ['ACTIVE', 'SHUT_IN', 'TEMPORARILY_ABANDONED', 'PLUGGED'] as const;
export type WellStatus = (typeof WELL_STATUSES)[number];

export const PHOTO_MIME_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type PhotoMimeType = (typeof PHOTO_MIME_TYPES)[number];

export interface ProductionPayload {
  wellId: string;
  measuredAt: string;
  productionDate?: string;
  oilBbl: number;
  gasMcf: number;
  waterBbl: number;
  hoursOn?: number;
  notes?: string;
}
export interface ReadingPayload {
  wellId: string;
  metric: ReadingMetric;
  value: number;
  unit: ReadingUnit;
  measuredAt: string;
}
export interface InspectionPayload {
  wellId: string;
  equipmentId: string;
  inspectedAt: string;
  result: InspectionResult;
  checklist?: Record<string, ChecklistItemResult>;
  notes?: string;
}
export interface RepairPayload {
  wellId: string;
  equipmentId: string;
  repairedAt: string;
  action: string;
  partsUsed?: string[];
  notes?: string;
}
export interface StatusPayload {
  wellId: string;
  status: WellStatus;
  effectiveAt: string;
  reason?: string;
}
export interface NotesPayload {
  wellId: string;
  text: string;
  notedAt: string;
}
export interface PhotoPayload {
  wellId: string;
  photoId: string;
  sha256: string;
  mimeType: PhotoMimeType;
  bytes: number;
  takenAt: string;
  /** Defaulted to "general" by validation when absent. */
  subject: string;
  caption?: string;
}

export interface PayloadByType {
  PRODUCTION_LOGGED: ProductionPayload;
  WELL_READING_RECORDED: ReadingPayload;
  EQUIPMENT_INSPECTED: InspectionPayload;
  EQUIPMENT_REPAIRED: RepairPayload;
  WELL_STATUS_CHANGED: StatusPayload;
  NOTES_ADDED: NotesPayload;
  PHOTO_ATTACHED: PhotoPayload;
}

/** A validated event envelope with its typed payload. */
export type ParsedEvent = {
  [T in EventType]: {
    id: string;
    type: T;
    operatorId: string;
    /** ISO-8601 instant with Z, as sent. */
    occurredAt: string;
    /** `occurredAt` as epoch milliseconds. */
    occurredAtMs: number;
    /** null when absent or null on the wire. */
    baseVersion: number | null;
    payload: PayloadByType[T];
  };
}[EventType];

export type RejectionCode = 'VALIDATION_FAILED' | 'UNKNOWN_EVENT_TYPE';

export type ValidationResult =
  | { ok: true; event: ParsedEvent }
  | { ok: false; eventId: string | null; code: RejectionCode; message: string };

/** Station settings that decide record keys. */
export interface FieldDaySettings {
  timeZone: string;
  gaugeDayStartHour: number;
}
