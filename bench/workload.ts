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

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

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

/** mulberry32: a small, fast, seeded PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
const VISIT_START_MS = 14 * HOUR_MS; // 14:00Z = 08:00 CST / 09:00 CDT
const VISIT_SPAN_MS = 8 * HOUR_MS;
const POOL_CAPACITY = 200_000;
const RECENT_PER_DEVICE = 3_000;
const METRICS = ['TUBING_PRESSURE', 'CASING_PRESSURE', 'LINE_PRESSURE', 'TEMPERATURE', 'TANK_LEVEL', 'FLOW_RATE'] as const;
type Metric = (typeof METRICS)[number];
const SUBJECTS = ['general', 'general', 'general', 'wellhead', 'tank', 'leak', 'meter'] as const;
const EQUIPMENT = ['PJ', 'SEP', 'TB', 'WH'] as const;
const CHECK_ITEMS = ['guards', 'belts', 'leaks', 'gauges', 'valves', 'signage', 'grounding', 'containment'] as const;
const ACTIONS = [
  'Replaced stuffing box packing',
  'Tightened flange bolts on the separator inlet',
  'Changed pump jack belts',
  'Replaced dump valve trim',
  'Cleared paraffin from the flow line',
  'Re-seated the tank thief hatch gasket',
  'Greased wellhead valves',
] as const;
const PARTS = ['packing set', 'belt B-112', 'gasket 3in', 'valve trim kit', 'grease', 'stud bolts', 'pressure gauge'] as const;
const PHRASES = [
  'Location clean, no spills.',
  'Small drip at the stuffing box, monitoring.',
  'Lease road muddy after rain; 4x4 needed.',
  'Tank 2 gauged twice, readings agree.',
  'Pump cycling normally.',
  'Chemical drum at half, order more next week.',
  'Gate latch broken, tied it shut.',
  'Noted H2S alarm test done, all good.',
  'Separator dump valve sticking intermittently.',
  'Landowner asked about road repairs.',
] as const;
const STATUSES = ['ACTIVE', 'ACTIVE', 'ACTIVE', 'SHUT_IN', 'SHUT_IN', 'TEMPORARILY_ABANDONED', 'PLUGGED'] as const;

/** Primary product of well index i (0-based): three in ten are gas wells. */
export function isGasWell(i: number): boolean {
  return i % 10 < 3;
}

export function wellIdOf(i: number): string {
  return `W-${String(i + 1).padStart(4, '0')}`;
}

export function deviceIdOf(d: number): string {
  return `tab-${String(d + 1).padStart(2, '0')}`;
}

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

/** What a fresh event is about: its record key's parts. */
interface Fact {
  type: EventType;
  device: number;
  well: number;
  day: number;
  part: string;
  event: DeviceEvent;
}

interface Plan {
  type: EventType;
  well: number;
  day: number;
  part: string;
  atMs: number;
}

interface DeviceState {
  index: number;
  id: string;
  /** Field day the tablet is walking, and its position on the route. */
  day: number;
  routePos: number;
  queue: Plan[];
  recent: DeviceEvent[];
  recentNext: number;
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function numberField(payload: JsonObject, field: string): number {
  const v = payload[field];
  return typeof v === 'number' ? v : 0;
}

function stringField(payload: JsonObject, field: string): string {
  const v = payload[field];
  return typeof v === 'string' ? v : '';
}

/** The mutable world the stream walks; one per `events()` call. */
class World {
  rand: () => number;
  seed = 0;
  n = 0;
  session = 0;
  readonly #startMs: number;
  readonly #devices: DeviceState[];
  readonly #routes: number[][];
  #order: number[] = [];
  readonly #pool: Fact[] = [];
  #poolNext = 0;
  #sessionFacts: Fact[] = [];

  constructor(wells: number, devices: number, startDate: string) {
    this.rand = mulberry32(1);
    this.#startMs = Date.parse(`${startDate}T00:00:00.000Z`);
    this.#routes = Array.from({ length: devices }, () => []);
    for (let w = 0; w < wells; w++) this.#routes[w % devices]!.push(w);
    this.#devices = Array.from({ length: devices }, (_, d) => ({ index: d, id: deviceIdOf(d), day: 0, routePos: 0, queue: [], recent: [], recentNext: 0 }));
  }

  reseed(seed: number): void {
    this.seed = seed;
    this.rand = mulberry32(seed);
    this.n = 0;
  }

  int(n: number): number {
    return Math.floor(this.rand() * n);
  }

  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }

  /** The tablet of the next session: every tablet once per round, in a seeded order. */
  nextDevice(): DeviceState {
    if (this.#order.length === 0) {
      const order = this.#devices.map((d) => d.index);
      for (let i = order.length - 1; i > 0; i--) {
        const j = this.int(i + 1);
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      this.#order = order;
    }
    return this.#devices[this.#order.shift()!]!;
  }

  /** Closes a session: its fresh events become overlap targets for other tablets. */
  endSession(): void {
    for (const f of this.#sessionFacts) {
      if (this.#pool.length < POOL_CAPACITY) this.#pool.push(f);
      else this.#pool[this.#poolNext] = f;
      this.#poolNext = (this.#poolNext + 1) % POOL_CAPACITY;
    }
    this.#sessionFacts = [];
    this.session++;
  }

  /** One event of `dev`'s session. */
  next(dev: DeviceState, overlapPct: number, resendPct: number): GeneratedEvent {
    const r = this.rand() * 100;
    let kind: EventKind = 'fresh';
    let event: DeviceEvent | null = null;
    if (r < overlapPct) {
      event = this.#overlap(dev);
      if (event !== null) kind = 'overlap';
    } else if (r < overlapPct + resendPct && dev.recent.length > 0) {
      event = dev.recent[this.int(dev.recent.length)]!;
      kind = 'resend';
    }
    if (event === null) event = this.#fresh(dev);
    if (kind !== 'resend') {
      if (dev.recent.length < RECENT_PER_DEVICE) dev.recent.push(event);
      else dev.recent[dev.recentNext] = event;
      dev.recentNext = (dev.recentNext + 1) % RECENT_PER_DEVICE;
    }
    this.n++;
    return { session: this.session, device: dev.id, kind, event };
  }

  #id(): string {
    return `ev-${this.seed}-${this.n}`;
  }

  #operator(dev: DeviceState): string {
    return `op-${String(dev.index + 1 + (this.rand() < 0.1 ? 100 : 0)).padStart(3, '0')}`;
  }

  #envelope(dev: DeviceState, type: EventType, atMs: number, payload: JsonObject): DeviceEvent {
    return { id: this.#id(), type, operatorId: this.#operator(dev), occurredAt: iso(atMs + this.int(5 * MINUTE_MS)), payload };
  }

  #dayMs(day: number): number {
    return this.#startMs + day * DAY_MS;
  }

  #date(day: number): string {
    return iso(this.#dayMs(day)).slice(0, 10);
  }

  /** Plans the events of the tablet's next well-day on its route. */
  #planWellDay(dev: DeviceState): void {
    const route = this.#routes[dev.index]!;
    const well = route[dev.routePos]!;
    const day = dev.day;
    const visit = this.#dayMs(day) + VISIT_START_MS + Math.floor((dev.routePos * VISIT_SPAN_MS) / route.length) + this.int(10 * MINUTE_MS);
    const at = (): number => visit + this.int(25 * MINUTE_MS);
    const plans: Plan[] = [{ type: 'PRODUCTION_LOGGED', well, day, part: '', atMs: at() }];
    const r = this.rand();
    const readings = r < 0.35 ? 1 : r < 0.85 ? 2 : 3;
    const metrics = [...METRICS];
    for (let i = 0; i < readings; i++) {
      const j = i + this.int(metrics.length - i);
      [metrics[i], metrics[j]] = [metrics[j]!, metrics[i]!];
      plans.push({ type: 'WELL_READING_RECORDED', well, day, part: metrics[i]!, atMs: at() });
    }
    if (this.rand() < 0.32) plans.push({ type: 'EQUIPMENT_INSPECTED', well, day, part: this.#equipment(well), atMs: at() });
    if (this.rand() < 0.12) plans.push({ type: 'EQUIPMENT_REPAIRED', well, day, part: this.#equipment(well), atMs: at() });
    if (this.rand() < 0.04) plans.push({ type: 'WELL_STATUS_CHANGED', well, day, part: '', atMs: at() });
    const notes = this.rand();
    for (let i = notes < 0.04 ? 2 : notes < 0.44 ? 1 : 0; i > 0; i--) plans.push({ type: 'NOTES_ADDED', well, day, part: '', atMs: at() });
    const photos = this.rand();
    for (let i = photos < 0.02 ? 2 : photos < 0.22 ? 1 : 0; i > 0; i--) plans.push({ type: 'PHOTO_ATTACHED', well, day, part: this.pick(SUBJECTS), atMs: at() });
    plans.sort((a, b) => a.atMs - b.atMs);
    dev.queue.push(...plans);
    dev.routePos++;
    if (dev.routePos === route.length) {
      dev.routePos = 0;
      dev.day++;
    }
  }

  #equipment(well: number): string {
    return `${wellIdOf(well)}-${this.pick(EQUIPMENT)}`;
  }

  #fresh(dev: DeviceState): DeviceEvent {
    while (dev.queue.length === 0) this.#planWellDay(dev);
    const p = dev.queue.shift()!;
    const event = this.#envelope(dev, p.type, p.atMs, this.#payload(p));
    this.#sessionFacts.push({ type: p.type, device: dev.index, well: p.well, day: p.day, part: p.part, event });
    return event;
  }

  #payload(p: Plan): JsonObject {
    const wellId = wellIdOf(p.well);
    const at = iso(p.atMs);
    switch (p.type) {
      case 'PRODUCTION_LOGGED':
        return this.#production(p.well, p.day, at);
      case 'WELL_READING_RECORDED':
        return { wellId, metric: p.part, ...this.#reading(p.part as Metric, p.well), measuredAt: at };
      case 'EQUIPMENT_INSPECTED':
        return this.#inspection(wellId, p.part, at, this.#result());
      case 'EQUIPMENT_REPAIRED':
        return this.#repair(wellId, p.part, at);
      case 'WELL_STATUS_CHANGED':
        return { wellId, status: this.pick(STATUSES), effectiveAt: at, reason: this.pick(PHRASES) };
      case 'NOTES_ADDED':
        return { wellId, text: this.#text(), notedAt: at };
      case 'PHOTO_ATTACHED':
        return this.#photo(wellId, p.part, at);
    }
  }

  #production(well: number, day: number, measuredAt: string): JsonObject {
    const scale = 0.5 + ((well * 2_654_435_761) % 1000) / 1000; // a stable size per well
    const gas = isGasWell(well);
    const payload: JsonObject = {
      wellId: wellIdOf(well),
      measuredAt,
      oilBbl: round1((gas ? 2 + this.rand() * 10 : 60 + this.rand() * 30) * scale),
      gasMcf: round1((gas ? 1500 + this.rand() * 600 : 40 + this.rand() * 80) * scale),
      waterBbl: round1((10 + this.rand() * 60) * scale),
      hoursOn: this.rand() < 0.8 ? 24 : round1(12 + this.rand() * 12),
    };
    if (this.rand() < 0.5) payload['productionDate'] = this.#date(day);
    if (this.rand() < 0.1) payload['notes'] = this.pick(PHRASES);
    return payload;
  }

  #reading(metric: Metric, well: number): { value: number; unit: string } {
    const alt = this.rand() < 0.1;
    switch (metric) {
      case 'TUBING_PRESSURE':
      case 'CASING_PRESSURE':
      case 'LINE_PRESSURE': {
        const psi = metric === 'LINE_PRESSURE' ? 40 + this.rand() * 110 : 80 + this.rand() * 700;
        return alt ? { value: round1(psi * 6.894757), unit: 'kPa' } : { value: round1(psi), unit: 'psi' };
      }
      case 'TEMPERATURE': {
        const f = 30 + this.rand() * 90;
        return alt ? { value: round1(((f - 32) * 5) / 9), unit: 'degC' } : { value: round1(f), unit: 'degF' };
      }
      case 'TANK_LEVEL': {
        const ft = 1 + this.rand() * 18;
        return alt ? { value: round1(ft * 12), unit: 'in' } : { value: round1(ft), unit: 'ft' };
      }
      case 'FLOW_RATE':
        return isGasWell(well) ? { value: round1(300 + this.rand() * 4000), unit: 'mcf/d' } : { value: round1(10 + this.rand() * 400), unit: 'bbl/d' };
    }
  }

  #result(): string {
    const r = this.rand();
    return r < 0.85 ? 'PASS' : r < 0.95 ? 'NEEDS_ATTENTION' : 'FAIL';
  }

  #inspection(wellId: string, equipmentId: string, inspectedAt: string, result: string): JsonObject {
    const checklist: JsonObject = {};
    const items = 3 + this.int(4);
    for (let i = 0; i < items; i++) checklist[this.pick(CHECK_ITEMS)] = result === 'PASS' ? 'PASS' : this.pick(['PASS', 'FAIL', 'NA']);
    const payload: JsonObject = { wellId, equipmentId, inspectedAt, result, checklist };
    if (result !== 'PASS' || this.rand() < 0.2) payload['notes'] = this.pick(PHRASES);
    return payload;
  }

  #repair(wellId: string, equipmentId: string, repairedAt: string): JsonObject {
    const parts: JsonValue[] = [];
    for (let i = this.int(4); i > 0; i--) parts.push(this.pick(PARTS));
    const payload: JsonObject = { wellId, equipmentId, repairedAt, action: this.pick(ACTIONS), partsUsed: parts };
    if (this.rand() < 0.3) payload['notes'] = this.pick(PHRASES);
    return payload;
  }

  #text(): string {
    const words: string[] = [];
    for (let i = 1 + this.int(4); i > 0; i--) words.push(this.pick(PHRASES));
    return words.join(' ');
  }

  #sha256(): string {
    let out = '';
    for (let i = 0; i < 8; i++) out += Math.floor(this.rand() * 4_294_967_296).toString(16).padStart(8, '0');
    return out;
  }

  #photo(wellId: string, subject: string, takenAt: string): JsonObject {
    const r = this.rand();
    const payload: JsonObject = {
      wellId,
      photoId: `ph-${this.seed}-${this.n}`,
      sha256: this.#sha256(),
      mimeType: r < 0.85 ? 'image/jpeg' : r < 0.95 ? 'image/png' : 'image/webp',
      bytes: 150_000 + this.int(4_350_000),
      takenAt,
      subject,
    };
    if (this.rand() < 0.5) payload['caption'] = this.pick(PHRASES);
    return payload;
  }

  /** Another tablet's event on a key a completed session holds; null when there is none. */
  #overlap(dev: DeviceState): DeviceEvent | null {
    if (this.#pool.length === 0) return null;
    let target: Fact | null = null;
    for (let tries = 0; tries < 8 && target === null; tries++) {
      const f = this.#pool[this.int(this.#pool.length)]!;
      if (f.device !== dev.index) target = f;
    }
    if (target === null) return null;
    const atMs = this.#dayMs(target.day) + VISIT_START_MS + this.int(VISIT_SPAN_MS);
    const same = this.rand();
    const held = target.event.payload;
    const wellId = wellIdOf(target.well);
    const at = iso(atMs);
    let payload: JsonObject;
    switch (target.type) {
      case 'PRODUCTION_LOGGED': {
        payload = { ...held, measuredAt: at, productionDate: this.#date(target.day) };
        delete payload['notes'];
        if (same >= 0.4) {
          // 45 %: a close second gauge (auto-resolved); 15 %: implausibly low (review).
          const factor = same < 0.85 ? 1 + (this.rand() < 0.5 ? -1 : 1) * (0.005 + this.rand() * 0.045) : 0.4 + this.rand() * 0.3;
          const field = isGasWell(target.well) ? 'gasMcf' : 'oilBbl';
          payload[field] = round1(numberField(held, field) * factor);
        }
        break;
      }
      case 'WELL_READING_RECORDED':
        payload =
          same < 0.15
            ? { ...held }
            : { ...held, value: round1(numberField(held, 'value') * (0.92 + this.rand() * 0.16)), measuredAt: at };
        break;
      case 'EQUIPMENT_INSPECTED': {
        if (same < 0.6) payload = { ...held, inspectedAt: at };
        else {
          const result = stringField(held, 'result') === 'PASS' ? this.pick(['NEEDS_ATTENTION', 'FAIL']) : 'PASS';
          payload = this.#inspection(wellId, target.part, at, result);
        }
        break;
      }
      case 'EQUIPMENT_REPAIRED':
        payload = same < 0.6 ? { ...held, repairedAt: at } : this.#repair(wellId, target.part, at);
        break;
      case 'WELL_STATUS_CHANGED':
        payload = same < 0.7 ? { ...held, effectiveAt: at } : { wellId, status: this.pick(STATUSES), effectiveAt: at };
        break;
      case 'NOTES_ADDED':
        payload = { wellId, text: this.#text(), notedAt: at };
        break;
      case 'PHOTO_ATTACHED':
        payload = same < 0.2 ? { ...held, takenAt: at } : this.#photo(wellId, target.part, at);
        break;
    }
    return this.#envelope(dev, target.type, atMs, payload);
  }
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
