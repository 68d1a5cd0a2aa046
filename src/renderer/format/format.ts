/**
 * Numbers, units and dates as a supervisor reads them. Dates are always shown in the
 * station's time zone (never the browser's), so a report and a tablet agree on "which day".
 * Pure: `Intl` only, no DOM.
 */
import { READING_UNITS, type ReadingUnit } from '../../shared/events/types.ts';
import { isValidTimeZone } from '../../shared/time/field-day.ts';
import { unitLabel as sharedUnitLabel } from '../../shared/units/normalize.ts';

const NO_VALUE = '—';

export interface StationFormat {
  readonly timeZone: string;
  /** "Nov 20, 2026, 08:14" in the station's zone. */
  dateTime(iso: string | null | undefined): string;
  /** "Nov 20, 14:02": date and time without the year, for dense lists. */
  short(iso: string | null | undefined): string;
  /** "Nov 20, 2026". */
  date(iso: string | null | undefined): string;
  /** "08:14". */
  time(iso: string | null | undefined): string;
  /** A calendar day "YYYY-MM-DD" (already a station day): "Tue, Nov 20". */
  day(ymd: string): string;
  /** "5 min ago", "3 h ago", else the date and time. */
  ago(iso: string | null | undefined, nowMs: number): string;
}

export function createStationFormat(timeZone: string, locale = 'en-US'): StationFormat {
  const zone = isValidTimeZone(timeZone) ? timeZone : 'UTC';
  const dateTimeFmt = new Intl.DateTimeFormat(locale, { timeZone: zone, year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const dateFmt = new Intl.DateTimeFormat(locale, { timeZone: zone, year: 'numeric', month: 'short', day: 'numeric' });
  const shortFmt = new Intl.DateTimeFormat(locale, { timeZone: zone, month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const timeFmt = new Intl.DateTimeFormat(locale, { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const dayFmt = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', weekday: 'short', month: 'short', day: 'numeric' });
  const withFormatter = (fmt: Intl.DateTimeFormat) => (iso: string | null | undefined): string => {
    if (iso === null || iso === undefined) return NO_VALUE;
    const ms = Date.parse(iso);
    return Number.isNaN(ms) ? iso : fmt.format(ms);
  };
  const dateTime = withFormatter(dateTimeFmt);
  return {
    timeZone: zone,
    dateTime,
    short: withFormatter(shortFmt),
    date: withFormatter(dateFmt),
    time: withFormatter(timeFmt),
    day(ymd) {
      const ms = Date.parse(`${ymd}T00:00:00Z`);
      return Number.isNaN(ms) ? ymd : dayFmt.format(ms);
    },
    ago(iso, nowMs) {
      if (iso === null || iso === undefined) return NO_VALUE;
      const ms = Date.parse(iso);
      if (Number.isNaN(ms)) return iso;
      const minutes = Math.round((nowMs - ms) / 60_000);
      if (minutes < 1 && minutes > -1) return 'just now';
      if (minutes > 0 && minutes < 60) return `${minutes} min ago`;
      if (minutes >= 60 && minutes < 24 * 60) return `${Math.round(minutes / 60)} h ago`;
      return dateTime(iso);
    },
  };
}

/** Intl.NumberFormat is costly to build (~30 µs); one per fraction-digit count, kept. */
const NUMBER_FORMATS = new Map<number, Intl.NumberFormat>();

export function formatNumber(value: number, maxFractionDigits = 2): string {
  if (!Number.isFinite(value)) return String(value);
  let format = NUMBER_FORMATS.get(maxFractionDigits);
  if (format === undefined) {
    format = new Intl.NumberFormat('en-US', { maximumFractionDigits: maxFractionDigits });
    NUMBER_FORMATS.set(maxFractionDigits, format);
  }
  return format.format(value);
}

/** Units of production and percentages, beside the reading units the shared module knows. */
const OTHER_UNIT_LABELS: Readonly<Record<string, string>> = { bbl: 'bbl', mcf: 'mcf', h: 'h', '%': '%' };

/** Units as printed beside a value (°F rather than degF). Unknown units print as sent. */
export function unitLabel(unit: string): string {
  return (READING_UNITS as readonly string[]).includes(unit) ? sharedUnitLabel(unit as ReadingUnit) : (OTHER_UNIT_LABELS[unit] ?? unit);
}

/** "125.5 bbl", "72 °F", "18 %". */
export function formatQuantity(value: number, unit: string, maxFractionDigits = 2): string {
  const label = unitLabel(unit);
  return label === '' ? formatNumber(value, maxFractionDigits) : `${formatNumber(value, maxFractionDigits)} ${label}`;
}

/** A duration in words: "45 s", "2 min 5 s", "3 h 10 min". */
export function formatDuration(ms: number): string {
  const totalSeconds = Math.round(Math.abs(ms) / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (hours > 0) return minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`;
  if (minutes > 0) return seconds > 0 ? `${minutes} min ${seconds} s` : `${minutes} min`;
  return `${seconds} s`;
}

/** A tablet's clock against the station's: "on time", "2 min 5 s ahead", "40 s behind". */
export function formatSkew(skewMs: number | null): string {
  if (skewMs === null) return NO_VALUE;
  if (Math.abs(skewMs) < 1000) return 'on time';
  return `${formatDuration(skewMs)} ${skewMs > 0 ? 'ahead' : 'behind'}`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${formatNumber(bytes / 1024, 1)} KB`;
  return `${formatNumber(bytes / (1024 * 1024), 1)} MB`;
}

/** "1 event", "214 events". */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${formatNumber(count, 0)} ${count === 1 ? singular : pluralForm}`;
}

/** Any value as text: strings as they are, numbers and booleans printed, the rest as JSON. */
export function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === null || value === undefined) return '';
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}

/** Values JSON-printed for people: 2-space indent, keys in their order. */
export function prettyJson(value: unknown): string {
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}
