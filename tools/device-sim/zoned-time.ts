/**
 * Local wall-clock time → UTC instant in an IANA zone, for the simulator's working hours.
 * Guarantees: `zonedInstantMs(date, minutes, zone)` is the instant whose local time in
 * `zone` is `date` at `minutes` after midnight; in a spring-forward gap it lands one hour
 * later, in a fall-back hour on the first occurrence (as most clocks do).
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Local minus UTC, in ms, at the instant. */
export function zoneOffsetMs(instantMs: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatterOf(timeZone).formatToParts(instantMs)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const local = Date.UTC(parts['year'] ?? 1970, (parts['month'] ?? 1) - 1, parts['day'] ?? 1, (parts['hour'] ?? 0) % 24, parts['minute'] ?? 0, parts['second'] ?? 0);
  return local - (instantMs - (((instantMs % 1000) + 1000) % 1000));
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Epoch ms of `date` (YYYY-MM-DD) at `minutes` (may exceed 1440 or be fractional) local time in the zone. */
export function zonedInstantMs(date: string, minutes: number, timeZone: string): number {
  const m = DATE_RE.exec(date);
  if (m === null) throw new RangeError(`expected a date as YYYY-MM-DD (got "${date}")`);
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) + Math.round(minutes * 60_000);
  const first = zoneOffsetMs(wall, timeZone);
  let instant = wall - first;
  const second = zoneOffsetMs(instant, timeZone);
  if (second !== first) {
    const retry = wall - second;
    // In a gap neither guess maps back to the wall time: keep the later one.
    instant = zoneOffsetMs(retry, timeZone) === second ? retry : Math.max(instant, retry);
  }
  return instant;
}

/** The ISO-8601 instant (with Z and milliseconds) of epoch ms. */
export function isoOf(ms: number): string {
  return new Date(ms).toISOString();
}

/** The YYYY-MM-DD `n` days after `date` (UTC calendar arithmetic). */
export function plusDays(date: string, n: number): string {
  const m = DATE_RE.exec(date);
  if (m === null) throw new RangeError(`expected a date as YYYY-MM-DD (got "${date}")`);
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + n)).toISOString().slice(0, 10);
}

/** Today's calendar date in the zone. */
export function todayIn(timeZone: string, nowMs: number): string {
  return new Date(nowMs + zoneOffsetMs(nowMs, timeZone)).toISOString().slice(0, 10);
}
