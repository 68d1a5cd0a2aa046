/**
 * When the link is down, as a pure function of the clock value (ms since the link started)
 * and the seed. Two sources, united:
 *  - periodic: cycle k covers [k·P, (k+1)·P); its outage is the last d_k ms of the cycle,
 *    d_k drawn from [forMinMs, forMaxMs] by a PRNG seeded with (seed, k) — so every cycle
 *    has exactly one outage and the first one comes after P − d_0 ms of service;
 *  - random: starts at exponential gaps (mean 3600 s / perHour) after the previous outage
 *    ends, durations uniform in [forMinMs, forMaxMs], drawn in order from one seeded stream.
 * Intervals are half-open [start, end): at `end` the link is up. Answers depend only on
 * (profile, seed, t), never on the order of queries. All times are whole milliseconds.
 */
import { mulberry32, seedOf } from '../device-sim/prng.ts';
import type { Rng } from '../device-sim/prng.ts';
import type { PeriodicOutage, RandomOutage } from './profiles.ts';

export interface Interval {
  readonly startMs: number;
  readonly endMs: number;
}

function between(rng: Rng, min: number, max: number): number {
  return Math.round(min + (max - min) * rng());
}

export class OutageSchedule {
  readonly #periodic: PeriodicOutage | null;
  readonly #random: RandomOutage | null;
  readonly #seed: number;
  readonly #randomIntervals: Interval[] = [];
  readonly #randomRng: Rng;

  constructor(periodic: PeriodicOutage | null, random: RandomOutage | null, seed: number) {
    this.#periodic = periodic;
    this.#random = random;
    this.#seed = seed;
    this.#randomRng = mulberry32(seedOf('sat-link', 'random-outages', seed));
  }

  /** The periodic outage of cycle k (k ≥ 0). */
  periodicOutage(k: number): Interval | null {
    const p = this.#periodic;
    if (p === null) return null;
    const forMs = between(mulberry32(seedOf('sat-link', 'periodic-outage', this.#seed, k)), p.forMinMs, p.forMaxMs);
    const endMs = (k + 1) * p.everyMs;
    return { startMs: endMs - forMs, endMs };
  }

  isDown(tMs: number): boolean {
    return this.#containing(tMs).length > 0;
  }

  /** When the link is next up: `tMs` itself when it is up, else the end of the merged outage. */
  upAt(tMs: number): number {
    let end = tMs;
    for (;;) {
      const covering = this.#containing(end);
      if (covering.length === 0) return end;
      end = Math.max(...covering.map((i) => i.endMs));
    }
  }

  /** The first outage start strictly after `tMs`; null when there are no outages at all. */
  nextDownAt(tMs: number): number | null {
    const candidates: number[] = [];
    const p = this.#periodic;
    if (p !== null) {
      const k = Math.max(0, Math.floor(tMs / p.everyMs));
      const here = this.periodicOutage(k);
      const next = this.periodicOutage(k + 1);
      if (here !== null && here.startMs > tMs) candidates.push(here.startMs);
      else if (next !== null) candidates.push(next.startMs);
    }
    if (this.#random !== null) {
      this.#generateRandomThrough(tMs);
      const next = this.#randomIntervals.find((i) => i.startMs > tMs);
      if (next !== undefined) candidates.push(next.startMs);
    }
    return candidates.length === 0 ? null : Math.min(...candidates);
  }

  /** The next time the link changes state after `tMs` (null: it never will). */
  nextChangeAt(tMs: number): number | null {
    return this.isDown(tMs) ? this.upAt(tMs) : this.nextDownAt(tMs);
  }

  /** The merged outages overlapping [fromMs, toMs), clipped to it. */
  outagesBetween(fromMs: number, toMs: number): Interval[] {
    const out: Interval[] = [];
    let t = fromMs;
    while (t < toMs) {
      if (this.isDown(t)) {
        const end = this.upAt(t);
        out.push({ startMs: t, endMs: Math.min(end, toMs) });
        t = end;
      } else {
        const next = this.nextDownAt(t);
        if (next === null) break;
        t = next;
      }
    }
    return out;
  }

  #containing(tMs: number): Interval[] {
    const hits: Interval[] = [];
    const p = this.#periodic;
    if (p !== null && tMs >= 0) {
      const here = this.periodicOutage(Math.floor(tMs / p.everyMs));
      if (here !== null && here.startMs <= tMs && tMs < here.endMs) hits.push(here);
    }
    if (this.#random !== null) {
      this.#generateRandomThrough(tMs);
      for (const i of this.#randomIntervals) {
        if (i.startMs > tMs) break;
        if (tMs < i.endMs) hits.push(i);
      }
    }
    return hits;
  }

  #generateRandomThrough(tMs: number): void {
    const r = this.#random;
    if (r === null) return;
    const meanGapMs = 3_600_000 / r.perHour;
    let last = this.#randomIntervals.at(-1);
    while (last === undefined || last.startMs <= tMs) {
      const gapMs = Math.max(1, Math.round(-Math.log(1 - this.#randomRng()) * meanGapMs));
      const startMs = (last?.endMs ?? 0) + gapMs;
      last = { startMs, endMs: startMs + between(this.#randomRng, r.forMinMs, r.forMaxMs) };
      this.#randomIntervals.push(last);
    }
  }
}
