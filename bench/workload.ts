/**
 * A seeded, deterministic workload of device events for the benchmarks (no Math.random:
 * the same options always give the same events, byte for byte).
 *
 * The world: `wells` wells (W-0001 …), `devices` tablets (tab-01 …). Each tablet owns a
 * route (well i belongs to device i mod devices) and walks it field day by field day,
 * recording per well-day on average 1 production, 1.8 readings (distinct metrics),
 * 0.32 inspections, 0.12 repairs, 0.04 status changes, 0.48 notes and 0.24 photos: the
 * mix 25 / 45 / 8 / 3 / 1 / 12 / 6 %. Such "fresh" events land on keys nobody holds yet.
 *
 * The stream is a sequence of sessions: one tablet docks and syncs `sessionEvents`
 * events (a round visits every tablet once, in a seeded order). Within a session each
 * event is, by draw:
 * - an **overlap** (`overlapPct`): another operator's event on a key that already holds a
 *   value from a different tablet: same well, metric / equipment / subject and field day
 *   as a fresh event of a session that has completed earlier (so it is held by the
 *   station whatever the batch size); it repeats that content (a confirmation) or differs
 *   (a conflict, sometimes an implausible one or one from a tablet with a skewed clock);
 * - a **resend** (`resendPct`): an exact copy of one of the same tablet's recent events;
 * - otherwise the tablet's next fresh event.
 * `base` describes the workload already in the database: the generator replays it (its
 * output discarded) and continues the same world from there with its own seed, so
 * overlaps land on keys the base put in the database and fresh events on later days.
 *
 * All instants are ISO-8601 with Z, between 14:00Z and 23:00Z of their field day, which is
 * the local (America/Chicago) calendar day after 07:00, so record keys are exact.
 * Ids: `ev-<seed>-<n>`, unique across workloads with different seeds.
 */
import type { EventType } from '../src/shared/events/types.ts';
import type { SyncRequest } from '../src/shared/protocol/sync.ts';
import { World } from './workload-world.ts';
import { isGasWell, wellIdOf, type JsonObject } from './workload-payloads.ts';

export { deviceIdOf, isGasWell, mulberry32, wellIdOf, type JsonObject, type JsonValue } from './workload-payloads.ts';

export interface DeviceEvent {
  id: string;
  type: EventType;
  operatorId: string;
  occurredAt: string;
  payload: JsonObject;
}

/** A batch as a device sends it, plus the station time at which it is received. */
export interface WorkloadBatch extends SyncRequest {
  events: DeviceEvent[];
  /** The station's clock at receipt (ingest `now`); deviceTime = receivedAt + the tablet's skew. */
  receivedAt: string;
}

export type EventKind = 'fresh' | 'overlap' | 'resend';

export interface GeneratedEvent {
  session: number;
  device: string;
  kind: EventKind;
  event: DeviceEvent;
}

export interface BaseWorkload {
  count: number;
  seed: number;
  overlapPct?: number;
  resendPct?: number;
}

export interface WorkloadOptions extends BaseWorkload {
  /** The workload already ingested; this one continues its world. */
  base?: BaseWorkload;
  wells?: number;
  devices?: number;
  /** Events per docking of one tablet. */
  sessionEvents?: number;
  /** First field day, YYYY-MM-DD. */
  startDate?: string;
}

export const DEFAULTS = { overlapPct: 20, resendPct: 1, wells: 2000, devices: 30, sessionEvents: 5000, startDate: '2026-01-05' } as const;

const MINUTE_MS = 60_000;

/** The wells of the world, with the primary product HIGHEST_VALUE ranks by. */
export function wellsOf(wells: number = DEFAULTS.wells): { id: string; primaryProduct: 'oil' | 'gas' }[] {
  return Array.from({ length: wells }, (_, i) => ({ id: wellIdOf(i), primaryProduct: isGasWell(i) ? 'gas' : 'oil' }));
}

/** Clock skew of each tablet: most within a few seconds, two beyond the 120 s limit. */
function skewOf(d: number): number {
  if (d === 7) return 240_000;
  if (d === 19) return -180_000;
  return ((d * 7919) % 6001) - 3000;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function resolved(options: WorkloadOptions): Required<Omit<WorkloadOptions, 'base'>> & { base: Required<BaseWorkload> | null } {
  const base = options.base;
  return {
    count: options.count,
    seed: options.seed,
    overlapPct: options.overlapPct ?? DEFAULTS.overlapPct,
    resendPct: options.resendPct ?? DEFAULTS.resendPct,
    wells: options.wells ?? DEFAULTS.wells,
    devices: options.devices ?? DEFAULTS.devices,
    sessionEvents: options.sessionEvents ?? DEFAULTS.sessionEvents,
    startDate: options.startDate ?? DEFAULTS.startDate,
    base:
      base === undefined
        ? null
        : { count: base.count, seed: base.seed, overlapPct: base.overlapPct ?? DEFAULTS.overlapPct, resendPct: base.resendPct ?? DEFAULTS.resendPct },
  };
}

export interface WorkloadStats {
  events: number;
  byType: Partial<Record<EventType, number>>;
  byKind: Record<EventKind, number>;
  batches: number;
}

export class Workload {
  readonly options: ReturnType<typeof resolved>;
  /** Counts of the last completed `events()` / `batches()` walk. */
  stats: WorkloadStats = { events: 0, byType: {}, byKind: { fresh: 0, overlap: 0, resend: 0 }, batches: 0 };

  constructor(options: WorkloadOptions) {
    this.options = resolved(options);
    if (this.options.base !== null && this.options.base.seed === this.options.seed) throw new Error('a workload must have another seed than its base (event ids would collide)');
  }

  /** The events in stream order (independent of any batch size). */
  *events(): Generator<GeneratedEvent> {
    const o = this.options;
    const world = new World(o.wells, o.devices, o.startDate);
    if (o.base !== null) {
      const b = o.base;
      world.reseed(b.seed);
      for (const _ of walk(world, b.count, b.overlapPct, b.resendPct, o.sessionEvents)) {
        // replayed only for its effect on the world
      }
    }
    world.reseed(o.seed);
    const stats: WorkloadStats = { events: 0, byType: {}, byKind: { fresh: 0, overlap: 0, resend: 0 }, batches: 0 };
    for (const g of walk(world, o.count, o.overlapPct, o.resendPct, o.sessionEvents)) {
      stats.events++;
      stats.byType[g.event.type] = (stats.byType[g.event.type] ?? 0) + 1;
      stats.byKind[g.kind]++;
      yield g;
    }
    this.stats = stats;
  }

  /**
   * The events as device batches: each session cut into batches of at most `size`, in
   * stream order. A batch's receivedAt is 45 min after its latest occurredAt, and after
   * the batch before it; its deviceTime carries the tablet's clock skew.
   */
  *batches(size: number): Generator<WorkloadBatch> {
    let current: { session: number; device: string; events: DeviceEvent[] } | null = null;
    let chunk = 0;
    let lastReceivedMs = 0;
    let batches = 0;
    const o = this.options;
    const close = (c: { session: number; device: string; events: DeviceEvent[] }): WorkloadBatch => {
      let latest = 0;
      for (const e of c.events) latest = Math.max(latest, Date.parse(e.occurredAt));
      lastReceivedMs = Math.max(lastReceivedMs + 1000, latest + 45 * MINUTE_MS);
      const d = Number(c.device.slice(4)) - 1;
      batches++;
      return {
        deviceId: c.device,
        batchId: `b-${o.seed}-${c.session}-${chunk++}`,
        deviceTime: iso(lastReceivedMs + skewOf(d)),
        receivedAt: iso(lastReceivedMs),
        events: c.events,
      };
    };
    for (const g of this.events()) {
      if (current !== null && (current.session !== g.session || current.events.length >= size)) {
        const sessionEnds = current.session !== g.session;
        yield close(current);
        if (sessionEnds) chunk = 0;
        current = null;
      }
      current ??= { session: g.session, device: g.device, events: [] };
      current.events.push(g.event);
    }
    if (current !== null) yield close(current);
    this.stats.batches = batches;
  }
}

function* walk(world: World, count: number, overlapPct: number, resendPct: number, sessionEvents: number): Generator<GeneratedEvent> {
  let produced = 0;
  while (produced < count) {
    const dev = world.nextDevice();
    const n = Math.min(sessionEvents, count - produced);
    for (let i = 0; i < n; i++) yield world.next(dev, overlapPct, resendPct);
    produced += n;
    world.endSession();
  }
}
