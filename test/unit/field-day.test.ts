/**
 * fieldDay (protocol §1): local date in the station's zone, minus one day before
 * gaugeDayStartHour — on 23- and 25-hour days, in zones with 30/45-minute offsets, and
 * always equal to a slow reference that asks Intl afresh for every instant.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FieldDaySettings } from '../../src/shared/events/types.ts';
import { addDays, fieldDay, isValidTimeZone } from '../../src/shared/time/field-day.ts';

const at = (iso: string): number => Date.parse(iso);
const denver7: FieldDaySettings = { timeZone: 'America/Denver', gaugeDayStartHour: 7 };
const chicago7: FieldDaySettings = { timeZone: 'America/Chicago', gaugeDayStartHour: 7 };
const newYork6: FieldDaySettings = { timeZone: 'America/New_York', gaugeDayStartHour: 6 };
const losAngeles0: FieldDaySettings = { timeZone: 'America/Los_Angeles', gaugeDayStartHour: 0 };

/** Slow, independent reference: a fresh formatter per call, calendar arithmetic by Date. */
function referenceFieldDay(instantMs: number, settings: FieldDaySettings): string {
  const formatter = new Intl.DateTimeFormat('en-US', {
    timeZone: settings.timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
  });
  const parts = Object.fromEntries(formatter.formatToParts(new Date(instantMs)).map((p) => [p.type, p.value]));
  const hour = Number(parts['hour']) % 24;
  const shift = hour < settings.gaugeDayStartHour ? 1 : 0;
  const date = new Date(Date.UTC(Number(parts['year']), Number(parts['month']) - 1, Number(parts['day']) - shift));
  return date.toISOString().slice(0, 10);
}

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** Offset (minutes) at an instant; only used to find the transitions the properties aim at. */
function offsetMinutes(timeZone: string, instantMs: number): number {
  let formatter = offsetFormatters.get(timeZone);
  if (formatter === undefined) {
    const options = { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' } as const;
    formatter = new Intl.DateTimeFormat('en-US', options);
    offsetFormatters.set(timeZone, formatter);
  }
  const p = Object.fromEntries(formatter.formatToParts(new Date(instantMs)).map((x) => [x.type, x.value]));
  const local = Date.UTC(Number(p['year']), Number(p['month']) - 1, Number(p['day']), Number(p['hour']) % 24, Number(p['minute']));
  return Math.round((local - Math.floor(instantMs / 60_000) * 60_000) / 60_000);
}

/** Offset changes between fromMs and toMs, to the minute (weekly scan, then bisection). */
function transitionsOf(timeZone: string, fromMs: number, toMs: number): number[] {
  const found: number[] = [];
  const step = 7 * 86_400_000;
  let previous = offsetMinutes(timeZone, fromMs);
  for (let t = fromMs + step; t <= toMs; t += step) {
    const offset = offsetMinutes(timeZone, t);
    if (offset === previous) continue;
    let lo = t - step;
    let hi = t;
    while (hi - lo > 60_000) {
      const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
      if (offsetMinutes(timeZone, mid) === previous) lo = mid;
      else hi = mid;
    }
    found.push(hi);
    previous = offset;
  }
  return found;
}

describe('fieldDay on the US spring-forward day (America/Denver, 2026-03-08, start hour 7)', () => {
  it('07:20 MDT (13:20Z) belongs to that day — a fixed MST offset would say 06:20', () => {
    expect(fieldDay(at('2026-03-08T13:20:00.000Z'), denver7)).toBe('2026-03-08');
  });
  it('06:50 MDT (12:50Z) on spring-forward day belongs to the previous field day', () => {
    expect(fieldDay(at('2026-03-08T12:50:00.000Z'), denver7)).toBe('2026-03-07');
  });
  it('03:30 MDT (09:30Z), just after the jump, belongs to the previous field day', () => {
    expect(fieldDay(at('2026-03-08T09:30:00.000Z'), denver7)).toBe('2026-03-07');
  });
  it('06:50 MST the day before (2026-03-07T13:50Z) belongs to 2026-03-06', () => {
    expect(fieldDay(at('2026-03-07T13:50:00.000Z'), denver7)).toBe('2026-03-06');
  });
  it('07:00:00.000 MDT starts the field day; 06:59:59.999 is still the previous one', () => {
    expect(fieldDay(at('2026-03-08T13:00:00.000Z'), denver7)).toBe('2026-03-08');
    expect(fieldDay(at('2026-03-08T12:59:59.999Z'), denver7)).toBe('2026-03-07');
  });
});

describe('fieldDay on the US fall-back day (America/Denver, 2026-11-01, start hour 7)', () => {
  it('06:45 MST (13:45Z) belongs to the previous field day — a fixed MDT offset would say 07:45', () => {
    expect(fieldDay(at('2026-11-01T13:45:00.000Z'), denver7)).toBe('2026-10-31');
  });
  it('07:10 MST (14:10Z) belongs to that day', () => {
    expect(fieldDay(at('2026-11-01T14:10:00.000Z'), denver7)).toBe('2026-11-01');
  });
  it('both 01:30s (01:30 MDT = 07:30Z and 01:30 MST = 08:30Z) belong to the previous field day', () => {
    expect(fieldDay(at('2026-11-01T07:30:00.000Z'), denver7)).toBe('2026-10-31');
    expect(fieldDay(at('2026-11-01T08:30:00.000Z'), denver7)).toBe('2026-10-31');
  });
  it('07:10 MDT the day before (2026-10-31T13:10Z) belongs to 2026-10-31', () => {
    expect(fieldDay(at('2026-10-31T13:10:00.000Z'), denver7)).toBe('2026-10-31');
  });
  it('an ordinary summer day: 06:50 MDT is the previous day, 07:05 MDT the same day', () => {
    expect(fieldDay(at('2026-06-12T12:50:00.000Z'), denver7)).toBe('2026-06-11');
    expect(fieldDay(at('2026-06-12T13:05:00.000Z'), denver7)).toBe('2026-06-12');
  });
});

describe('fieldDay in America/Chicago on its 2026 DST days (start hour 7)', () => {
  it('spring forward (08:00Z): 01:59 CST and 06:59 CDT are the previous day, 07:00 CDT is that day', () => {
    expect(fieldDay(at('2026-03-08T07:59:00.000Z'), chicago7)).toBe('2026-03-07');
    expect(fieldDay(at('2026-03-08T11:59:59.999Z'), chicago7)).toBe('2026-03-07');
    expect(fieldDay(at('2026-03-08T12:00:00.000Z'), chicago7)).toBe('2026-03-08');
  });
  it('fall back (07:00Z): both 01:30s and 06:59 CST are the previous day, 07:00 CST is that day', () => {
    expect(fieldDay(at('2026-11-01T06:30:00.000Z'), chicago7)).toBe('2026-10-31');
    expect(fieldDay(at('2026-11-01T07:30:00.000Z'), chicago7)).toBe('2026-10-31');
    expect(fieldDay(at('2026-11-01T12:59:59.999Z'), chicago7)).toBe('2026-10-31');
    expect(fieldDay(at('2026-11-01T13:00:00.000Z'), chicago7)).toBe('2026-11-01');
  });
});

describe('fieldDay in America/New_York with start hour 6', () => {
  it('06:15 EDT on 2026-03-08 is that day; 05:55 EDT the day before', () => {
    expect(fieldDay(at('2026-03-08T10:15:00.000Z'), newYork6)).toBe('2026-03-08');
    expect(fieldDay(at('2026-03-08T09:55:00.000Z'), newYork6)).toBe('2026-03-07');
  });
  it('05:40 EST on 2026-11-01 is the day before; 06:05 EST that day', () => {
    expect(fieldDay(at('2026-11-01T10:40:00.000Z'), newYork6)).toBe('2026-10-31');
    expect(fieldDay(at('2026-11-01T11:05:00.000Z'), newYork6)).toBe('2026-11-01');
  });
});

describe('fieldDay in America/Los_Angeles with start hour 0 is the plain local date', () => {
  it('local midnight starts the day on both DST days', () => {
    expect(fieldDay(at('2026-03-08T07:59:59.999Z'), losAngeles0)).toBe('2026-03-07');
    expect(fieldDay(at('2026-03-08T08:00:00.000Z'), losAngeles0)).toBe('2026-03-08');
    expect(fieldDay(at('2026-03-09T06:59:59.999Z'), losAngeles0)).toBe('2026-03-08');
    expect(fieldDay(at('2026-03-09T07:00:00.000Z'), losAngeles0)).toBe('2026-03-09');
    expect(fieldDay(at('2026-11-01T06:59:59.999Z'), losAngeles0)).toBe('2026-10-31');
    expect(fieldDay(at('2026-11-01T07:00:00.000Z'), losAngeles0)).toBe('2026-11-01');
    expect(fieldDay(at('2026-11-02T07:59:59.999Z'), losAngeles0)).toBe('2026-11-01');
    expect(fieldDay(at('2026-11-02T08:00:00.000Z'), losAngeles0)).toBe('2026-11-02');
  });
});

describe('fieldDay in zones with 30- and 45-minute offsets', () => {
  it('Asia/Kathmandu (+05:45): the day turns at 01:15Z with start hour 7 and at 18:15Z with start hour 0', () => {
    const kathmandu = (gaugeDayStartHour: number): FieldDaySettings => ({ timeZone: 'Asia/Kathmandu', gaugeDayStartHour });
    expect(fieldDay(at('2026-06-12T01:14:59.999Z'), kathmandu(7))).toBe('2026-06-11');
    expect(fieldDay(at('2026-06-12T01:15:00.000Z'), kathmandu(7))).toBe('2026-06-12');
    expect(fieldDay(at('2026-06-11T18:14:59.999Z'), kathmandu(0))).toBe('2026-06-11');
    expect(fieldDay(at('2026-06-11T18:15:00.000Z'), kathmandu(0))).toBe('2026-06-12');
  });
  it('Australia/Adelaide fall-back at 16:30Z: both 02:30s of 2026-04-05 are the previous day with start hour 3', () => {
    const adelaide3: FieldDaySettings = { timeZone: 'Australia/Adelaide', gaugeDayStartHour: 3 };
    expect(fieldDay(at('2026-04-04T16:00:00.000Z'), adelaide3)).toBe('2026-04-04'); // 02:30 ACDT
    expect(fieldDay(at('2026-04-04T17:00:00.000Z'), adelaide3)).toBe('2026-04-04'); // 02:30 ACST
    expect(fieldDay(at('2026-04-04T17:30:00.000Z'), adelaide3)).toBe('2026-04-05'); // 03:00 ACST
  });
  it('Australia/Adelaide spring-forward at 16:30Z: 01:59 ACST is the previous day, 03:00 ACDT that day', () => {
    const adelaide3: FieldDaySettings = { timeZone: 'Australia/Adelaide', gaugeDayStartHour: 3 };
    expect(fieldDay(at('2026-10-03T16:29:59.999Z'), adelaide3)).toBe('2026-10-03');
    expect(fieldDay(at('2026-10-03T16:30:00.000Z'), adelaide3)).toBe('2026-10-04');
  });
  it('every millisecond boundary around a half-hour transition matches the reference', () => {
    const adelaide2: FieldDaySettings = { timeZone: 'Australia/Adelaide', gaugeDayStartHour: 2 };
    for (let t = at('2026-10-03T15:00:00.000Z'); t <= at('2026-10-03T18:00:00.000Z'); t += 60_000) {
      for (const ms of [t - 1, t]) expect(fieldDay(ms, adelaide2)).toBe(referenceFieldDay(ms, adelaide2));
    }
  });
});

describe('fieldDay equals an uncached reference (fast-check)', () => {
  const ZONES = [
    'America/Denver',
    'America/Chicago',
    'America/New_York',
    'America/Los_Angeles',
    'America/St_Johns',
    'Europe/London',
    'Asia/Kathmandu',
    'Asia/Kolkata',
    'Australia/Adelaide',
    'Australia/Lord_Howe',
    'Pacific/Chatham',
    'UTC',
  ] as const;
  const FROM = Date.UTC(2020, 0, 1);
  const TO = Date.UTC(2030, 11, 31, 23, 59, 59, 999);

  it('for random instants in 2020–2030, zones and start hours', () => {
    fc.assert(
      fc.property(fc.integer({ min: FROM, max: TO }), fc.constantFrom(...ZONES), fc.integer({ min: 0, max: 23 }), (ms, timeZone, gaugeDayStartHour) => {
        const settings = { timeZone, gaugeDayStartHour };
        expect(fieldDay(ms, settings)).toBe(referenceFieldDay(ms, settings));
      }),
      { numRuns: 3000 },
    );
  });

  it('for instants within 3 hours of every DST transition of 2020–2030', () => {
    const transitions = ZONES.flatMap((timeZone) => transitionsOf(timeZone, FROM, TO).map((t) => [timeZone, t] as const));
    expect(transitions.length).toBeGreaterThan(150);
    fc.assert(
      fc.property(
        fc.constantFrom(...transitions),
        fc.integer({ min: -3 * 3_600_000, max: 3 * 3_600_000 }),
        fc.integer({ min: 0, max: 23 }),
        ([timeZone, transition], delta, gaugeDayStartHour) => {
          const settings = { timeZone, gaugeDayStartHour };
          const ms = transition + delta;
          expect(fieldDay(ms, settings)).toBe(referenceFieldDay(ms, settings));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('results do not depend on what was asked before (cache order, and more days than the cache holds)', () => {
    const settings: FieldDaySettings = { timeZone: 'America/Denver', gaugeDayStartHour: 7 };
    const instants = Array.from({ length: 10_500 }, (_, i) => at('2000-01-01T13:00:00.000Z') + i * 86_400_000 + (i % 24) * 3_600_000);
    const forward = instants.map((ms) => fieldDay(ms, settings));
    const backward = [...instants].reverse().map((ms) => fieldDay(ms, settings)).reverse();
    expect(backward).toEqual(forward);
    for (let i = 0; i < instants.length; i += 97) {
      const ms = instants[i] ?? 0;
      expect(forward[i]).toBe(referenceFieldDay(ms, settings));
    }
  });
});

describe('fieldDay far from today', () => {
  it('agrees with the reference across the 1883 railway-time change (Denver LMT −6:59:56 → MST)', () => {
    const settings: FieldDaySettings = { timeZone: 'America/Denver', gaugeDayStartHour: 12 };
    for (let t = at('1883-11-18T18:50:00.000Z'); t <= at('1883-11-18T19:10:00.000Z'); t += 1000) {
      expect(fieldDay(t, settings)).toBe(referenceFieldDay(t, settings));
    }
  });
  it('handles the first and last instants a wire event can name', () => {
    expect(fieldDay(at('9999-12-31T23:59:59.999Z'), { timeZone: 'UTC', gaugeDayStartHour: 0 })).toBe('9999-12-31');
    expect(fieldDay(at('9999-12-31T23:59:59.999Z'), { timeZone: 'Asia/Kathmandu', gaugeDayStartHour: 0 })).toBe('+010000-01-01');
    expect(fieldDay(at('0000-01-01T00:00:00.000Z'), { timeZone: 'UTC', gaugeDayStartHour: 0 })).toBe('0000-01-01');
    expect(fieldDay(at('0000-01-01T00:00:00.000Z'), { timeZone: 'America/Denver', gaugeDayStartHour: 0 })).toBe('-000001-12-31');
    expect(fieldDay(at('0001-01-01T20:00:00.000Z'), { timeZone: 'America/Denver', gaugeDayStartHour: 7 })).toBe('0001-01-01');
  });
});

describe('fieldDay rejects settings it cannot honour', () => {
  it('an unknown zone is a RangeError that names the zone', () => {
    expect(() => fieldDay(0, { timeZone: 'Mars/Olympus_Mons', gaugeDayStartHour: 7 })).toThrow(/Mars\/Olympus_Mons/);
  });
  it.each([-1, 24, 6.5, Number.NaN])('start hour %d is a RangeError', (gaugeDayStartHour) => {
    expect(() => fieldDay(0, { timeZone: 'UTC', gaugeDayStartHour })).toThrow(RangeError);
  });
  it('a non-finite instant is a RangeError', () => {
    expect(() => fieldDay(Number.NaN, denver7)).toThrow(RangeError);
  });
});

describe('isValidTimeZone', () => {
  it.each(['America/Denver', 'Asia/Kathmandu', 'UTC', 'Etc/GMT+7'])('knows %s', (tz) => {
    expect(isValidTimeZone(tz)).toBe(true);
  });
  it.each(['Mars/Olympus_Mons', '', '+05:00', 'Denver'])('does not know %j', (tz) => {
    expect(isValidTimeZone(tz)).toBe(false);
  });
});

describe('addDays', () => {
  it.each([
    ['2026-02-28', 1, '2026-03-01'],
    ['2028-02-28', 1, '2028-02-29'],
    ['2026-01-01', -1, '2025-12-31'],
    ['2026-03-08', 0, '2026-03-08'],
    ['2026-05-19', 365, '2027-05-19'],
    ['2000-03-01', -1, '2000-02-29'],
  ] as const)('%s %+d days is %s', (date, n, expected) => {
    expect(addDays(date, n)).toBe(expected);
  });
  it('is invertible and agrees with Date arithmetic', () => {
    fc.assert(
      fc.property(fc.integer({ min: -3650, max: 3650 }), fc.integer({ min: -100_000, max: 100_000 }), (start, n) => {
        const date = new Date(Date.UTC(2026, 0, 1) + start * 86_400_000).toISOString().slice(0, 10);
        const expected = new Date(Date.UTC(2026, 0, 1) + (start + n) * 86_400_000).toISOString().slice(0, 10);
        expect(addDays(date, n)).toBe(expected);
        expect(addDays(addDays(date, n), -n)).toBe(date);
      }),
    );
  });
  it('rejects a malformed date or a fractional count', () => {
    expect(() => addDays('2026-02-30', 1)).toThrow(RangeError);
    expect(() => addDays('2026-05-19', 0.5)).toThrow(RangeError);
  });
});
