/**
 * The simulator's workload: deterministic per seed, every event type, every payload valid
 * (validateEvent), realistic values in working hours, and the fleet's quirks (a skewed
 * clock, an undocked tablet, 5 % double visits, early starts before the gauge day).
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { recordKeyOf } from '../../src/shared/events/record-key.ts';
import { EVENT_TYPES } from '../../src/shared/events/types.ts';
import type { ParsedEvent } from '../../src/shared/events/types.ts';
import { validateEvent } from '../../src/shared/events/validate-event.ts';
import type { FleetPlan, TabletDay, WorkloadOptions } from '../../tools/device-sim/workload.ts';
import { DEFAULT_WORKLOAD, generateTabletDay, planFleet, SKEWED_CLOCK_MS } from '../../tools/device-sim/workload.ts';

const options: WorkloadOptions = { ...DEFAULT_WORKLOAD, runId: 'test' };
const settings = { timeZone: options.timeZone, gaugeDayStartHour: options.gaugeDayStartHour };

function allDays(plan: FleetPlan): TabletDay[] {
  const out: TabletDay[] = [];
  for (let t = 0; t < plan.tablets.length; t++) for (let d = 0; d < plan.dates.length; d++) out.push(generateTabletDay(plan, t, d));
  return out;
}

function fingerprint(days: readonly TabletDay[]): string {
  const h = createHash('sha256');
  for (const day of days) {
    h.update(JSON.stringify({ ...day, photos: day.photos.map((p) => p.sha256) }));
    for (const p of day.photos) h.update(p.bytes);
  }
  return h.digest('hex');
}

function timeOf(e: ParsedEvent): string {
  switch (e.type) {
    case 'PRODUCTION_LOGGED':
    case 'WELL_READING_RECORDED':
      return e.payload.measuredAt;
    case 'EQUIPMENT_INSPECTED':
      return e.payload.inspectedAt;
    case 'EQUIPMENT_REPAIRED':
      return e.payload.repairedAt;
    case 'WELL_STATUS_CHANGED':
      return e.payload.effectiveAt;
    case 'NOTES_ADDED':
      return e.payload.notedAt;
    case 'PHOTO_ATTACHED':
      return e.payload.takenAt;
  }
}

const localClock = new Intl.DateTimeFormat('en-US', { timeZone: 'America/Chicago', hourCycle: 'h23', hour: 'numeric', minute: 'numeric' });
function localMinutes(ms: number): number {
  const parts = localClock.formatToParts(ms);
  return Number(parts.find((p) => p.type === 'hour')?.value) * 60 + Number(parts.find((p) => p.type === 'minute')?.value);
}

const plan = planFleet(options);
const days = allDays(plan);
const parsed = days.flatMap((day) =>
  day.events.map((raw) => {
    const v = validateEvent(raw);
    if (!v.ok) throw new Error(`${raw.id} is invalid: ${v.message}`);
    return { day, event: v.event };
  }),
);

describe('device-sim workload', () => {
  it('is deterministic per seed and differs between seeds', () => {
    const again = planFleet(options);
    expect(again).toEqual(plan);
    expect(fingerprint(allDays(again))).toBe(fingerprint(days));
    const other = planFleet({ ...options, seed: 2 });
    expect(fingerprint(allDays(other))).not.toBe(fingerprint(days));
    // The run id changes ids only.
    const renamed = generateTabletDay(planFleet({ ...options, runId: 'other' }), 0, 0);
    expect(renamed.events.map((e) => e.payload)).toEqual(days[0]?.events.map((e) => e.payload));
    expect(renamed.events[0]?.id).not.toBe(days[0]?.events[0]?.id);
  });

  it('produces every event type, every payload valid, ids unique', () => {
    const types = new Set(parsed.map((p) => p.event.type));
    expect([...types].sort()).toEqual([...EVENT_TYPES].sort());
    const ids = parsed.map((p) => p.event.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(parsed.length).toBeGreaterThan(2000);
    for (const { event } of parsed) expect(() => recordKeyOf(event, settings)).not.toThrow();
  });

  it('uses realistic values', () => {
    const production = parsed.flatMap((p) => (p.event.type === 'PRODUCTION_LOGGED' ? [p.event.payload] : []));
    const active = production.filter((p) => p.hoursOn === 24);
    expect(active.filter((p) => p.oilBbl >= 50 && p.oilBbl <= 600).length / active.length).toBeGreaterThan(0.9);
    expect(active.filter((p) => p.gasMcf >= 100 && p.gasMcf <= 2000).length / active.length).toBeGreaterThan(0.9);
    for (const p of production) expect(p.hoursOn ?? 24).toBeLessThanOrEqual(24);
    const inspections = parsed.flatMap((p) => (p.event.type === 'EQUIPMENT_INSPECTED' ? [p.event.payload] : []));
    expect(new Set(inspections.map((i) => i.result))).toEqual(new Set(['PASS', 'FAIL', 'NEEDS_ATTENTION']));
    expect(inspections.filter((i) => i.result === 'PASS').length / inspections.length).toBeGreaterThan(0.6);
    const failing = (i: (typeof inspections)[number]): boolean => Object.values(i.checklist ?? {}).includes('FAIL');
    expect(inspections.filter((i) => i.result === 'FAIL' && !failing(i))).toEqual([]);
    expect(inspections.filter((i) => i.result === 'PASS' && failing(i))).toEqual([]);
    const units = new Set(parsed.flatMap((p) => (p.event.type === 'WELL_READING_RECORDED' ? [p.event.payload.unit] : [])));
    for (const u of ['psi', 'kPa', 'degF', 'degC', 'ft', 'in', 'm', 'bbl/d', 'mcf/d']) expect(units).toContain(u);
    const statuses = parsed.flatMap((p) => (p.event.type === 'WELL_STATUS_CHANGED' ? [p.event.payload.status] : []));
    expect(statuses).toContain('SHUT_IN');
  });

  it('attaches real PNG bytes to every photo event', () => {
    for (const day of days) {
      const blobs = new Map(day.photos.map((p) => [p.sha256, p]));
      const photoEvents = day.events.filter((e) => e.type === 'PHOTO_ATTACHED');
      expect(photoEvents.length).toBe(day.photos.length);
      for (const e of photoEvents) {
        const sha = e.payload['sha256'];
        const blob = typeof sha === 'string' ? blobs.get(sha) : undefined;
        expect(blob).toBeDefined();
        if (blob === undefined) continue;
        expect(createHash('sha256').update(blob.bytes).digest('hex')).toBe(e.payload['sha256']);
        expect(e.payload['bytes']).toBe(blob.bytes.length);
        expect(e.payload['mimeType']).toBe('image/png');
        expect(Buffer.from(blob.bytes.subarray(1, 4)).toString('latin1')).toBe('PNG');
      }
    }
  });

  it('works in America/Chicago working hours, one tablet an hour fast', () => {
    const skewed = plan.tablets.filter((t) => t.clockOffsetMs !== 0);
    expect(skewed.map((t) => t.clockOffsetMs)).toEqual([SKEWED_CLOCK_MS]);
    const offsetOf = new Map(plan.tablets.map((t) => [t.deviceId, t.clockOffsetMs]));
    const outOfHours = parsed.filter(({ day, event }) => {
      const minutes = localMinutes(Date.parse(timeOf(event)) - (offsetOf.get(day.deviceId) ?? 0));
      return minutes < 6 * 60 || minutes > 19 * 60;
    });
    expect(outOfHours.map(({ event }) => `${event.id} at ${timeOf(event)}`)).toEqual([]);
    expect(parsed.filter(({ event }) => !event.occurredAt.endsWith('Z') || Date.parse(event.occurredAt) < Date.parse(timeOf(event)))).toEqual([]);
    // The skewed tablet stamps an hour later than it really is: its days start after 08:00.
    const skewedFirst = days.filter((d) => d.deviceId === skewed[0]?.deviceId).map((d) => localMinutes(Date.parse(d.events[0]?.occurredAt ?? '')));
    for (const m of skewedFirst) expect(m).toBeGreaterThanOrEqual(7 * 60 + 20);
  });

  it('has some readings before the gauge day starts, which belong to the previous field day', () => {
    const early = parsed.filter(({ day, event }) => event.type === 'WELL_READING_RECORDED' && !recordKeyOf(event, settings).endsWith(day.date));
    expect(early.length).toBeGreaterThan(0);
    // Production logged before 07:00 names its productionDate, so it stays on the day.
    const sameDay = parsed.filter(({ event }) => event.type === 'PRODUCTION_LOGGED' && event.payload.notes !== 'Corrected after re-strapping tank 1');
    const keys = sameDay.map(({ event }) => recordKeyOf(event, settings));
    expect(keys).toEqual(sameDay.map(({ day, event }) => `production/${event.type === 'PRODUCTION_LOGGED' ? event.payload.wellId : ''}/${day.date}`));
  });

  it('keeps one tablet undocked for several days, docking on the last day', () => {
    const undocked = plan.tablets.filter((t) => t.undockedDays.length > 0);
    expect(undocked.length).toBe(1);
    expect(undocked[0]?.undockedDays.length).toBeGreaterThanOrEqual(2);
    for (const day of days) {
      const tablet = plan.tablets.find((t) => t.deviceId === day.deviceId);
      expect(day.docks).toBe(day.dayIndex === plan.dates.length - 1 || !(tablet?.undockedDays ?? []).includes(day.dayIndex));
    }
  });

  it('sends a second operator to about 5 % of well-days, who logs the same well-day', () => {
    const wellDays = plan.wells.length * plan.dates.length;
    expect(plan.doubleVisits.length / wellDays).toBeGreaterThan(0.02);
    expect(plan.doubleVisits.length / wellDays).toBeLessThan(0.09);
    for (const dv of plan.doubleVisits) {
      expect(dv.visitor).not.toBe(dv.owner);
      const key = `production/${dv.wellId}/${plan.dates[dv.dayIndex] ?? ''}`;
      const devicesOnKey = new Set(parsed.filter(({ event }) => event.type === 'PRODUCTION_LOGGED' && recordKeyOf(event, settings) === key).map((p) => p.day.deviceId));
      expect(devicesOnKey).toEqual(new Set([dv.owner, dv.visitor]));
    }
  });

  it('rejects bad options with a clear message', () => {
    expect(() => planFleet({ ...options, tablets: 0 })).toThrow(/tablets/);
    expect(() => planFleet({ ...options, startDate: '2026-02-30' })).toThrow(/startDate/);
    expect(() => planFleet({ ...options, runId: 'a/b' })).toThrow(/runId/);
  });
});
