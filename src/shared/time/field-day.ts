/**
 * Field days ("gauge days") of protocol §1.
 * Guarantees: `fieldDay` is the local calendar date of the instant in the IANA zone, minus
 * one day when the local wall-clock hour is before `gaugeDayStartHour`; it is exact on 23-
 * and 25-hour DST days (both 01:30s of a fall-back day have hour 1) and for zones with
 * 30/45-minute or historic second-level offsets.
 *
 * Speed: the zone's UTC offset is looked up once per 15-minute UTC bucket and cached. An
 * offset is cached only when it is the same at the first and the last millisecond of its
 * bucket, so a bucket that holds a transition (any zone, any era) is computed exactly on
 * every call instead; with no zone changing its offset twice within 15 minutes, the
 * cached value is exact. The only module state is this cache of immutable formatters and
 * offsets, bounded in size; results never depend on what was cached before.
 */
import type { FieldDaySettings } from '../events/types.ts';
import { daysFromCivil, formatIsoDate, MS_PER_DAY, parseIsoDate } from '../events/instant.ts';

const BUCKET_MS = 900_000;
const MS_PER_HOUR = 3_600_000;
const MAX_OFFSETS_PER_ZONE = 10_000;
const MAX_ZONES = 1_000;

interface ZoneCache {
  readonly formatter: Intl.DateTimeFormat;
  readonly offsetByBucket: Map<number, number>;
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
  const created: ZoneCache = { formatter, offsetByBucket: new Map() };
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

function cachedOffsetAt(zone: ZoneCache, instantMs: number): number {
  const bucket = Math.floor(instantMs / BUCKET_MS);
  const cached = zone.offsetByBucket.get(bucket);
  if (cached !== undefined) return cached;
  const start = bucket * BUCKET_MS;
  const atStart = offsetAt(zone.formatter, start);
  const atEnd = offsetAt(zone.formatter, start + BUCKET_MS - 1);
  if (atStart !== atEnd) return offsetAt(zone.formatter, instantMs);
  if (zone.offsetByBucket.size >= MAX_OFFSETS_PER_ZONE) zone.offsetByBucket.clear();
  zone.offsetByBucket.set(bucket, atStart);
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
