/**
 * The simulated field: wells, routes, tablets and what their operators record each day.
 * Pure and deterministic: the same options give the same plan and the same events, byte
 * for byte (no clock, no Math.random). Record keys and baseVersions are not decided here:
 * the fleet adds baseVersions at dock time from what each tablet last pulled.
 *
 * The world:
 * - `tablets` tablets (tab-01 …), each with one operator and a route of `wellsPerRoute`
 *   wells (W-101 …); one in four wells is a gas well. A well's "truth" for a day (rates,
 *   gauges, the state of its equipment) comes from a stream of its own, so two operators
 *   at the same well on the same day read nearly the same numbers.
 * - Every working day (America/Chicago hours by default) each operator drives the route,
 *   visiting each well once for 20–40 minutes: production (oil 50–600 bbl, gas 100–2000
 *   mcf, water, hoursOn), 3–6 gauge readings, sometimes an inspection (PASS mostly,
 *   NEEDS_ATTENTION or FAIL now and then, with a checklist), repairs after a bad
 *   inspection (same visit or next day), notes, photos (small real PNGs), and rare status
 *   changes (SHUT_IN, back to ACTIVE a day or two later). Some days start before the
 *   gauge day does (06:20–06:50 local), so those readings belong to the previous field
 *   day. Now and then an operator fixes a typo minutes later, or corrects yesterday's
 *   production after re-strapping a tank.
 * - 5 % of well-days a second operator visits the same well (`doubleVisits`) and records
 *   its production (a quarter of them copy the owner's meter ticket: a confirmation), a
 *   tubing pressure, perhaps the same equipment's inspection, a note or a photo: the same
 *   well-day from two devices, so conflicts of every strategy.
 * - One tablet's clock runs an hour fast (`clockOffsetMs` 3,600,000): its occurredAt and
 *   every time it stamps are an hour ahead. One tablet stays undocked for several days
 *   (`undockedDays`) and docks with all of them at once.
 */
import type { EventType, WellStatus } from '../../src/shared/events/types.ts';
import type { Rng } from './prng.ts';
import { chance, floatBetween, gaussian, intBetween, pick, rngOf, round } from './prng.ts';
import { randomPhotoPng } from './png.ts';
import { isoOf, plusDays, zonedInstantMs } from './zoned-time.ts';
import { createHash } from 'node:crypto';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** An event as the tablet stores it, before the fleet adds `baseVersion` at dock time. */
export interface DraftEvent {
  id: string;
  type: EventType;
  operatorId: string;
  occurredAt: string;
  payload: JsonObject;
}

export interface PhotoBlob {
  sha256: string;
  mimeType: 'image/png';
  bytes: Uint8Array;
}

export interface WorkloadOptions {
  tablets: number;
  days: number;
  /** First field day, YYYY-MM-DD. */
  startDate: string;
  seed: number;
  wellsPerRoute: number;
  timeZone: string;
  gaugeDayStartHour: number;
  /** Makes event, photo and batch ids unique per run (the rest of the plan ignores it). */
  runId: string;
}

export const DEFAULT_WORKLOAD = {
  tablets: 6,
  days: 7,
  startDate: '2026-11-16',
  seed: 1,
  wellsPerRoute: 12,
  timeZone: 'America/Chicago',
  gaugeDayStartHour: 7,
} as const;

export const DOUBLE_VISIT_RATE = 0.05;
export const SKEWED_CLOCK_MS = 3_600_000;

export interface WellPlan {
  wellId: string;
  product: 'oil' | 'gas';
  /** Index of the tablet whose route holds the well. */
  owner: number;
  equipment: string[];
  oilBbl: number;
  gasMcf: number;
  waterBbl: number;
  tubingPsi: number;
  casingPsi: number;
  linePsi: number;
  tempF: number;
}

export interface TabletUnits {
  pressure: 'psi' | 'kPa';
  temperature: 'degF' | 'degC';
  level: 'ft' | 'in' | 'm';
}

export interface TabletPlan {
  index: number;
  deviceId: string;
  deviceName: string;
  operatorId: string;
  operatorName: string;
  /** How far the tablet's clock is ahead of true time (ms). */
  clockOffsetMs: number;
  units: TabletUnits;
  /** Well ids in driving order. */
  route: string[];
  /** Day indexes after which the tablet does not dock (it docks with everything later). */
  undockedDays: number[];
}

export interface DoubleVisit {
  dayIndex: number;
  wellId: string;
  /** deviceIds */
  owner: string;
  visitor: string;
}

export interface StatusChange {
  dayIndex: number;
  status: WellStatus;
  reason: string;
}

export interface FleetPlan {
  options: WorkloadOptions;
  dates: string[];
  wells: WellPlan[];
  tablets: TabletPlan[];
  doubleVisits: DoubleVisit[];
  /** wellId → its status changes, in day order. */
  statusChanges: Record<string, StatusChange[]>;
}

export interface TabletDay {
  deviceId: string;
  dayIndex: number;
  date: string;
  /** In the tablet's own order (occurredAt, then creation). */
  events: DraftEvent[];
  /** The bytes of every PHOTO_ATTACHED event of the day. */
  photos: PhotoBlob[];
  /** Whether the tablet docks at the end of this day. */
  docks: boolean;
}

const OPERATORS = [
  'Ana Ruiz',
  'Bill Harper',
  'Cody Tran',
  'Dana Whitfield',
  'Eli Navarro',
  'Faye Okafor',
  'Gus Lindqvist',
  'Hana Sato',
  'Ike Delgado',
  'June Pettersen',
  "Kit O'Brien",
  'Luz Márquez',
];

const CHECKLISTS: Record<string, readonly string[]> = {
  WH: ['Master valve', 'Wing valves', 'Pressure gauges', 'Choke', 'Leaks', 'Wellhead sign'],
  PJ: ['Belts', 'Gearbox oil level', 'Stuffing box', 'Polish rod', 'Guards in place', 'Brake'],
  SEP: ['Pressure relief valve', 'Level controller', 'Dump valve', 'Sight glass', 'Leaks'],
  TANK: ['Thief hatch sealed', 'Vent / PRV', 'Containment berm', 'Gauge hatch', 'Ladder and walkway', 'Signage'],
  HT: ['Burner', 'Firetube', 'Level control', 'Pressure relief valve', 'Stack'],
  COMP: ['Oil level', 'Belts', 'Vibration', 'Discharge temperature', 'Leaks', 'ESD test'],
  DEHY: ['Glycol level', 'Reboiler temperature', 'Pump', 'Still column', 'Leaks'],
};

const REPAIRS: Record<string, readonly { action: string; parts: readonly string[] }[]> = {
  WH: [
    { action: 'Greased and cycled wing valve', parts: ['Valve grease'] },
    { action: 'Replaced tubing pressure gauge', parts: ['Gauge 0–2000 psi, 1/2" NPT'] },
  ],
  PJ: [
    { action: 'Replaced V-belts and re-tensioned', parts: ['V-belt B75', 'V-belt B75'] },
    { action: 'Repacked stuffing box', parts: ['Packing rings 1-1/4"', 'Lubricator oil'] },
  ],
  SEP: [
    { action: 'Replaced dump valve trim', parts: ['Dump valve trim kit 2"'] },
    { action: 'Reset and recalibrated level controller', parts: [] },
  ],
  TANK: [
    { action: 'Replaced thief hatch gasket', parts: ['Thief hatch gasket 8"'] },
    { action: 'Cleared vent line and tested PRV', parts: [] },
  ],
  HT: [
    { action: 'Cleaned burner and relit pilot', parts: ['Thermocouple'] },
    { action: 'Replaced level float', parts: ['Float assembly'] },
  ],
  COMP: [
    { action: 'Topped up oil and replaced belt', parts: ['Compressor oil 5 gal', 'Belt 3VX560'] },
    { action: 'Tightened discharge flange, leak stopped', parts: ['Gasket 2" 600#'] },
  ],
  DEHY: [
    { action: 'Topped up glycol', parts: ['TEG 55 gal'] },
    { action: 'Rebuilt glycol pump check valves', parts: ['Check valve kit'] },
  ],
};

const NOTES = [
  'Lease road muddy after rain; 4WD needed past the cattle guard.',
  'Pumping unit running smooth, no unusual noise.',
  'Small oil stain near wellhead, cleaned up with pads.',
  'Gate lock replaced — new combo left with the office.',
  'Chemical pump out of methanol, refilled 5 gal.',
  'Called for water truck: tank 1 high.',
  "Landowner's cattle through the fence by the separator; closed the gap.",
  'H2S monitor bump-tested OK.',
  'Wind N 20 mph, 48°F, light frost on the lines.',
  'Flowline marker down near the creek crossing.',
  'Casing valve "sticky" — needs grease next visit.',
  'Meter run chart changed.',
];

const CAPTIONS = ['Location overview', 'Tank battery', 'Meter run', 'Wellhead', 'Lease road', 'Containment berm'];
const SHUT_IN_REASONS = ['Flowline leak found, isolated pending repair', 'Workover rig scheduled', 'Tanks full, waiting on truck', 'Compressor down'];

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The index of the tablet whose clock runs an hour fast. */
export function skewedTabletIndex(tablets: number): number {
  return Math.min(2, tablets - 1);
}

/** The index of the tablet that stays undocked for several days. */
export function undockedTabletIndex(tablets: number): number {
  return tablets <= 1 ? 0 : tablets === 2 ? 1 : tablets === 3 ? 1 : 3;
}

/** Day indexes with no dock for the undocked tablet: up to three days, never the last. */
function undockedDaysOf(days: number): number[] {
  if (days < 2) return [];
  const first = days >= 3 ? 1 : 0;
  const last = Math.min(days - 2, first + 2);
  const out: number[] = [];
  for (let d = first; d <= last; d++) out.push(d);
  return out;
}

function checkOptions(o: WorkloadOptions): void {
  const whole = (name: string, v: number, min: number, max: number): void => {
    if (!Number.isInteger(v) || v < min || v > max) throw new RangeError(`${name} must be a whole number from ${min} to ${max} (got ${String(v)})`);
  };
  whole('tablets', o.tablets, 1, 99);
  whole('days', o.days, 1, 366);
  whole('wellsPerRoute', o.wellsPerRoute, 1, 200);
  whole('gaugeDayStartHour', o.gaugeDayStartHour, 0, 23);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(o.startDate) || plusDays(o.startDate, 0) !== o.startDate) {
    throw new RangeError(`startDate must be a date as YYYY-MM-DD (got "${o.startDate}")`);
  }
  if (!Number.isFinite(o.seed)) throw new RangeError(`seed must be a number (got ${String(o.seed)})`);
  if (!/^[A-Za-z0-9_.-]{1,40}$/.test(o.runId)) throw new RangeError(`runId must be 1–40 letters, digits, "_", "." or "-" (got "${o.runId}")`);
}

/** The whole fleet's plan: wells, tablets, routes, double visits and status changes. */
export function planFleet(options: WorkloadOptions): FleetPlan {
  checkOptions(options);
  const { tablets: n, days, seed } = options;
  const dates = Array.from({ length: days }, (_, i) => plusDays(options.startDate, i));
  const skewed = skewedTabletIndex(n);
  const undocked = undockedTabletIndex(n);

  const wells: WellPlan[] = [];
  const tablets: TabletPlan[] = [];
  for (let t = 0; t < n; t++) {
    const rng = rngOf(seed, 'tablet', t);
    const deviceId = `tab-${pad(t + 1, 2)}`;
    const operatorName = OPERATORS[t % OPERATORS.length] ?? 'Operator';
    const route: string[] = [];
    for (let w = 0; w < options.wellsPerRoute; w++) {
      const index = t * options.wellsPerRoute + w;
      const wellId = `W-${101 + index}`;
      route.push(wellId);
      wells.push(wellOf(seed, wellId, t));
    }
    const units: TabletUnits =
      t % 6 === 1
        ? { pressure: 'kPa', temperature: 'degC', level: 'm' }
        : { pressure: 'psi', temperature: 'degF', level: t % 6 === 4 ? 'in' : 'ft' };
    tablets.push({
      index: t,
      deviceId,
      deviceName: `Tablet ${pad(t + 1, 2)} (${operatorName})`,
      operatorId: `op-${pad(t + 1, 2)}`,
      operatorName,
      clockOffsetMs: t === skewed ? SKEWED_CLOCK_MS : 0,
      units,
      // Drivers start the loop at different points.
      route: rotate(route, intBetween(rng, 0, route.length - 1)),
      undockedDays: t === undocked ? undockedDaysOf(days) : [],
    });
  }

  const doubleVisits: DoubleVisit[] = [];
  if (n >= 2) {
    for (let d = 0; d < days; d++) {
      const rng = rngOf(seed, 'double-visits', d);
      for (const well of wells) {
        if (!chance(rng, DOUBLE_VISIT_RATE)) continue;
        const other = (well.owner + 1 + intBetween(rng, 0, n - 2)) % n;
        doubleVisits.push({ dayIndex: d, wellId: well.wellId, owner: deviceIdOf(well.owner), visitor: deviceIdOf(other) });
      }
    }
    const first = wells[0];
    if (doubleVisits.length === 0 && first !== undefined) {
      doubleVisits.push({ dayIndex: 0, wellId: first.wellId, owner: deviceIdOf(first.owner), visitor: deviceIdOf((first.owner + 1) % n) });
    }
  }

  const statusChanges: Record<string, StatusChange[]> = {};
  for (const well of wells) {
    const rng = rngOf(seed, 'status', well.wellId);
    const changes: StatusChange[] = [];
    let reopenOn = -1;
    for (let d = 0; d < days; d++) {
      if (d === reopenOn) {
        changes.push({ dayIndex: d, status: 'ACTIVE', reason: 'Back on production' });
        reopenOn = -1;
      } else if (reopenOn < 0 && chance(rng, 0.012)) {
        changes.push({ dayIndex: d, status: 'SHUT_IN', reason: pick(rng, SHUT_IN_REASONS) });
        reopenOn = d + intBetween(rng, 1, 2);
      }
    }
    if (changes.length > 0) statusChanges[well.wellId] = changes;
  }
  const firstWell = wells[0];
  if (Object.keys(statusChanges).length === 0 && firstWell !== undefined) {
    const d = Math.min(1, days - 1);
    const forced: StatusChange[] = [{ dayIndex: d, status: 'SHUT_IN', reason: SHUT_IN_REASONS[0] ?? 'Shut in' }];
    if (d + 1 < days) forced.push({ dayIndex: d + 1, status: 'ACTIVE', reason: 'Back on production' });
    statusChanges[firstWell.wellId] = forced;
  }

  return { options, dates, wells, tablets, doubleVisits, statusChanges };
}

function deviceIdOf(index: number): string {
  return `tab-${pad(index + 1, 2)}`;
}

function rotate<T>(items: readonly T[], by: number): T[] {
  return [...items.slice(by), ...items.slice(0, by)];
}

function wellOf(seed: number, wellId: string, owner: number): WellPlan {
  const rng = rngOf(seed, 'well', wellId);
  const product = chance(rng, 0.25) ? 'gas' : 'oil';
  const equipment =
    product === 'oil'
      ? ['WH-1', 'PJ-1', 'SEP-1', 'TANK-1', ...(chance(rng, 0.6) ? ['TANK-2'] : []), ...(chance(rng, 0.4) ? ['HT-1'] : [])]
      : ['WH-1', 'SEP-1', 'COMP-1', 'TANK-1', ...(chance(rng, 0.5) ? ['DEHY-1'] : [])];
  const tubingPsi = product === 'oil' ? floatBetween(rng, 80, 400) : floatBetween(rng, 300, 1500);
  return {
    wellId,
    product,
    owner,
    equipment,
    oilBbl: product === 'oil' ? floatBetween(rng, 80, 560) : floatBetween(rng, 50, 120),
    gasMcf: product === 'oil' ? floatBetween(rng, 100, 700) : floatBetween(rng, 700, 1900),
    waterBbl: floatBetween(rng, 15, 400),
    tubingPsi,
    casingPsi: tubingPsi + floatBetween(rng, 40, 300),
    linePsi: floatBetween(rng, 50, 250),
    tempF: floatBetween(rng, 60, 140),
  };
}

// ---------- a well's truth on a day (shared by every operator who visits) ----------

interface WellDayTruth {
  status: 'ACTIVE' | 'SHUT_IN';
  statusChange: StatusChange | null;
  oilBbl: number;
  gasMcf: number;
  waterBbl: number;
  hoursOn: number;
  tubingPsi: number;
  casingPsi: number;
  linePsi: number;
  tempF: number;
  tankFt: number;
  readsLine: boolean;
  readsTemp: boolean;
  readsTank: boolean;
  readsFlow: boolean;
  /** The owner's inspection, if any. */
  inspection: null | { equipmentId: string; condition: 'PASS' | 'NEEDS_ATTENTION' | 'FAIL'; badItems: string[]; naItems: string[]; repair: 'same-visit' | 'next-day' | 'none' };
  smallRepair: boolean;
}

function statusOn(plan: FleetPlan, wellId: string, dayIndex: number): { status: 'ACTIVE' | 'SHUT_IN'; change: StatusChange | null } {
  let status: 'ACTIVE' | 'SHUT_IN' = 'ACTIVE';
  let change: StatusChange | null = null;
  for (const c of plan.statusChanges[wellId] ?? []) {
    if (c.dayIndex > dayIndex) break;
    status = c.status === 'SHUT_IN' ? 'SHUT_IN' : 'ACTIVE';
    change = c.dayIndex === dayIndex ? c : null;
  }
  return { status, change };
}

function wellDayTruth(plan: FleetPlan, well: WellPlan, dayIndex: number): WellDayTruth {
  const rng = rngOf(plan.options.seed, 'well-day', well.wellId, dayIndex);
  const { status, change } = statusOn(plan, well.wellId, dayIndex);
  const trend = 1 + gaussian(rng, 0, 0.06);
  let hoursOn = chance(rng, 0.12) ? round(floatBetween(rng, 14, 23.5), 1) : 24;
  if (change !== null) hoursOn = round(floatBetween(rng, 6, 16), 1);
  else if (status === 'SHUT_IN') hoursOn = 0;
  const share = hoursOn / 24;
  const shutInBuildUp = status === 'SHUT_IN' ? 1.35 : 1;
  const equipmentId = pick(rng, well.equipment);
  const inspects = chance(rng, 0.3);
  const roll = rng();
  const condition = roll < 0.05 ? 'FAIL' : roll < 0.15 ? 'NEEDS_ATTENTION' : 'PASS';
  const items = CHECKLISTS[equipmentId.split('-')[0] ?? 'WH'] ?? CHECKLISTS['WH'] ?? [];
  const badCount = condition === 'FAIL' ? intBetween(rng, 1, 2) : condition === 'NEEDS_ATTENTION' ? 1 : 0;
  const shuffled = [...items].sort((a, b) => a.localeCompare(b)).map((item) => ({ item, r: rng() })).sort((a, b) => a.r - b.r).map((x) => x.item);
  const badItems = shuffled.slice(0, badCount);
  const naItems = shuffled.slice(badCount).filter(() => chance(rng, 0.1));
  const repairRoll = rng();
  return {
    status,
    statusChange: change,
    oilBbl: Math.max(0, well.oilBbl * trend * share),
    gasMcf: Math.max(0, well.gasMcf * trend * share * (1 + gaussian(rng, 0, 0.03))),
    waterBbl: Math.max(0, well.waterBbl * share * (1 + gaussian(rng, 0, 0.08))),
    hoursOn,
    tubingPsi: well.tubingPsi * shutInBuildUp * (1 + gaussian(rng, 0, 0.04)),
    casingPsi: well.casingPsi * shutInBuildUp * (1 + gaussian(rng, 0, 0.03)),
    linePsi: well.linePsi * (1 + gaussian(rng, 0, 0.05)),
    tempF: well.tempF + gaussian(rng, 0, 4),
    tankFt: floatBetween(rng, 2, 18),
    readsLine: chance(rng, 0.7),
    readsTemp: chance(rng, 0.5),
    readsTank: chance(rng, well.product === 'oil' ? 0.85 : 0.5),
    readsFlow: chance(rng, well.product === 'gas' ? 0.85 : 0.3),
    inspection: inspects ? { equipmentId, condition, badItems, naItems, repair: condition === 'PASS' ? 'none' : repairRoll < 0.4 ? 'same-visit' : repairRoll < 0.8 ? 'next-day' : 'none' } : null,
    smallRepair: chance(rng, 0.02),
  };
}

// ---------- one tablet's day ----------

interface DayContext {
  plan: FleetPlan;
  tablet: TabletPlan;
  dayIndex: number;
  date: string;
  rng: Rng;
  events: { event: DraftEvent; order: number; occurredMs: number }[];
  photos: PhotoBlob[];
  seq: number;
}

function emit(ctx: DayContext, type: EventType, payload: JsonObject, trueMs: number): void {
  ctx.seq += 1;
  const occurredMs = trueMs + ctx.tablet.clockOffsetMs + intBetween(ctx.rng, 20, 150) * 1000;
  ctx.events.push({
    event: {
      id: `${ctx.plan.options.runId}-${ctx.tablet.deviceId}-d${pad(ctx.dayIndex + 1, 3)}-${pad(ctx.seq, 4)}`,
      type,
      operatorId: ctx.tablet.operatorId,
      occurredAt: isoOf(occurredMs),
      payload,
    },
    order: ctx.seq,
    occurredMs,
  });
}

/** The tablet's clock reading at a true instant, as it stamps payload times. */
function stamp(ctx: DayContext, trueMs: number): string {
  return isoOf(trueMs + ctx.tablet.clockOffsetMs);
}

const MIN = 60_000;

function pressureIn(unit: 'psi' | 'kPa', psi: number): number {
  return unit === 'psi' ? Math.round(psi) : Math.round(psi / 0.1450377);
}

function productionPayload(
  ctx: DayContext,
  wellId: string,
  measuredMs: number,
  values: { oilBbl: number; gasMcf: number; waterBbl: number; hoursOn: number },
  productionDate: string | null,
  notes: string | null,
): JsonObject {
  const p: JsonObject = {
    wellId,
    measuredAt: stamp(ctx, measuredMs),
    oilBbl: round(Math.max(0, values.oilBbl), 2),
    gasMcf: round(Math.max(0, values.gasMcf), 1),
    waterBbl: round(Math.max(0, values.waterBbl), 2),
    hoursOn: values.hoursOn,
  };
  if (productionDate !== null) p['productionDate'] = productionDate;
  if (notes !== null) p['notes'] = notes;
  return p;
}

function photo(ctx: DayContext, wellId: string, takenMs: number, subject: string | null, caption: string | null): void {
  const bytes = randomPhotoPng(rngOf(ctx.plan.options.seed, 'photo', ctx.tablet.deviceId, ctx.dayIndex, ctx.seq));
  const sha256 = sha256Hex(bytes);
  ctx.photos.push({ sha256, mimeType: 'image/png', bytes });
  const p: JsonObject = {
    wellId,
    photoId: `IMG_${pad(ctx.tablet.index + 1, 2)}${pad(ctx.dayIndex + 1, 3)}${pad(ctx.photos.length, 3)}`,
    sha256,
    mimeType: 'image/png',
    bytes: bytes.length,
    takenAt: stamp(ctx, takenMs),
  };
  if (subject !== null) p['subject'] = subject;
  if (caption !== null) p['caption'] = caption;
  emit(ctx, 'PHOTO_ATTACHED', p, takenMs);
}

function readings(ctx: DayContext, well: WellPlan, truth: WellDayTruth, startMs: number, visitor: boolean): void {
  const { rng, tablet } = ctx;
  const u = tablet.units;
  // The owner's reading is the day's truth; a visitor reads a little later and a little
  // differently (measuredAt is part of a reading's content, so this is a NEWEST_WINS conflict).
  const noise = (sd: number): number => (visitor ? 1 + gaussian(rng, 0, sd) : 1);
  let t = startMs + intBetween(rng, 3, 6) * MIN;
  const reading = (metric: string, value: number, unit: string): void => {
    emit(ctx, 'WELL_READING_RECORDED', { wellId: well.wellId, metric, value, unit, measuredAt: stamp(ctx, t) }, t);
    t += intBetween(rng, 1, 3) * MIN;
  };
  reading('TUBING_PRESSURE', pressureIn(u.pressure, truth.tubingPsi * noise(0.01)), u.pressure);
  if (visitor) return;
  reading('CASING_PRESSURE', pressureIn(u.pressure, truth.casingPsi * noise(0.01)), u.pressure);
  if (truth.readsLine) reading('LINE_PRESSURE', pressureIn(u.pressure, truth.linePsi * noise(0.02)), u.pressure);
  if (truth.readsTemp) {
    const f = truth.tempF + gaussian(rng, 0, 0.8);
    reading('TEMPERATURE', u.temperature === 'degF' ? round(f, 1) : round(((f - 32) * 5) / 9, 1), u.temperature);
  }
  if (truth.readsTank) {
    const ft = truth.tankFt;
    reading('TANK_LEVEL', u.level === 'ft' ? round(ft, 2) : u.level === 'in' ? Math.round(ft * 12) : round(ft * 0.3048, 2), u.level);
  }
  if (truth.readsFlow) {
    const gas = well.product === 'gas';
    const rate = truth.hoursOn === 0 ? 0 : gas ? truth.gasMcf / (truth.hoursOn / 24) : (truth.oilBbl + truth.waterBbl) / (truth.hoursOn / 24);
    reading('FLOW_RATE', round(rate * noise(0.03), 1), gas ? 'mcf/d' : 'bbl/d');
  }
}

function checklistOf(equipmentId: string, bad: readonly string[], na: readonly string[]): JsonObject {
  const items = CHECKLISTS[equipmentId.split('-')[0] ?? 'WH'] ?? CHECKLISTS['WH'] ?? [];
  const out: JsonObject = {};
  for (const item of items) out[item] = bad.includes(item) ? 'FAIL' : na.includes(item) ? 'NA' : 'PASS';
  return out;
}

function repairOf(equipmentId: string, rng: Rng): { action: string; parts: readonly string[] } {
  return pick(rng, REPAIRS[equipmentId.split('-')[0] ?? 'WH'] ?? REPAIRS['WH'] ?? [{ action: 'General maintenance', parts: [] }]);
}

function ownerVisit(ctx: DayContext, well: WellPlan, startMs: number): number {
  const { plan, rng, dayIndex, date } = ctx;
  const truth = wellDayTruth(plan, well, dayIndex);
  const early = startMs < zonedInstantMs(date, plan.options.gaugeDayStartHour * 60, plan.options.timeZone) + 10 * MIN;
  const measured = startMs + intBetween(rng, 2, 5) * MIN;
  // The owner logs the day's meter and tank figures as they are.
  const values = { oilBbl: truth.oilBbl, gasMcf: truth.gasMcf, waterBbl: truth.waterBbl, hoursOn: truth.hoursOn };
  // Before the gauge day starts the date must be given, or the entry would land on yesterday.
  const productionDate = early || chance(rng, 0.6) ? date : null;
  if (chance(rng, 0.02) && values.oilBbl > 0) {
    // A typo (a digit too many), fixed a few minutes later by the same operator.
    emit(ctx, 'PRODUCTION_LOGGED', productionPayload(ctx, well.wellId, measured, { ...values, oilBbl: values.oilBbl * 10 }, productionDate, null), measured);
    const fixed = measured + intBetween(rng, 3, 8) * MIN;
    emit(ctx, 'PRODUCTION_LOGGED', productionPayload(ctx, well.wellId, fixed, values, productionDate, 'Fixed a typo in oil'), fixed);
  } else {
    emit(ctx, 'PRODUCTION_LOGGED', productionPayload(ctx, well.wellId, measured, values, productionDate, truth.hoursOn < 24 && truth.hoursOn > 0 ? `Down ${round(24 - truth.hoursOn, 1)} h` : null), measured);
  }
  if (dayIndex >= 1 && chance(rng, 0.03)) {
    const y = wellDayTruth(plan, well, dayIndex - 1);
    const yValues = { oilBbl: y.oilBbl * (1 + gaussian(rng, 0, 0.01)), gasMcf: y.gasMcf, waterBbl: y.waterBbl * (1 + gaussian(rng, 0, 0.02)), hoursOn: y.hoursOn };
    const at = measured + 60_000;
    emit(ctx, 'PRODUCTION_LOGGED', productionPayload(ctx, well.wellId, at, yValues, plusDays(date, -1), 'Corrected after re-strapping tank 1'), at);
  }
  readings(ctx, well, truth, startMs, false);

  let t = startMs + intBetween(rng, 10, 16) * MIN;
  if (truth.statusChange !== null) {
    emit(ctx, 'WELL_STATUS_CHANGED', { wellId: well.wellId, status: truth.statusChange.status, effectiveAt: stamp(ctx, t), reason: truth.statusChange.reason }, t);
    t += 2 * MIN;
  }
  const insp = truth.inspection;
  if (insp !== null) {
    const payload: JsonObject = {
      wellId: well.wellId,
      equipmentId: insp.equipmentId,
      inspectedAt: stamp(ctx, t),
      result: insp.condition,
      checklist: checklistOf(insp.equipmentId, insp.badItems, insp.naItems),
    };
    if (insp.badItems.length > 0) payload['notes'] = `${insp.badItems.join(', ')}: ${insp.condition === 'FAIL' ? 'failed' : 'needs attention'}`;
    emit(ctx, 'EQUIPMENT_INSPECTED', payload, t);
    t += intBetween(rng, 2, 5) * MIN;
    if (insp.condition !== 'PASS') {
      photo(ctx, well.wellId, t, insp.equipmentId, `${insp.equipmentId}: ${insp.badItems.join(', ')}`);
      t += MIN;
    }
    if (insp.repair === 'same-visit') {
      t += intBetween(rng, 8, 20) * MIN;
      const r = repairOf(insp.equipmentId, rng);
      emit(ctx, 'EQUIPMENT_REPAIRED', { wellId: well.wellId, equipmentId: insp.equipmentId, repairedAt: stamp(ctx, t), action: r.action, partsUsed: [...r.parts] }, t);
    }
  }
  const yesterday = dayIndex >= 1 ? wellDayTruth(plan, well, dayIndex - 1).inspection : null;
  if (yesterday !== null && yesterday.repair === 'next-day') {
    t += intBetween(rng, 10, 30) * MIN;
    const r = repairOf(yesterday.equipmentId, rng);
    emit(ctx, 'EQUIPMENT_REPAIRED', { wellId: well.wellId, equipmentId: yesterday.equipmentId, repairedAt: stamp(ctx, t), action: r.action, partsUsed: [...r.parts], notes: `Follow-up of yesterday's inspection (${yesterday.badItems.join(', ')})` }, t);
  } else if (truth.smallRepair) {
    t += intBetween(rng, 5, 15) * MIN;
    const equipmentId = pick(rng, well.equipment);
    const r = repairOf(equipmentId, rng);
    emit(ctx, 'EQUIPMENT_REPAIRED', { wellId: well.wellId, equipmentId, repairedAt: stamp(ctx, t), action: r.action, partsUsed: [...r.parts] }, t);
  }
  if (chance(rng, 0.25)) {
    t += intBetween(rng, 1, 3) * MIN;
    emit(ctx, 'NOTES_ADDED', { wellId: well.wellId, text: pick(rng, NOTES), notedAt: stamp(ctx, t) }, t);
  }
  if (chance(rng, 0.15)) {
    t += MIN;
    photo(ctx, well.wellId, t, null, chance(rng, 0.7) ? pick(rng, CAPTIONS) : null);
  }
  return t;
}

function visitorVisit(ctx: DayContext, well: WellPlan, startMs: number, owner: string): number {
  const { plan, rng, dayIndex, date } = ctx;
  const truth = wellDayTruth(plan, well, dayIndex);
  const measured = startMs + intBetween(rng, 2, 5) * MIN;
  // A quarter copy the same meter ticket as the owner (a confirmation); the rest gauge the
  // tanks themselves (a HIGHEST_VALUE conflict), and now and then make a typo that no
  // plausible gauge explains (it goes to review).
  const sameTicket = chance(rng, 0.25);
  const sloppy = (v: number): number => (sameTicket ? v : v * (1 + gaussian(rng, 0, 0.02)));
  const values = { oilBbl: sloppy(truth.oilBbl), gasMcf: sloppy(truth.gasMcf), waterBbl: sloppy(truth.waterBbl), hoursOn: truth.hoursOn };
  if (!sameTicket && chance(rng, 0.12)) values.oilBbl *= 10;
  emit(ctx, 'PRODUCTION_LOGGED', productionPayload(ctx, well.wellId, measured, values, date, `Covering for ${owner}`), measured);
  readings(ctx, well, truth, startMs, true);
  let t = startMs + intBetween(rng, 8, 14) * MIN;
  const insp = truth.inspection;
  if (insp !== null && chance(rng, 0.5)) {
    // Same equipment, own judgement: a different result goes to review.
    const condition = chance(rng, 0.3) ? (insp.condition === 'PASS' ? 'NEEDS_ATTENTION' : 'PASS') : insp.condition;
    const bad = condition === 'PASS' ? [] : insp.badItems.length > 0 ? insp.badItems : [pick(rng, Object.keys(checklistOf(insp.equipmentId, [], [])))];
    emit(ctx, 'EQUIPMENT_INSPECTED', { wellId: well.wellId, equipmentId: insp.equipmentId, inspectedAt: stamp(ctx, t), result: condition, checklist: checklistOf(insp.equipmentId, bad, []) }, t);
    t += 3 * MIN;
  }
  if (chance(rng, 0.6)) {
    t += MIN;
    emit(ctx, 'NOTES_ADDED', { wellId: well.wellId, text: `Stopped by for ${owner}. ${pick(rng, NOTES)}`, notedAt: stamp(ctx, t) }, t);
  }
  if (chance(rng, 0.7)) {
    t += MIN;
    photo(ctx, well.wellId, t, null, 'Location overview');
  }
  return t;
}

/** What one tablet records on one day, in its own order. Deterministic per plan, tablet and day. */
export function generateTabletDay(plan: FleetPlan, tabletIndex: number, dayIndex: number): TabletDay {
  const tablet = plan.tablets[tabletIndex];
  const date = plan.dates[dayIndex];
  if (tablet === undefined || date === undefined) throw new RangeError(`no tablet ${tabletIndex} or day ${dayIndex} in the plan`);
  const { options } = plan;
  const ctx: DayContext = { plan, tablet, dayIndex, date, rng: rngOf(options.seed, 'tablet-day', tablet.deviceId, dayIndex), events: [], photos: [], seq: 0 };
  const { rng } = ctx;
  const wellById = new Map(plan.wells.map((w) => [w.wellId, w]));

  const stops: { well: WellPlan; visitorFor: string | null }[] = [];
  for (const wellId of tablet.route) {
    const well = wellById.get(wellId);
    if (well !== undefined) stops.push({ well, visitorFor: null });
  }
  for (const dv of plan.doubleVisits) {
    if (dv.dayIndex !== dayIndex || dv.visitor !== tablet.deviceId) continue;
    const well = wellById.get(dv.wellId);
    if (well !== undefined) stops.splice(intBetween(rng, 0, stops.length), 0, { well, visitorFor: dv.owner });
  }

  // Most days start 07:15–07:45 local; one in ten starts before the gauge day does.
  const startMinutes = chance(rng, 0.1) ? intBetween(rng, 6 * 60 + 20, 6 * 60 + 50) : intBetween(rng, 7 * 60 + 15, 7 * 60 + 45);
  let t = zonedInstantMs(date, startMinutes, options.timeZone);
  for (const stop of stops) {
    const end = stop.visitorFor === null ? ownerVisit(ctx, stop.well, t) : visitorVisit(ctx, stop.well, t, stop.visitorFor);
    t = Math.max(end, t + intBetween(rng, 15, 30) * MIN) + intBetween(rng, 5, 15) * MIN;
  }

  const events = ctx.events.sort((a, b) => a.occurredMs - b.occurredMs || a.order - b.order).map((e) => e.event);
  const lastDay = dayIndex === plan.dates.length - 1;
  return { deviceId: tablet.deviceId, dayIndex, date, events, photos: ctx.photos, docks: lastDay || !tablet.undockedDays.includes(dayIndex) };
}
