/**
 * The station's SQLite schema (architecture.md, "Data"). History tables (events,
 * conflicts, decisions, quarantine, audit) are append-only or only move forward;
 * `records` is a projection rebuilt from `events` by `rebuildProjection`.
 * Migrations are generated from this file by drizzle-kit and never edited once landed.
 */
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** Every item the station accepted, in arrival order: device events and supervisor decisions. */
export const events = sqliteTable(
  'events',
  {
    seq: integer('seq').primaryKey(),
    id: text('id').notNull(),
    kind: text('kind', { enum: ['event', 'decision'] }).notNull(),
    type: text('type').notNull(),
    recordId: integer('record_id').notNull(),
    deviceId: text('device_id'),
    batchSeq: integer('batch_seq'),
    operatorId: text('operator_id').notNull(),
    occurredAt: text('occurred_at').notNull(),
    baseVersion: integer('base_version'),
    /** The payload as received (a decision: its chosen value). */
    payload: text('payload').notNull(),
    status: text('status').notNull(),
    /** The sync result of protocol §2 as JSON (version, conflictId, strategy, outcome, reason). */
    result: text('result').notNull(),
    /** Item ids this item superseded when it arrived (JSON array), or null. */
    supersedes: text('supersedes'),
    /** For an item that arrived already superseded: the held ids that supersede it. */
    supersededBy: text('superseded_by'),
    clockSkewMs: integer('clock_skew_ms').notNull(),
    receivedAt: text('received_at').notNull(),
  },
  (t) => [uniqueIndex('events_id_unique').on(t.id)],
);

/** One POST /sync as received. */
export const batches = sqliteTable(
  'batches',
  {
    seq: integer('seq').primaryKey(),
    batchId: text('batch_id').notNull(),
    deviceId: text('device_id').notNull(),
    receivedAt: text('received_at').notNull(),
    deviceTime: text('device_time').notNull(),
    clockSkewMs: integer('clock_skew_ms').notNull(),
    eventCount: integer('event_count').notNull(),
    /** Counts by result status, JSON. */
    summary: text('summary').notNull(),
  },
  (t) => [index('batches_device').on(t.deviceId, t.seq)],
);

/** Current value per record key (a projection of `events`). */
export const records = sqliteTable(
  'records',
  {
    id: integer('id').primaryKey(),
    key: text('key').notNull(),
    type: text('type').notNull(),
    wellId: text('well_id').notNull(),
    version: integer('version').notNull(),
    status: text('status', { enum: ['OK', 'DISPUTED'] }).notNull(),
    value: text('value').notNull(),
    valueFrom: text('value_from'),
    conflictId: text('conflict_id'),
    /** The engine's key state (items, supersession, version history), JSON. */
    state: text('state').notNull(),
    updatedAt: text('updated_at').notNull(),
    /** events.seq of the last item that changed it: the `changes` cursor. */
    changeSeq: integer('change_seq').notNull(),
  },
  // Only the key index: per-well reads use key ranges and the changes feed reads the event
  // log, so the write path maintains no other index of this, the hottest table.
  (t) => [uniqueIndex('records_key_unique').on(t.key)],
);

export const conflicts = sqliteTable(
  'conflicts',
  {
    id: text('id').primaryKey(),
    recordId: integer('record_id').notNull(),
    recordKey: text('record_key').notNull(),
    type: text('type').notNull(),
    status: text('status', { enum: ['PENDING_REVIEW', 'AUTO_RESOLVED', 'RESOLVED'] }).notNull(),
    strategy: text('strategy').notNull(),
    reason: text('reason').notNull(),
    winner: text('winner'),
    /** Candidate item ids ordered by (time field, id), JSON. */
    candidates: text('candidates').notNull(),
    distinctValues: integer('distinct_values').notNull(),
    isOpen: integer('is_open', { mode: 'boolean' }).notNull(),
    openedAt: text('opened_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    closedAt: text('closed_at'),
    changeSeq: integer('change_seq').notNull(),
  },
  (t) => [index('conflicts_status').on(t.status, t.isOpen), index('conflicts_record').on(t.recordId)],
);

/** Every item that ever took part in a conflict. */
export const conflictCandidates = sqliteTable(
  'conflict_candidates',
  {
    conflictId: text('conflict_id').notNull(),
    eventId: text('event_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.conflictId, t.eventId] })],
);

export const decisions = sqliteTable('decisions', {
  id: text('id').primaryKey(),
  conflictId: text('conflict_id').notNull(),
  recordId: integer('record_id').notNull(),
  kind: text('kind', { enum: ['RESOLVE', 'OVERRIDE'] }).notNull(),
  chosenEventId: text('chosen_event_id'),
  value: text('value').notNull(),
  decidedBy: text('decided_by').notNull(),
  decidedAt: text('decided_at').notNull(),
  comment: text('comment').notNull(),
  supersedes: text('supersedes').notNull(),
});

/** Rejected input, kept raw with its reason: nothing sent is lost. */
export const quarantine = sqliteTable(
  'quarantine',
  {
    id: integer('id').primaryKey(),
    eventId: text('event_id'),
    /** sha256 of (event id, canonical raw element): one row per id and content. */
    dedupeKey: text('dedupe_key').notNull(),
    deviceId: text('device_id').notNull(),
    batchSeq: integer('batch_seq'),
    code: text('code').notNull(),
    message: text('message').notNull(),
    raw: text('raw').notNull(),
    receivedAt: text('received_at').notNull(),
  },
  (t) => [uniqueIndex('quarantine_dedupe').on(t.dedupeKey), index('quarantine_received').on(t.receivedAt)],
);

export const devices = sqliteTable('devices', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  tokenHash: text('token_hash').notNull(),
  pairedAt: text('paired_at').notNull(),
  lastDockAt: text('last_dock_at'),
  clockSkewMs: integer('clock_skew_ms'),
  revokedAt: text('revoked_at'),
});

export const pairingCodes = sqliteTable('pairing_codes', {
  codeHash: text('code_hash').primaryKey(),
  createdAt: text('created_at').notNull(),
  expiresAt: text('expires_at').notNull(),
  usedAt: text('used_at'),
  usedBy: text('used_by'),
});

export const users = sqliteTable('users', {
  username: text('username').primaryKey(),
  role: text('role', { enum: ['supervisor', 'viewer'] }).notNull(),
  passwordHash: text('password_hash').notNull(),
  createdAt: text('created_at').notNull(),
});

export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: text('updated_at').notNull(),
});

/** Items to relay upstream, numbered per lane (protocol §5). */
export const outbox = sqliteTable(
  'outbox',
  {
    lane: text('lane', { enum: ['critical', 'production', 'readings', 'notes', 'photos'] }).notNull(),
    seq: integer('seq').notNull(),
    kind: text('kind', { enum: ['event', 'conflict', 'decision'] }).notNull(),
    /** events.seq for event and decision items. */
    eventSeq: integer('event_seq'),
    /** The item's data when it is a snapshot (conflicts change over time). */
    data: text('data'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.lane, t.seq] })],
);

export const relayState = sqliteTable('relay_state', {
  lane: text('lane').primaryKey(),
  lastSeq: integer('last_seq').notNull().default(0),
  ackedThroughSeq: integer('acked_through_seq').notNull().default(0),
  updatedAt: text('updated_at'),
});

/** Hash-chained audit log: hash = sha256(prevHash + canonical entry). */
export const audit = sqliteTable('audit', {
  seq: integer('seq').primaryKey(),
  at: text('at').notNull(),
  actor: text('actor').notNull(),
  action: text('action').notNull(),
  subject: text('subject').notNull(),
  details: text('details').notNull(),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
});

export const photos = sqliteTable('photos', {
  sha256: text('sha256').primaryKey(),
  bytes: integer('bytes').notNull(),
  mimeType: text('mime_type'),
  storedAt: text('stored_at').notNull(),
});

export const wells = sqliteTable('wells', {
  id: text('id').primaryKey(),
  name: text('name'),
  primaryProduct: text('primary_product', { enum: ['oil', 'gas'] }).notNull().default(sql`'oil'`),
  updatedAt: text('updated_at').notNull(),
});

export const equipment = sqliteTable('equipment', {
  id: text('id').primaryKey(),
  wellId: text('well_id'),
  name: text('name'),
  updatedAt: text('updated_at').notNull(),
});

export const operators = sqliteTable('operators', {
  id: text('id').primaryKey(),
  name: text('name'),
  updatedAt: text('updated_at').notNull(),
});
