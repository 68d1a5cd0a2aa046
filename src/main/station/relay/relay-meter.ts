/**
 * What the relay has sent and how fast: bytes on the wire per UTC day and lane (the daily
 * budget is counted against it, and it survives a restart through `load`/`save`), the
 * measured link rate and bytes per item per lane, and from them an ETA for the queue.
 * Pure: the caller passes times and persists the snapshot.
 */
import { LANES, type Lane } from '../../../shared/protocol/sync.ts';

export interface UsageSnapshot {
  day: string;
  byLane: Record<Lane, number>;
  /** Probes and HQ's updates: on the wire and billed, but no lane's. */
  control: number;
}

/** What one request costs beyond its body: request line, headers, the answer (an estimate). */
export const REQUEST_OVERHEAD_BYTES = 500;

export type Meter = Lane | 'control';

/** Weight of the newest sample in the moving averages. */
const ALPHA = 0.3;

const zeroLanes = (): Record<Lane, number> => Object.fromEntries(LANES.map((l) => [l, 0])) as Record<Lane, number>;

export function parseUsage(value: unknown): UsageSnapshot | null {
  if (typeof value !== 'object' || value === null) return null;
  const { day, byLane, control } = value as { day?: unknown; byLane?: unknown; control?: unknown };
  if (typeof day !== 'string' || typeof byLane !== 'object' || byLane === null) return null;
  const lanes = zeroLanes();
  for (const lane of LANES) {
    const n = (byLane as Record<string, unknown>)[lane];
    if (typeof n === 'number' && Number.isFinite(n) && n >= 0) lanes[lane] = n;
  }
  return { day, byLane: lanes, control: typeof control === 'number' && Number.isFinite(control) && control >= 0 ? control : 0 };
}

export class RelayMeter {
  #usage: UsageSnapshot = { day: '', byLane: zeroLanes(), control: 0 };
  /** Bytes per millisecond while a request was on the wire. */
  #rate: number | null = null;
  readonly #bytesPerItem = new Map<Lane, number>();

  /** Starts from what was counted before a restart (ignored when it is another day's). */
  load(snapshot: UsageSnapshot | null): void {
    if (snapshot !== null) this.#usage = { day: snapshot.day, byLane: { ...snapshot.byLane }, control: snapshot.control };
  }

  #today(day: string): UsageSnapshot {
    if (this.#usage.day !== day) this.#usage = { day, byLane: zeroLanes(), control: 0 };
    return this.#usage;
  }

  bytesByLane(day: string): Record<Lane, number> {
    return { ...this.#today(day).byLane };
  }

  /** Every lane and the control traffic: what the daily budget counts. */
  bytesToday(day: string): number {
    const usage = this.#today(day);
    return LANES.reduce((sum, lane) => sum + usage.byLane[lane], usage.control);
  }

  snapshot(): UsageSnapshot {
    return { day: this.#usage.day, byLane: { ...this.#usage.byLane }, control: this.#usage.control };
  }

  /** Bytes that went on the wire, whether HQ acknowledged them or not. */
  count(day: string, meter: Meter, bytes: number): void {
    if (bytes <= 0) return;
    const usage = this.#today(day);
    if (meter === 'control') usage.control += bytes;
    else usage.byLane[meter] += bytes;
  }

  /** A request of `bytes` carrying `items` of `lane` took `ms`, answer included. */
  measure(lane: Lane, bytes: number, items: number, ms: number): void {
    if (bytes <= 0 || ms <= 0) return;
    const rate = bytes / ms;
    this.#rate = this.#rate === null ? rate : this.#rate + ALPHA * (rate - this.#rate);
    if (items > 0) {
      const perItem = bytes / items;
      const before = this.#bytesPerItem.get(lane);
      this.#bytesPerItem.set(lane, before === undefined ? perItem : before + ALPHA * (perItem - before));
    }
  }

  rateBytesPerMs(): number | null {
    return this.#rate;
  }

  /**
   * Seconds to send `queue` at the measured rate; null until something was measured.
   * A lane never sent yet is estimated at the mean bytes per item of the lanes that were.
   */
  etaSeconds(queue: Readonly<Record<Lane, number>>): number | null {
    if (this.#rate === null) return null;
    const known = [...this.#bytesPerItem.values()];
    if (known.length === 0) return null;
    const fallback = known.reduce((a, b) => a + b, 0) / known.length;
    const bytes = LANES.reduce((sum, lane) => sum + queue[lane] * (this.#bytesPerItem.get(lane) ?? fallback), 0);
    return Math.ceil(bytes / this.#rate / 1000);
  }
}
