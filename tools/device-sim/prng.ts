/**
 * Seeded randomness for the device simulator (no Math.random anywhere in tools/device-sim).
 * Guarantees: `mulberry32(seed)` yields the same sequence of floats in [0, 1) for the same
 * seed on every platform; `seedOf(...parts)` maps the same parts to the same 32-bit seed,
 * so independent streams (one per tablet-day, per well, per photo) stay reproducible no
 * matter in which order the simulator draws from them.
 */

/** A source of floats in [0, 1). */
export type Rng = () => number;

export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A 32-bit seed from the parts (FNV-1a over their text, then an avalanche mix). */
export function seedOf(...parts: readonly (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    const text = `${String(part)}\u001f`;
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A fresh stream for the parts. */
export function rngOf(...parts: readonly (string | number)[]): Rng {
  return mulberry32(seedOf(...parts));
}

/** A whole number in [min, max]. */
export function intBetween(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

/** A float in [min, max). */
export function floatBetween(rng: Rng, min: number, max: number): number {
  return min + rng() * (max - min);
}

/** True with probability p. */
export function chance(rng: Rng, p: number): boolean {
  return rng() < p;
}

/** One element of a non-empty list. */
export function pick<T>(rng: Rng, items: readonly T[]): T {
  const item = items[Math.floor(rng() * items.length)];
  if (item === undefined) throw new RangeError('pick needs a non-empty list');
  return item;
}

/** An approximately normal draw (Irwin–Hall, 4 uniforms) with the given mean and deviation. */
export function gaussian(rng: Rng, mean: number, sd: number): number {
  const sum = rng() + rng() + rng() + rng();
  return mean + (sum - 2) * Math.sqrt(3) * sd;
}

/** Rounds to `digits` decimals. */
export function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
