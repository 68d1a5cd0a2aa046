/**
 * The pure shaping core of the satellite-link emulator: no sockets, no timers. The caller
 * passes a clock value (ms since the link started) and gets decisions back.
 *
 * Guarantees:
 *  - delivery: a chunk admitted at t in direction d is cut into segments of at most
 *    `segmentBytes`; each segment is delivered at (time its last bit left the link-wide token
 *    bucket of d) + one-way latency, so never before t + latency, never out of order, and a
 *    run of B bytes takes at least (8·B − burst bits) / rate to come out;
 *  - the buckets are shared by every connection on the link, as on a real modem;
 *  - outages: the link is down when the schedule says so or when forced (`setForcedDown`);
 *    bytes admitted during an outage start crossing when it ends; bytes due during an
 *    outage are held and delivered no earlier than (link up again) + latency (`resumeAt`);
 *  - connections: connection n's fate (refused while down; reset after k bytes with
 *    probability p) is drawn from a PRNG seeded with (seed, n), so it is the same for the same
 *    seed whatever the timing.
 */
import { mulberry32, seedOf } from '../device-sim/prng.ts';
import { OutageSchedule } from './outage-schedule.ts';
import type { LinkProfile } from './profiles.ts';
import { TokenBucket } from './token-bucket.ts';

export type Direction = 'up' | 'down';

export interface DeliverySegment {
  readonly length: number;
  readonly deliverAtMs: number;
}

export interface ConnectionPlan {
  /** 0, 1, 2, … in the order connections were opened. */
  readonly index: number;
  /** The link was down when the connection came in: refuse it. */
  readonly isRefused: boolean;
  /** Reset the connection once this many bytes (up + down) have crossed; null = never. */
  readonly resetAfterBytes: number | null;
}

export class LinkCore {
  readonly profile: LinkProfile;
  readonly schedule: OutageSchedule;
  readonly #seed: number;
  readonly #buckets: Readonly<Record<Direction, TokenBucket | null>>;
  #isForcedDown = false;
  #connections = 0;

  constructor(profile: LinkProfile, seed: number, startMs = 0) {
    this.profile = profile;
    this.#seed = seed;
    this.schedule = new OutageSchedule(profile.periodicOutage, profile.randomOutage, seed);
    const bucket = (rate: number | null): TokenBucket | null => (rate === null ? null : new TokenBucket(rate, profile.burstBytes * 8, startMs));
    this.#buckets = { up: bucket(profile.upBitsPerSecond), down: bucket(profile.downBitsPerSecond) };
  }

  get isForcedDown(): boolean {
    return this.#isForcedDown;
  }

  setForcedDown(isDown: boolean): void {
    this.#isForcedDown = isDown;
  }

  isDown(nowMs: number): boolean {
    return this.#isForcedDown || this.schedule.isDown(nowMs);
  }

  /** The next scheduled change of state after `nowMs`; null while forced down or when none is due. */
  nextChangeAt(nowMs: number): number | null {
    return this.#isForcedDown ? null : this.schedule.nextChangeAt(nowMs);
  }

  /** When `byteLength` bytes arriving at `nowMs` in `direction` come out the far end. */
  planDelivery(direction: Direction, nowMs: number, byteLength: number): DeliverySegment[] {
    const bucket = this.#buckets[direction];
    const startMs = this.#isForcedDown ? nowMs : this.schedule.upAt(nowMs);
    const latencyMs = this.profile.oneWayLatencyMs;
    if (bucket === null) return byteLength === 0 ? [] : [{ length: byteLength, deliverAtMs: startMs + latencyMs }];
    const segments: DeliverySegment[] = [];
    for (let offset = 0; offset < byteLength; offset += this.profile.segmentBytes) {
      const length = Math.min(this.profile.segmentBytes, byteLength - offset);
      segments.push({ length, deliverAtMs: bucket.reserve(startMs, length) + latencyMs });
    }
    return segments;
  }

  /** The earliest delivery of bytes held by an outage once the link is up again at `upAtMs`. */
  resumeAt(upAtMs: number, scheduledAtMs: number): number {
    return Math.max(scheduledAtMs, upAtMs + this.profile.oneWayLatencyMs);
  }

  /** When connections stalled since `downSinceMs` are reset; null = they never are. */
  stallResetAt(downSinceMs: number): number | null {
    return this.profile.stallResetMs === null ? null : downSinceMs + this.profile.stallResetMs;
  }

  /** The fate of the next connection, opened at `nowMs`. */
  openConnection(nowMs: number): ConnectionPlan {
    const index = this.#connections++;
    const rng = mulberry32(seedOf('sat-link', 'connection', this.#seed, index));
    const p = this.profile;
    const isDoomed = rng() < p.resetProbability;
    const resetAfterBytes = isDoomed ? p.resetAfterMinBytes + Math.floor(rng() * (p.resetAfterMaxBytes - p.resetAfterMinBytes + 1)) : null;
    return { index, isRefused: this.isDown(nowMs), resetAfterBytes };
  }
}
