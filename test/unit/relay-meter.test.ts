/** What the relay counts: bytes per UTC day and lane (kept across restarts), the link rate and the ETA of the queue. */
import { describe, expect, it } from 'vitest';
import { parseUsage, RelayMeter } from '../../src/main/station/relay/relay-meter.ts';

const queue = (q: Partial<Record<'critical' | 'production' | 'readings' | 'notes' | 'photos', number>>) => ({ critical: 0, production: 0, readings: 0, notes: 0, photos: 0, ...q });

describe('relay meter', () => {
  it('counts bytes per lane for the day, and starts a new day at zero', () => {
    const m = new RelayMeter();
    m.count('2026-11-29', 'critical', 100);
    m.count('2026-11-29', 'photos', 5_000);
    m.count('2026-11-29', 'photos', 0);
    m.count('2026-11-29', 'control', 500);
    expect(m.bytesToday('2026-11-29')).toBe(5_600);
    expect(m.bytesByLane('2026-11-29')).toEqual(queue({ critical: 100, photos: 5_000 }));
    expect(m.bytesToday('2026-11-30')).toBe(0);
  });

  it("keeps today's count across a restart through its snapshot, and ignores a malformed one", () => {
    const before = new RelayMeter();
    before.count('2026-11-29', 'readings', 4_096);
    const after = new RelayMeter();
    after.load(parseUsage(JSON.parse(JSON.stringify(before.snapshot()))));
    expect(after.bytesToday('2026-11-29')).toBe(4_096);
    expect(parseUsage({ day: 5 })).toBeNull();
    expect(parseUsage({ day: '2026-11-29', byLane: { readings: -1, notes: 'x', photos: 7 }, control: 12 })).toEqual({ day: '2026-11-29', byLane: queue({ photos: 7 }), control: 12 });
  });

  it('has no ETA before a request was measured, then estimates from bytes per item and the link rate', () => {
    const m = new RelayMeter();
    expect(m.etaSeconds(queue({ readings: 1_000 }))).toBeNull();
    // 32,000 bytes for 1,000 readings in one second: 32 B per item at 32 B/ms.
    m.measure('readings', 32_000, 1_000, 1_000);
    expect(m.etaSeconds(queue({ readings: 10_000 }))).toBe(10);
    // A lane never measured is estimated at the mean of the measured ones.
    expect(m.etaSeconds(queue({ notes: 1_000 }))).toBe(1);
    expect(m.etaSeconds(queue({}))).toBe(0);
  });
});
