/**
 * Link profiles for the satellite-link emulator. A profile is plain data: the shaping core
 * (`link-core.ts`) turns it into decisions, the proxy (`sat-link.ts`) into timers.
 *
 * Figures are the nominal ones from the issue: `geo` 600 ms RTT, 256 kbit/s up, 1 Mbit/s
 * down; `bgan` ~800 ms RTT, 384 kbit/s both ways; `starlink-obstructed` 40 ms RTT,
 * 10/50 Mbit/s with a 5–15 s obstruction every ~60 s; `perfect` shapes nothing.
 */

/** Every P ms the link drops for a duration drawn per cycle from [forMinMs, forMaxMs]. */
export interface PeriodicOutage {
  readonly everyMs: number;
  readonly forMinMs: number;
  readonly forMaxMs: number;
}

/** Outages starting at random (exponential gaps, mean `perHour` starts per hour of uptime). */
export interface RandomOutage {
  readonly perHour: number;
  readonly forMinMs: number;
  readonly forMaxMs: number;
}

export interface LinkProfile {
  readonly name: string;
  /** One-way latency: a byte is delivered no earlier than its arrival + this. */
  readonly oneWayLatencyMs: number;
  /** Client → target cap in bits per second; null = unlimited. */
  readonly upBitsPerSecond: number | null;
  /** Target → client cap in bits per second; null = unlimited. */
  readonly downBitsPerSecond: number | null;
  /** Token-bucket depth in bytes (what may leave back to back at once). 0 = pure serialization. */
  readonly burstBytes: number;
  /** Large chunks are cut into segments of at most this many bytes so they trickle out. */
  readonly segmentBytes: number;
  readonly periodicOutage: PeriodicOutage | null;
  readonly randomOutage: RandomOutage | null;
  /** Probability, per connection, that it is reset after a random number of bytes. */
  readonly resetProbability: number;
  /** The byte count (both directions together) after which a doomed connection is reset. */
  readonly resetAfterMinBytes: number;
  readonly resetAfterMaxBytes: number;
  /** Established connections stalled by an outage longer than this are reset; null = never. */
  readonly stallResetMs: number | null;
}

export const PROFILE_NAMES = ['geo', 'bgan', 'starlink-obstructed', 'perfect'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

const NO_FAULTS = {
  burstBytes: 0,
  segmentBytes: 4096,
  periodicOutage: null,
  randomOutage: null,
  resetProbability: 0,
  resetAfterMinBytes: 1024,
  resetAfterMaxBytes: 262_144,
  stallResetMs: 20_000,
} as const satisfies Partial<LinkProfile>;

export const PROFILES: Readonly<Record<ProfileName, LinkProfile>> = {
  geo: { ...NO_FAULTS, name: 'geo', oneWayLatencyMs: 300, upBitsPerSecond: 256_000, downBitsPerSecond: 1_000_000 },
  bgan: { ...NO_FAULTS, name: 'bgan', oneWayLatencyMs: 400, upBitsPerSecond: 384_000, downBitsPerSecond: 384_000 },
  'starlink-obstructed': {
    ...NO_FAULTS,
    name: 'starlink-obstructed',
    oneWayLatencyMs: 20,
    upBitsPerSecond: 10_000_000,
    downBitsPerSecond: 50_000_000,
    segmentBytes: 16_384,
    periodicOutage: { everyMs: 60_000, forMinMs: 5_000, forMaxMs: 15_000 },
  },
  perfect: { ...NO_FAULTS, name: 'perfect', oneWayLatencyMs: 0, upBitsPerSecond: null, downBitsPerSecond: null, stallResetMs: null },
};

export function isProfileName(value: string): value is ProfileName {
  return (PROFILE_NAMES as readonly string[]).includes(value);
}

export type ProfileOverrides = Partial<Omit<LinkProfile, 'name'>>;

/** The named (or given) profile with overrides applied, checked for sense. Throws RangeError. */
export function resolveProfile(base: ProfileName | LinkProfile, overrides: ProfileOverrides = {}): LinkProfile {
  const start = typeof base === 'string' ? PROFILES[base] : base;
  const profile: LinkProfile = { ...start, ...overrides };
  checkProfile(profile);
  return profile;
}

function checkProfile(p: LinkProfile): void {
  const fail = (what: string): never => {
    throw new RangeError(`sat-link profile "${p.name}": ${what}`);
  };
  if (!(p.oneWayLatencyMs >= 0)) fail('oneWayLatencyMs must be ≥ 0');
  for (const rate of [p.upBitsPerSecond, p.downBitsPerSecond]) if (rate !== null && !(rate > 0)) fail('bit rates must be > 0 or null');
  if (!(p.burstBytes >= 0)) fail('burstBytes must be ≥ 0');
  if (!Number.isInteger(p.segmentBytes) || p.segmentBytes < 1) fail('segmentBytes must be a whole number ≥ 1');
  if (!(p.resetProbability >= 0 && p.resetProbability <= 1)) fail('resetProbability must be in [0, 1]');
  if (!(p.resetAfterMinBytes >= 1 && p.resetAfterMaxBytes >= p.resetAfterMinBytes)) fail('need 1 ≤ resetAfterMinBytes ≤ resetAfterMaxBytes');
  if (p.stallResetMs !== null && !(p.stallResetMs >= 0)) fail('stallResetMs must be ≥ 0 or null');
  const po = p.periodicOutage;
  if (po !== null && !(po.everyMs > 0 && po.forMinMs > 0 && po.forMaxMs >= po.forMinMs && po.forMaxMs < po.everyMs)) {
    fail('periodic outage needs 0 < forMinMs ≤ forMaxMs < everyMs');
  }
  const ro = p.randomOutage;
  if (ro !== null && !(ro.perHour > 0 && ro.forMinMs > 0 && ro.forMaxMs >= ro.forMinMs)) fail('random outage needs perHour > 0 and 0 < forMinMs ≤ forMaxMs');
}
