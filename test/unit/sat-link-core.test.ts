/**
 * The sat-link shaping core with an injected clock: token-bucket arithmetic, delivery
 * times, outage-schedule boundaries and determinism per seed. No sockets, no timers.
 */
import { describe, expect, it } from 'vitest';
import { LinkCore } from '../../tools/sat-link/link-core.ts';
import { OutageSchedule } from '../../tools/sat-link/outage-schedule.ts';
import { PROFILE_NAMES, PROFILES, resolveProfile } from '../../tools/sat-link/profiles.ts';
import type { LinkProfile } from '../../tools/sat-link/profiles.ts';
import { TokenBucket } from '../../tools/sat-link/token-bucket.ts';

const capped = (overrides: Partial<LinkProfile> = {}): LinkProfile =>
  resolveProfile('perfect', { oneWayLatencyMs: 300, upBitsPerSecond: 80_000, downBitsPerSecond: 800_000, segmentBytes: 1000, ...overrides });

describe('TokenBucket', () => {
  it('with no burst is a serializer: n bytes at r bit/s leave n·8/r s later, back to back', () => {
    const b = new TokenBucket(8000, 0); // 1000 bytes per second
    expect(b.reserve(0, 500)).toBe(500);
    expect(b.reserve(0, 500)).toBe(1000); // queued behind the first
    expect(b.reserve(2000, 100)).toBe(2100); // idle time is not banked beyond the burst
  });

  it('a full bucket lets its burst go at once, then charges the rest at the rate', () => {
    const b = new TokenBucket(8000, 8000); // 1000-byte burst
    expect(b.tokensAt(0)).toBe(8000);
    expect(b.reserve(0, 1000)).toBe(0);
    expect(b.tokensAt(0)).toBe(0);
    expect(b.reserve(0, 1000)).toBe(1000);
    expect(b.tokensAt(500)).toBe(-4000);
    expect(b.tokensAt(1500)).toBe(4000);
    expect(b.tokensAt(60_000)).toBe(8000); // refill stops at the burst
  });

  it('a clock that goes back is read as the latest time seen', () => {
    const b = new TokenBucket(8000, 0);
    expect(b.reserve(1000, 100)).toBe(1100);
    expect(b.reserve(0, 100)).toBe(1200);
  });

  it('B bits never finish before (B − burst)/rate, however they are split', () => {
    for (const split of [1, 7, 100, 1000]) {
      const b = new TokenBucket(256_000, 4096 * 8);
      const total = 200_000;
      let last = 0;
      for (let sent = 0; sent < total; sent += split) last = b.reserve(sent / 100, Math.min(split, total - sent));
      expect(last).toBeGreaterThanOrEqual(((total - 4096) * 8 * 1000) / 256_000 - 1e-6);
    }
  });

  it('rejects nonsense rates', () => {
    expect(() => new TokenBucket(0, 0)).toThrow(RangeError);
    expect(() => new TokenBucket(1, -1)).toThrow(RangeError);
  });
});

describe('LinkCore delivery times', () => {
  it('a chunk is delivered at serialization end + one-way latency, cut into segments', () => {
    const core = new LinkCore(capped(), 1);
    // up: 80 kbit/s = 10 bytes/ms; 2500 bytes in segments of 1000 → leave at 100, 200, 250 ms.
    expect(core.planDelivery('up', 0, 2500)).toEqual([
      { length: 1000, deliverAtMs: 400 },
      { length: 1000, deliverAtMs: 500 },
      { length: 500, deliverAtMs: 550 },
    ]);
  });

  it('each direction has its own bucket, shared by every connection on the link', () => {
    const core = new LinkCore(capped(), 1);
    expect(core.planDelivery('up', 0, 1000)[0]?.deliverAtMs).toBe(400);
    expect(core.planDelivery('down', 0, 1000)[0]?.deliverAtMs).toBe(310); // 800 kbit/s
    expect(core.planDelivery('up', 0, 1000)[0]?.deliverAtMs).toBe(500); // behind the first up chunk
  });

  it('nothing arrives before arrival + latency, and deliveries never go out of order', () => {
    const core = new LinkCore(capped({ burstBytes: 3000 }), 7);
    let previous = -Infinity;
    for (let t = 0; t < 5000; t += 37) {
      for (const s of core.planDelivery('down', t, 1 + ((t * 13) % 2500))) {
        expect(s.deliverAtMs).toBeGreaterThanOrEqual(t + 300);
        expect(s.deliverAtMs).toBeGreaterThanOrEqual(previous);
        previous = s.deliverAtMs;
      }
    }
  });

  it('perfect delivers at once, in one piece', () => {
    const core = new LinkCore(PROFILES.perfect, 1);
    expect(core.planDelivery('up', 12, 1_000_000)).toEqual([{ length: 1_000_000, deliverAtMs: 12 }]);
    expect(core.planDelivery('up', 12, 0)).toEqual([]);
  });

  it('bytes admitted during a scheduled outage start crossing when it ends', () => {
    const core = new LinkCore(capped({ periodicOutage: { everyMs: 10_000, forMinMs: 2000, forMaxMs: 2000 } }), 1);
    expect(core.isDown(8500)).toBe(true);
    expect(core.planDelivery('up', 8500, 100)).toEqual([{ length: 100, deliverAtMs: 10_000 + 10 + 300 }]);
  });

  it('held bytes come out no earlier than link-up + latency, and never earlier than planned', () => {
    const core = new LinkCore(capped(), 1);
    expect(core.resumeAt(5000, 1000)).toBe(5300);
    expect(core.resumeAt(5000, 9000)).toBe(9000);
  });

  it('a forced outage holds until lifted and hides the schedule', () => {
    const core = new LinkCore(capped({ periodicOutage: { everyMs: 10_000, forMinMs: 1000, forMaxMs: 1000 } }), 1);
    expect(core.isDown(0)).toBe(false);
    expect(core.nextChangeAt(0)).toBe(9000);
    core.setForcedDown(true);
    expect(core.isDown(0)).toBe(true);
    expect(core.nextChangeAt(0)).toBeNull();
    expect(core.openConnection(0).isRefused).toBe(true);
    core.setForcedDown(false);
    expect(core.isDown(0)).toBe(false);
    expect(core.openConnection(0).isRefused).toBe(false);
  });

  it('stalled connections are reset stallResetMs after the link went down, or never', () => {
    expect(new LinkCore(capped({ stallResetMs: 20_000 }), 1).stallResetAt(5000)).toBe(25_000);
    expect(new LinkCore(capped({ stallResetMs: null }), 1).stallResetAt(5000)).toBeNull();
  });
});

describe('OutageSchedule', () => {
  const fixed = new OutageSchedule({ everyMs: 120_000, forMinMs: 30_000, forMaxMs: 30_000 }, null, 1);

  it('every P s an outage of D s: down on [k·P + P − D, (k+1)·P), up at the boundaries', () => {
    expect(fixed.isDown(0)).toBe(false);
    expect(fixed.isDown(89_999)).toBe(false);
    expect(fixed.isDown(90_000)).toBe(true);
    expect(fixed.isDown(119_999)).toBe(true);
    expect(fixed.isDown(120_000)).toBe(false);
    expect(fixed.isDown(210_000)).toBe(true);
    expect(fixed.upAt(95_000)).toBe(120_000);
    expect(fixed.upAt(50_000)).toBe(50_000);
    expect(fixed.nextDownAt(0)).toBe(90_000);
    expect(fixed.nextDownAt(90_000)).toBe(210_000);
    expect(fixed.nextChangeAt(100_000)).toBe(120_000);
  });

  it('the down share of a long window is D/P', () => {
    const outages = fixed.outagesBetween(0, 1_200_000);
    expect(outages).toHaveLength(10);
    expect(outages.reduce((sum, o) => sum + o.endMs - o.startMs, 0)).toBe(300_000);
  });

  it('variable durations stay inside [forMin, forMax] and vary by cycle', () => {
    const s = new OutageSchedule(PROFILES['starlink-obstructed'].periodicOutage, null, 42);
    const durations = s.outagesBetween(0, 6_000_000).map((o) => o.endMs - o.startMs);
    expect(durations).toHaveLength(100);
    for (const d of durations) {
      expect(d).toBeGreaterThanOrEqual(5000);
      expect(d).toBeLessThanOrEqual(15_000);
    }
    expect(new Set(durations).size).toBeGreaterThan(10);
  });

  it('random outages average the requested rate', () => {
    const s = new OutageSchedule(null, { perHour: 6, forMinMs: 10_000, forMaxMs: 20_000 }, 3);
    const hours = 200;
    const outages = s.outagesBetween(0, hours * 3_600_000);
    expect(outages.length / hours).toBeGreaterThan(5);
    expect(outages.length / hours).toBeLessThan(7);
    for (const o of outages.slice(0, -1)) expect(o.endMs - o.startMs).toBeGreaterThanOrEqual(10_000);
  });

  it('is a function of (seed, t): same seed same outages, whatever the query order; other seed differs', () => {
    const random = { perHour: 30, forMinMs: 1000, forMaxMs: 9000 };
    const periodic = { everyMs: 60_000, forMinMs: 5000, forMaxMs: 15_000 };
    const a = new OutageSchedule(periodic, random, 9);
    const b = new OutageSchedule(periodic, random, 9);
    const probes = Array.from({ length: 400 }, (_, i) => i * 9_001);
    const forward = probes.map((t) => a.isDown(t));
    const backward = [...probes].reverse().map((t) => b.isDown(t)).reverse();
    expect(backward).toEqual(forward);
    expect(new OutageSchedule(periodic, random, 10).outagesBetween(0, 3_600_000)).not.toEqual(a.outagesBetween(0, 3_600_000));
  });

  it('overlapping periodic and random outages merge: upAt is when both are over', () => {
    const s = new OutageSchedule({ everyMs: 60_000, forMinMs: 10_000, forMaxMs: 10_000 }, { perHour: 120, forMinMs: 5000, forMaxMs: 30_000 }, 5);
    const broken: string[] = [];
    let downProbes = 0;
    for (let t = 0; t < 3_600_000; t += 997) {
      const isDown = s.isDown(t);
      if (isDown) downProbes++;
      const up = s.upAt(t);
      if (s.isDown(up) || (isDown ? up <= t : up !== t)) broken.push(`upAt(${t}) = ${up}`);
      const next = s.nextChangeAt(t) ?? Infinity;
      if (!(next > t) || s.isDown(next) === isDown || s.isDown(next - 1) !== isDown) broken.push(`nextChangeAt(${t}) = ${next}`);
    }
    expect(broken).toEqual([]);
    expect(downProbes).toBeGreaterThan(100);
  });

  it('without outages the link is always up and never changes', () => {
    const s = new OutageSchedule(null, null, 1);
    expect(s.isDown(123)).toBe(false);
    expect(s.nextChangeAt(123)).toBeNull();
  });
});

describe('connection resets', () => {
  const doomed = capped({ resetProbability: 0.3, resetAfterMinBytes: 100, resetAfterMaxBytes: 5000 });

  it('are the same for the same seed and differ for another', () => {
    const plans = (seed: number): (number | null)[] => {
      const core = new LinkCore(doomed, seed);
      return Array.from({ length: 200 }, () => core.openConnection(0).resetAfterBytes);
    };
    expect(plans(4)).toEqual(plans(4));
    expect(plans(5)).not.toEqual(plans(4));
  });

  it('hit about p of connections, after a byte count inside the range', () => {
    const core = new LinkCore(doomed, 11);
    const plans = Array.from({ length: 2000 }, () => core.openConnection(0));
    expect(plans.map((p) => p.index)).toEqual(plans.map((_, i) => i));
    const resets = plans.flatMap((p) => (p.resetAfterBytes === null ? [] : [p.resetAfterBytes]));
    expect(resets.length / plans.length).toBeGreaterThan(0.25);
    expect(resets.length / plans.length).toBeLessThan(0.35);
    for (const r of resets) {
      expect(r).toBeGreaterThanOrEqual(100);
      expect(r).toBeLessThanOrEqual(5000);
    }
  });

  it('p = 0 never resets, p = 1 always does', () => {
    const never = new LinkCore(capped({ resetProbability: 0 }), 1);
    const always = new LinkCore(capped({ resetProbability: 1 }), 1);
    for (let i = 0; i < 100; i++) {
      expect(never.openConnection(0).resetAfterBytes).toBeNull();
      expect(always.openConnection(0).resetAfterBytes).not.toBeNull();
    }
  });
});

describe('profiles', () => {
  it('carry the nominal figures', () => {
    expect(PROFILES.geo).toMatchObject({ oneWayLatencyMs: 300, upBitsPerSecond: 256_000, downBitsPerSecond: 1_000_000 });
    expect(PROFILES.bgan).toMatchObject({ oneWayLatencyMs: 400, upBitsPerSecond: 384_000, downBitsPerSecond: 384_000 });
    expect(PROFILES['starlink-obstructed']).toMatchObject({
      oneWayLatencyMs: 20,
      upBitsPerSecond: 10_000_000,
      downBitsPerSecond: 50_000_000,
      periodicOutage: { everyMs: 60_000, forMinMs: 5000, forMaxMs: 15_000 },
    });
    expect(PROFILES.perfect).toMatchObject({ oneWayLatencyMs: 0, upBitsPerSecond: null, downBitsPerSecond: null, resetProbability: 0 });
    for (const name of PROFILE_NAMES) expect(resolveProfile(name)).toEqual(PROFILES[name]);
  });

  it('overrides apply and nonsense is refused', () => {
    expect(resolveProfile('geo', { resetProbability: 0.05 }).resetProbability).toBe(0.05);
    expect(() => resolveProfile('geo', { resetProbability: 2 })).toThrow(RangeError);
    expect(() => resolveProfile('geo', { periodicOutage: { everyMs: 10, forMinMs: 10, forMaxMs: 10 } })).toThrow(RangeError);
    expect(() => resolveProfile('geo', { upBitsPerSecond: 0 })).toThrow(RangeError);
  });
});
