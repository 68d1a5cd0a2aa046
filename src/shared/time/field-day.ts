/**
 * Field days ("gauge days") of protocol §1.
 * Guarantees: `fieldDay` is the local calendar date of the instant in the IANA zone, minus
 * one day when the local wall-clock hour is before `gaugeDayStartHour`; it is exact on 23-
 * and 25-hour DST days (both 01:30s of a fall-back day have hour 1) and for zones with
 * 30/45-minute or historic second-level offsets.
 *
 * Speed: `Intl.DateTimeFormat#formatToParts` costs microseconds, so UTC offsets are cached:
 * - per UTC day, when the offset sampled every 3 hours across the day (first and last
 *   millisecond included) is the same everywhere: then the day holds no transition;
 * - otherwise per 15-minute UTC bucket, when the offset at the bucket's first and last
 *   millisecond agree: exact for every zone whose transitions fall on quarter hours (all
 *   current IANA zones); a bucket that still holds a transition is computed on every call.
 * Both rest on one fact of the tz database: no zone changes its offset and back again
 * within 3 hours. The caches (formatters and offsets, bounded in size) are the only module
 * state, and results never depend on what was cached before.
 */
import type { FieldDaySettings } from '../events/types.ts';
import { daysFromCivil, formatIsoDate, MS_PER_DAY, parseIsoDate } from '../events/instant.ts';

const QUARTER_MS = 900_000;
const MS_PER_HOUR = 3_600_000;
const DAY_SAMPLE_STEP_MS = 3 * MS_PER_HOUR;
const MAX_OFFSETS_PER_MAP = 10_000;
const MAX_ZONES = 1_000;

interface ZoneCache {
  readonly formatter: Intl.DateTimeFormat;
  /** UTC day number → offset, or NaN when the day holds a transition. */
  readonly offsetByDay: Map<number, number>;
  /** 15-minute UTC bucket number → offset (transition days only). */
  readonly offsetByQuarter: Map<number, number>;
}

const zoneCaches = new Map<string, ZoneCache>();

function createFormatter(timeZone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-US', {
    timeZone,
    calendar: 'gregory',
    numberingSystem: 'latn',
    hourCycle: 'h23',
    era: 'short',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
}

function zoneCacheOf(timeZone: string): ZoneCache {
  const cached = zoneCaches.get(timeZone);
  if (cached !== undefined) return cached;
  let formatter: Intl.DateTimeFormat;
  try {
    formatter = createFormatter(timeZone);
  } catch {
    throw new RangeError(`Unknown time zone "${timeZone}": expected an IANA zone name such as America/Denver`);
  }
  if (zoneCaches.size >= MAX_ZONES) zoneCaches.clear();
  const created: ZoneCache = { formatter, offsetByDay: new Map(), offsetByQuarter: new Map() };
  zoneCaches.set(timeZone, created);
  return created;
}

/** UTC offset (local minus UTC, ms, second precision) of the zone at the instant. */
function offsetAt(formatter: Intl.DateTimeFormat, instantMs: number): number {
  let year = 0;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let isBeforeCommonEra = false;
  for (const part of formatter.formatToParts(instantMs)) {
    switch (part.type) {
      case 'year':
        year = Number(part.value);
        break;
      case 'month':
        month = Number(part.value);
        break;
      case 'day':
        day = Number(part.value);
        break;
      case 'hour':
        hour = Number(part.value) % 24;
        break;
      case 'minute':
        minute = Number(part.value);
        break;
      case 'second':
        second = Number(part.value);
        break;
      case 'era':
        isBeforeCommonEra = part.value === 'BC' || part.value === 'B';
        break;
      default:
        break;
    }
  }
  if (isBeforeCommonEra) year = 1 - year;
  const localMs = daysFromCivil(year, month, day) * MS_PER_DAY + hour * MS_PER_HOUR + minute * 60_000 + second * 1000;
  const wholeSecondMs = instantMs - (((instantMs % 1000) + 1000) % 1000);
  return localMs - wholeSecondMs;
}

function remember(map: Map<number, number>, key: number, offsetMs: number): void {
  if (map.size >= MAX_OFFSETS_PER_MAP) map.clear();
  map.set(key, offsetMs);
}

/** The offset shared by the whole UTC day, or NaN when it changes during the day. */
function uniformOffsetOfDay(formatter: Intl.DateTimeFormat, day: number): number {
  const start = day * MS_PER_DAY;
  const first = offsetAt(formatter, start);
  for (let t = start + DAY_SAMPLE_STEP_MS; t < start + MS_PER_DAY; t += DAY_SAMPLE_STEP_MS) {
    if (offsetAt(formatter, t) !== first) return Number.NaN;
  }
  return offsetAt(formatter, start + MS_PER_DAY - 1) === first ? first : Number.NaN;
}

function cachedOffsetAt(zone: ZoneCache, instantMs: number): number {
  const day = Math.floor(instantMs / MS_PER_DAY);
  let dayOffset = zone.offsetByDay.get(day);
  if (dayOffset === undefined) {
    dayOffset = uniformOffsetOfDay(zone.formatter, day);
    remember(zone.offsetByDay, day, dayOffset);
  }
  if (!Number.isNaN(dayOffset)) return dayOffset;

  const quarter = Math.floor(instantMs / QUARTER_MS);
  const cached = zone.offsetByQuarter.get(quarter);
  if (cached !== undefined) return cached;
  const start = quarter * QUARTER_MS;
  const atStart = offsetAt(zone.formatter, start);
  if (offsetAt(zone.formatter, start + QUARTER_MS - 1) !== atStart) return offsetAt(zone.formatter, instantMs);
  remember(zone.offsetByQuarter, quarter, atStart);
  return atStart;
}

function assertStartHour(hour: number): void {
  if (!Number.isInteger(hour) || hour < 0 || hour > 23) {
    throw new RangeError(`gaugeDayStartHour must be a whole number from 0 to 23 (got ${String(hour)})`);
  }
}

/**
 * The field day (`YYYY-MM-DD`) of an instant. Throws RangeError for a non-finite instant,
 * an unknown time zone or a start hour outside 0–23.
 */
export function fieldDay(instantMs: number, settings: FieldDaySettings): string {
  if (!Number.isFinite(instantMs)) throw new RangeError(`fieldDay needs a finite instant (got ${String(instantMs)})`);
  assertStartHour(settings.gaugeDayStartHour);
  const offsetMs = cachedOffsetAt(zoneCacheOf(settings.timeZone), instantMs);
  const localMs = instantMs + offsetMs;
  const days = Math.floor(localMs / MS_PER_DAY);
  const hour = Math.floor((localMs - days * MS_PER_DAY) / MS_PER_HOUR);
  return formatIsoDate(hour < settings.gaugeDayStartHour ? days - 1 : days);
}

/** True when `tz` names a time zone this runtime knows (IANA names and aliases such as UTC). */
export function isValidTimeZone(tz: string): boolean {
  if (typeof tz !== 'string' || tz.length === 0) return false;
  try {
    zoneCacheOf(tz);
    return true;
  } catch {
    return false;
  }
}

/** The `YYYY-MM-DD` date `n` calendar days after `isoDate` (n may be negative). */
export function addDays(isoDate: string, n: number): string {
  const days = parseIsoDate(isoDate);
  if (days === null) throw new RangeError(`addDays needs a date as YYYY-MM-DD (got "${isoDate}")`);
  if (!Number.isInteger(n)) throw new RangeError(`addDays needs a whole number of days (got ${String(n)})`);
  return formatIsoDate(days + n);
}
