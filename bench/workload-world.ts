/**
 * The world the benchmark workload walks: tablets, their routes and field days, the
 * dockings (sessions), the pool of held keys that overlaps target and each tablet's
 * recent events that resends copy. One instance per walk; all randomness from its `Rng`.
 */
import type { EventType } from '../src/shared/events/types.ts';
import type { DeviceEvent, EventKind, GeneratedEvent } from './workload.ts';
import { deviceIdOf, equipmentOf, freshPayload, METRICS, overlapPayload, Rng, SUBJECTS, type JsonObject, type KeyParts } from './workload-payloads.ts';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
const VISIT_START_MS = 14 * HOUR_MS; // 14:00Z = 08:00 CST / 09:00 CDT
const VISIT_SPAN_MS = 8 * HOUR_MS;
/** Fresh events of completed sessions that overlaps may target (~50 dockings, ~25 field days). */
const POOL_CAPACITY = 200_000;
const RECENT_PER_DEVICE = 3_000;

/** A held fresh event: the key it is on, who holds it, and its payload. */
interface Fact extends KeyParts {
  device: number;
  day: number;
  event: DeviceEvent;
}

interface Plan extends KeyParts {
  day: number;
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

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Ring buffer push: appends until full, then overwrites the oldest. */
function pushRing<T>(ring: T[], capacity: number, next: number, item: T): number {
  if (ring.length < capacity) ring.push(item);
  else ring[next] = item;
  return (next + 1) % capacity;
}

export class World {
  readonly rng = new Rng(1);
  seed = 0;
  /** Index of the next event in the current walk (event ids are `ev-<seed>-<n>`). */
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
    this.#startMs = Date.parse(`${startDate}T00:00:00.000Z`);
    this.#routes = Array.from({ length: devices }, () => []);
    for (let w = 0; w < wells; w++) this.#routes[w % devices]!.push(w);
    this.#devices = Array.from({ length: devices }, (_, d) => ({ index: d, id: deviceIdOf(d), day: 0, routePos: 0, queue: [], recent: [], recentNext: 0 }));
  }

  reseed(seed: number): void {
    this.seed = seed;
    this.rng.reseed(seed);
    this.n = 0;
  }

  /** The tablet of the next session: every tablet once per round, in a seeded order. */
  nextDevice(): DeviceState {
    if (this.#order.length === 0) {
      const order = this.#devices.map((d) => d.index);
      for (let i = order.length - 1; i > 0; i--) {
        const j = this.rng.int(i + 1);
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      this.#order = order;
    }
    return this.#devices[this.#order.shift()!]!;
  }

  /** Closes a session: its fresh events become overlap targets for other tablets. */
  endSession(): void {
    for (const f of this.#sessionFacts) this.#poolNext = pushRing(this.#pool, POOL_CAPACITY, this.#poolNext, f);
    this.#sessionFacts = [];
    this.session++;
  }

  /** One event of `dev`'s session. */
  next(dev: DeviceState, overlapPct: number, resendPct: number): GeneratedEvent {
    const r = this.rng.next() * 100;
    let kind: EventKind = 'fresh';
    let event: DeviceEvent | null = null;
    if (r < overlapPct) {
      event = this.#overlap(dev);
      if (event !== null) kind = 'overlap';
    } else if (r < overlapPct + resendPct && dev.recent.length > 0) {
      event = dev.recent[this.rng.int(dev.recent.length)]!;
      kind = 'resend';
    }
    event ??= this.#fresh(dev);
    if (kind !== 'resend') dev.recentNext = pushRing(dev.recent, RECENT_PER_DEVICE, dev.recentNext, event);
    this.n++;
    return { session: this.session, device: dev.id, kind, event };
  }

  #photoId(): string {
    return `ph-${this.seed}-${this.n}`;
  }

  #envelope(dev: DeviceState, type: EventType, atMs: number, payload: JsonObject): DeviceEvent {
    const operator = `op-${String(dev.index + 1 + (this.rng.next() < 0.1 ? 100 : 0)).padStart(3, '0')}`;
    return { id: `ev-${this.seed}-${this.n}`, type, operatorId: operator, occurredAt: iso(atMs + this.rng.int(5 * MINUTE_MS)), payload };
  }

  #dayMs(day: number): number {
    return this.#startMs + day * DAY_MS;
  }

  #date(day: number): string {
    return iso(this.#dayMs(day)).slice(0, 10);
  }

  /** Plans the events of the tablet's next well-day on its route (the mix of the header of workload.ts). */
  #planWellDay(dev: DeviceState): void {
    const rng = this.rng;
    const route = this.#routes[dev.index]!;
    const well = route[dev.routePos]!;
    const day = dev.day;
    const visit = this.#dayMs(day) + VISIT_START_MS + Math.floor((dev.routePos * VISIT_SPAN_MS) / route.length) + rng.int(10 * MINUTE_MS);
    const plan = (type: EventType, part: string): Plan => ({ type, well, day, part, atMs: visit + rng.int(25 * MINUTE_MS) });
    const plans: Plan[] = [plan('PRODUCTION_LOGGED', '')];
    const r = rng.next();
    const readings = r < 0.35 ? 1 : r < 0.85 ? 2 : 3;
    const metrics = [...METRICS];
    for (let i = 0; i < readings; i++) {
      const j = i + rng.int(metrics.length - i);
      [metrics[i], metrics[j]] = [metrics[j]!, metrics[i]!];
      plans.push(plan('WELL_READING_RECORDED', metrics[i]!));
    }
    if (rng.next() < 0.32) plans.push(plan('EQUIPMENT_INSPECTED', equipmentOf(rng, well)));
    if (rng.next() < 0.12) plans.push(plan('EQUIPMENT_REPAIRED', equipmentOf(rng, well)));
    if (rng.next() < 0.04) plans.push(plan('WELL_STATUS_CHANGED', ''));
    const notes = rng.next();
    for (let i = notes < 0.04 ? 2 : notes < 0.44 ? 1 : 0; i > 0; i--) plans.push(plan('NOTES_ADDED', ''));
    const photos = rng.next();
    for (let i = photos < 0.02 ? 2 : photos < 0.22 ? 1 : 0; i > 0; i--) plans.push(plan('PHOTO_ATTACHED', rng.pick(SUBJECTS)));
    plans.sort((a, b) => a.atMs - b.atMs);
    dev.queue.push(...plans);
    dev.routePos++;
    if (dev.routePos === route.length) {
      dev.routePos = 0;
      dev.day++;
    }
  }

  #fresh(dev: DeviceState): DeviceEvent {
    while (dev.queue.length === 0) this.#planWellDay(dev);
    const p = dev.queue.shift()!;
    const event = this.#envelope(dev, p.type, p.atMs, freshPayload(this.rng, p, iso(p.atMs), this.#date(p.day), this.#photoId()));
    this.#sessionFacts.push({ type: p.type, device: dev.index, well: p.well, day: p.day, part: p.part, event });
    return event;
  }

  /** Another tablet's event on a key a completed session holds; null when there is none. */
  #overlap(dev: DeviceState): DeviceEvent | null {
    if (this.#pool.length === 0) return null;
    let target: Fact | null = null;
    for (let tries = 0; tries < 8 && target === null; tries++) {
      const f = this.#pool[this.rng.int(this.#pool.length)]!;
      if (f.device !== dev.index) target = f;
    }
    if (target === null) return null;
    const atMs = this.#dayMs(target.day) + VISIT_START_MS + this.rng.int(VISIT_SPAN_MS);
    const payload = overlapPayload(this.rng, target, target.event.payload, iso(atMs), this.#date(target.day), this.#photoId());
    return this.#envelope(dev, target.type, atMs, payload);
  }
}
