/**
 * StationApi: the one typed contract between the dashboard and the station core
 * (protocol §4). Each method has a zod schema for its arguments (checked by every
 * transport before the core sees them) and a result type. Transports: HTTP on the
 * headless UI listener (`POST /api/v1/{method}`, JSON args, session cookie) and IPC in
 * the Electron shell. Every answer is `{ ok: true, value } | { ok: false, error }`.
 */
import { z } from 'zod';
import { STRATEGIES } from '../engine/types.ts';
import { EVENT_TYPES } from '../events/types.ts';
import type { EventType } from '../events/types.ts';
import type { ConflictStatus, Outcome, RecordStatus, Strategy } from '../engine/types.ts';
import type { Lane } from '../protocol/sync.ts';

export const API_ERROR_CODES = [
  'BAD_REQUEST',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'VALIDATION_FAILED',
  'CONFLICT_NOT_FOUND',
  'CONFLICT_NOT_PENDING',
  'CONFLICT_NOT_AUTO_RESOLVED',
  'CONFLICT_NOT_OPEN',
  'COMMENT_REQUIRED',
  'NOT_A_CANDIDATE',
  'NOT_DECIDABLE',
  'CONFLICT_CHANGED',
  'POLICY_LOCKED',
  'TOO_MANY_ATTEMPTS',
  'INTERNAL',
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];
export interface ApiError {
  code: ApiErrorCode;
  message: string;
}
export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };

const conflictStatus = z.enum(['PENDING_REVIEW', 'AUTO_RESOLVED', 'RESOLVED']);
const eventType = z.enum(EVENT_TYPES);
const strategy = z.enum(STRATEGIES);
const id = z.string().min(1).max(300);
/**
 * Optional (protocol §4: required for MANUAL_REVIEW types only, which the decision checks
 * after trimming); the bound here only keeps absurd bodies out, the 2,000-character limit
 * applies to the trimmed text.
 */
const comment = z
  .string()
  .max(20_000)
  .nullish()
  .transform((c) => c ?? '');
/** The candidates the supervisor was shown: a decision is refused when others joined since (CONFLICT_CHANGED). */
const seenCandidates = z.array(id).max(10_000).optional();
const choice = z.union([z.object({ choose: id }).strict(), z.object({ value: z.record(z.string(), z.unknown()) }).strict()]);

/** Argument schemas, one per method. */
export const API_ARGS = {
  getOverview: z.object({}).strict(),
  listConflicts: z
    .object({
      /** true: open conflicts only; false: open and closed. Default: true, unless a status is asked for. */
      open: z.boolean().optional(),
      /**
       * Only conflicts a supervisor can decide, i.e. not merged notes (MERGE) or kept photos
       * (KEEP_BOTH). Default: true when neither a status nor a strategy is asked for.
       */
      decidable: z.boolean().optional(),
      status: conflictStatus.optional(),
      type: eventType.optional(),
      wellId: z.string().max(200).optional(),
      strategy: strategy.optional(),
      limit: z.number().int().min(1).max(20_000).optional(),
    })
    .strict(),
  getConflict: z.object({ conflictId: id }).strict(),
  resolveConflict: z.object({ conflictId: id, choice, comment, seenCandidates }).strict(),
  overrideResolution: z.object({ conflictId: id, choice, comment, seenCandidates }).strict(),
  listWells: z.object({}).strict(),
  getWell: z.object({ wellId: z.string().min(1).max(200), days: z.union([z.literal(30), z.literal(90)]).optional() }).strict(),
  listRecords: z
    .object({ wellId: z.string().max(200).optional(), type: eventType.optional(), status: z.enum(['OK', 'DISPUTED']).optional(), limit: z.number().int().min(1).max(50_000).optional() })
    .strict(),
  listDevices: z.object({}).strict(),
  revokeDevice: z.object({ deviceId: id }).strict(),
  createPairingCode: z.object({ ttlSeconds: z.number().int().min(60).max(604_800).optional() }).strict(),
  listAudit: z.object({ q: z.string().max(200).optional(), beforeSeq: z.number().int().min(1).optional(), limit: z.number().int().min(1).max(5_000).optional() }).strict(),
  verifyAudit: z.object({}).strict(),
  listQuarantine: z.object({ limit: z.number().int().min(1).max(5_000).optional() }).strict(),
  getSettings: z.object({}).strict(),
  updateSettings: z
    .object({
      timeZone: z.string().min(1).max(100).optional(),
      gaugeDayStartHour: z.number().int().min(0).max(23).optional(),
      plausibilityPct: z.number().min(0).max(100).optional(),
      skewLimitMs: z.number().int().min(0).max(86_400_000).optional(),
      policy: z.partialRecord(eventType, strategy).optional(),
      hqUrl: z.string().max(500).optional(),
      hqKey: z.string().max(500).optional(),
      /** Bytes per UTC day to HQ; null: no limit. */
      dailyByteBudget: z.number().int().min(1).max(1e13).nullable().optional(),
      /** Local hours [startHour, endHour) in which photos go to HQ (may wrap midnight); null: any time. */
      photoWindow: z
        .object({ startHour: z.number().int().min(0).max(23), endHour: z.number().int().min(0).max(23) })
        .strict()
        .refine((w) => w.startHour !== w.endHour, 'the photo window needs two different hours (clear it to send photos at any time)')
        .nullable()
        .optional(),
    })
    .strict(),
  getRelayStatus: z.object({}).strict(),
} as const;

export type ApiMethod = keyof typeof API_ARGS;
export type ApiArgs<M extends ApiMethod> = z.input<(typeof API_ARGS)[M]>;
/** The arguments as a handler receives them, after validation (defaults filled in). */
export type ApiParsedArgs<M extends ApiMethod> = z.output<(typeof API_ARGS)[M]>;

/** Methods that change something: refused to a viewer. */
export const MUTATING_METHODS: ReadonlySet<ApiMethod> = new Set(['resolveConflict', 'overrideResolution', 'revokeDevice', 'createPairingCode', 'updateSettings']);

export interface DockSummary {
  deviceId: string;
  deviceName: string;
  lastDockAt: string | null;
  clockSkewMs: number | null;
  revoked: boolean;
  /** Counts by sync status of the tablet's last dock ("214 events, 2 conflicts, 0 rejected"). */
  lastBatch: Record<string, number> | null;
  /** Of those, the events that went to a supervisor's review (outcome MANUAL_REVIEW). */
  lastBatchForReview: number | null;
}

export interface LinkStatus {
  state: 'ONLINE' | 'DEGRADED' | 'OFFLINE' | 'NOT_CONFIGURED';
  hqUrl: string | null;
  lastSuccessAt: string | null;
  lastError: string | null;
  /** Bytes on the wire to HQ today (UTC day), all lanes; the daily budget counts these. */
  bytesToday: number;
  bytesByLane: Record<Lane, number>;
  /** Items waiting per lane. */
  queue: Record<Lane, number>;
  /** Seconds to send the queue at the link rate last measured; null until one request was measured. */
  etaSeconds: number | null;
  /** Items set aside because HQ refused them alone (reasons in the audit log); a placeholder went in their place. */
  parked: number;
}

export interface Overview {
  stationId: string;
  tenantId: string;
  timeZone: string;
  now: string;
  pendingReview: number;
  /** Of `pendingReview`, the safety-critical ones (inspections, repairs, well status). */
  pendingSafety: number;
  autoResolvedOpen: number;
  devices: DockSummary[];
  /** Tablets whose last clock skew exceeded the limit. */
  skewedDevices: string[];
  link: LinkStatus;
  rejectedToday: number;
  /** Inspections docked in the last 24 hours whose record now says FAIL or NEEDS_ATTENTION, newest first (at most 50). */
  inspectionAlerts: InspectionAlert[];
  /** How many there are in all (more than `inspectionAlerts` holds when over 50). */
  inspectionAlertCount: number;
}

/** An inspection that found a problem: what the record of that equipment and field day says now. */
export interface InspectionAlert {
  recordKey: string;
  wellId: string;
  equipmentId: string;
  result: 'FAIL' | 'NEEDS_ATTENTION';
  /** As the tablet recorded it (its clock). */
  inspectedAt: string;
  /** inspectedAt corrected by the tablet's measured clock skew. */
  correctedAt: string;
  /** Checklist items marked FAIL. */
  failedItems: string[];
  notes: string | null;
  /** Who recorded the entry the record holds (null for a supervisor's typed correction). */
  operatorId: string | null;
  /** The supervisor whose decision the record holds, if any. */
  decidedBy: string | null;
  /** The record holds a value the supervisor typed (not an entry they kept). */
  corrected: boolean;
  /** The record's open review, if any: the value shown is interim until a supervisor decides. */
  openConflictId: string | null;
}

export interface ConflictRow {
  conflictId: string;
  recordKey: string;
  type: EventType;
  wellId: string;
  status: ConflictStatus;
  strategy: Strategy;
  reason: string;
  winner: string | null;
  candidates: string[];
  distinctValues: number;
  isOpen: boolean;
  openedAt: string;
  updatedAt: string;
}

export interface Candidate {
  eventId: string;
  kind: 'event' | 'decision';
  deviceId: string | null;
  operatorId: string;
  /** The time the tablet recorded (its clock). */
  occurredAt: string;
  /** occurredAt corrected by the batch's measured clock skew. */
  correctedAt: string;
  clockSkewMs: number;
  receivedAt: string;
  payload: Record<string, unknown>;
  isWinner: boolean;
  /** Payload fields whose value differs from another candidate's. */
  differingFields: string[];
  /** Photos (PHOTO_ATTACHED): a dashboard URL for the image bytes. */
  photoUrl: string | null;
}

export interface ConflictDetail extends ConflictRow {
  candidatesDetail: Candidate[];
  /** A comment is required to decide it (safety-critical types). */
  commentRequired: boolean;
  /** What a supervisor may do now. */
  allowed: 'RESOLVE' | 'OVERRIDE' | 'NONE';
  recordStatus: RecordStatus;
  recordValue: unknown;
  decision: { decidedBy: string; decidedAt: string; comment: string; chosenEventId: string | null } | null;
}

export interface DecisionResult {
  decisionId: string;
  conflictId: string;
  recordKey: string;
  version: number;
}

export interface WellSummary {
  wellId: string;
  name: string | null;
  primaryProduct: 'oil' | 'gas';
  disputed: number;
  records: number;
  lastProduction: { date: string; oilBbl: number; gasMcf: number; waterBbl: number } | null;
  /** The well's status record (WELL_STATUS_CHANGED), null when no status was ever reported; `disputed` while under review. */
  status: WellStatusNow | null;
  lastUpdatedAt: string | null;
}

export interface WellStatusNow {
  status: string;
  since: string;
  reason: string | null;
  disputed: boolean;
}

export interface HistoryItem {
  seq: number;
  eventId: string;
  kind: 'event' | 'decision';
  type: EventType;
  recordKey: string;
  deviceId: string | null;
  operatorId: string;
  occurredAt: string;
  /** `occurredAt` corrected by the tablet's clock skew at that dock (equal when the clock was right). */
  correctedAt: string;
  clockSkewMs: number;
  receivedAt: string;
  /** What the station answered when it arrived. */
  status: string;
  outcome: Outcome | null;
  /**
   * Where the entry stands now: the record's value (or the same value), waiting in a
   * review, not chosen by an automatic decision that can still be overridden, or replaced
   * (by a correction or a decision) and kept in history.
   */
  standing: EntryStanding;
  payload: Record<string, unknown>;
}

export type EntryStanding = 'CURRENT' | 'IN_REVIEW' | 'NOT_CHOSEN' | 'REPLACED';

export interface WellDetail {
  well: WellSummary;
  production: { date: string; oilBbl: number; gasMcf: number; waterBbl: number; status: RecordStatus }[];
  pressures: { at: string; metric: string; psi: number }[];
  history: HistoryItem[];
}

export interface RecordRow {
  key: string;
  type: EventType;
  wellId: string;
  version: number;
  status: RecordStatus;
  value: unknown;
  conflictId: string | null;
  updatedAt: string;
}

export interface DeviceRow extends DockSummary {
  pairedAt: string;
}

export interface PairingCodeResult {
  code: string;
  expiresAt: string;
  /** What a tablet needs: the LAN URL of the device API. */
  stationUrl: string;
  /** QR code of `{"station": stationUrl, "code": code}` as an SVG document. */
  qrSvg: string;
}

export interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  details: unknown;
  hash: string;
}

export interface QuarantineRow {
  id: number;
  eventId: string | null;
  deviceId: string;
  code: string;
  message: string;
  raw: unknown;
  receivedAt: string;
}

export interface SettingsView {
  timeZone: string;
  gaugeDayStartHour: number;
  plausibilityPct: number;
  skewLimitMs: number;
  policy: Record<EventType, Strategy>;
  /** Strategies each type may be set to; one entry means locked. */
  allowedStrategies: Record<EventType, Strategy[]>;
  hqUrl: string | null;
  hqKeySet: boolean;
  dailyByteBudget: number | null;
  photoWindow: { startHour: number; endHour: number } | null;
}

export interface ApiResults {
  getOverview: Overview;
  listConflicts: ConflictRow[];
  getConflict: ConflictDetail;
  resolveConflict: DecisionResult;
  overrideResolution: DecisionResult;
  listWells: WellSummary[];
  getWell: WellDetail;
  listRecords: RecordRow[];
  listDevices: DeviceRow[];
  revokeDevice: { deviceId: string; revoked: boolean };
  createPairingCode: PairingCodeResult;
  listAudit: AuditRow[];
  verifyAudit: { ok: boolean; entries: number; firstBad: { seq: number; problem: string } | null };
  listQuarantine: QuarantineRow[];
  getSettings: SettingsView;
  updateSettings: SettingsView;
  getRelayStatus: LinkStatus;
}

/** The whole supervisor API as one object: what the preload exposes and what the renderer calls. */
export type StationApi = { [M in ApiMethod]: (args: ApiArgs<M>) => Promise<ApiResult<ApiResults[M]>> };

/** Live change feed: what the dashboard subscribes to (SSE over HTTP, push over IPC). */
export type ChangeEvent =
  | { kind: 'synced'; deviceId: string; summary: Record<string, number>; at: string }
  | { kind: 'decided'; conflictId: string; at: string }
  | { kind: 'settings'; at: string }
  | { kind: 'devices'; at: string }
  | { kind: 'relay'; at: string };

/** Session of the headless transport (Electron's local user is always a supervisor). */
export interface SessionInfo {
  username: string;
  role: 'supervisor' | 'viewer';
  expiresAt: string;
}
