/**
 * Strict parsing of wire times and proleptic-Gregorian calendar arithmetic.
 * Guarantees: `parseInstant` accepts exactly `YYYY-MM-DDTHH:MM:SS(.f{1,9})?Z` naming a
 * real calendar instant (no 2026-02-30, no hour 24, no leap second, no offset other than
 * `Z`) and returns epoch milliseconds (fraction truncated to ms); anything else is null.
 * `parseIsoDate` does the same for `YYYY-MM-DD`. Pure arithmetic: no `Date` parsing, so
 * results do not depend on the host's time zone or engine quirks.
 */

export const MS_PER_DAY = 86_400_000;


export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  switch (month) {
    case 2:
      return isLeapYear(year) ? 29 : 28;
    case 4:
    case 6:
    case 9:
    case 11:
      return 30;
    default:
      return 31;
  }
}

/** Days since 1970-01-01 of a proleptic-Gregorian date (month 1–12). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

/** Inverse of `daysFromCivil`. */
export function civilFromDays(days: number): CivilDate {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return { year, month, day };
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/**
 * `YYYY-MM-DD` for days since the epoch. Years outside 0000–9999 use the expanded form
 * of `Date.prototype.toISOString` (`-000001-12-31`, `+010000-01-01`).
 */
export function formatIsoDate(days: number): string {
  const { year, month, day } = civilFromDays(days);
  let y: string;
  if (year >= 0 && year <= 9999) y = String(year).padStart(4, '0');
  else y = (year < 0 ? '-' : '+') + String(Math.abs(year)).padStart(6, '0');
  return `${y}-${pad2(month)}-${pad2(day)}`;
}

/** The number in s[start, start+count) when all of it is ASCII digits, else -1. */
function digitsAt(s: string, start: number, count: number): number {
  let n = 0;
  for (let i = start; i < start + count; i++) {
    const d = s.charCodeAt(i) - 48;
    if (!(d >= 0 && d <= 9)) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** Days since the epoch of `YYYY-MM-DD` at s[0..10), or null (does not look past index 9). */
function dateAt(s: string): number | null {
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return null; // '-'
  const year = digitsAt(s, 0, 4);
  const month = digitsAt(s, 5, 2);
  const day = digitsAt(s, 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return daysFromCivil(year, month, day);
}

/** Days since the epoch of a strict `YYYY-MM-DD` calendar date, or null. */
export function parseIsoDate(s: string): number | null {
  return s.length === 10 ? dateAt(s) : null;
}

export function isIsoDate(s: string): boolean {
  return parseIsoDate(s) !== null;
}

/**
 * Epoch milliseconds of a strict ISO-8601 instant ending in `Z`
 * (`YYYY-MM-DDTHH:MM:SS(.f{1,9})?Z`), or null. Hand-written rather than a RegExp: this
 * runs several times per event on the ingest path.
 */
export function parseInstant(s: string): number | null {
  const length = s.length;
  if (length < 20 || length > 30 || s.charCodeAt(length - 1) !== 90) return null; // 'Z'
  if (s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return null; // 'T', ':'
  const days = dateAt(s);
  if (days === null) return null;
  const hour = digitsAt(s, 11, 2);
  const minute = digitsAt(s, 14, 2);
  const second = digitsAt(s, 17, 2);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return null;
  let ms = 0;
  if (length > 20) {
    // ".f{1,9}" between the seconds and the Z
    if (s.charCodeAt(19) !== 46 || length < 22) return null; // '.'
    const fractionDigits = length - 21;
    if (digitsAt(s, 20, fractionDigits) < 0) return null;
    ms = digitsAt(s, 20, Math.min(3, fractionDigits)) * (fractionDigits === 1 ? 100 : fractionDigits === 2 ? 10 : 1);
  }
  return days * MS_PER_DAY + hour * 3_600_000 + minute * 60_000 + second * 1000 + ms;
}

export function isInstant(s: string): boolean {
  return parseInstant(s) !== null;
}
