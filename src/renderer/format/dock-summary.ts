/** A tablet's last dock in one line: "214 events, 2 conflicts for review, 0 rejected". Pure. */
import { plural } from './format.ts';

export interface DockCounts {
  total: number;
  conflicts: number;
  rejected: number;
  accepted: number;
}

/** Counts from a batch summary keyed by sync status (APPLIED, CONFIRMED, CONFLICT, REJECTED…). */
export function dockCounts(summary: Readonly<Record<string, number>>): DockCounts {
  let total = 0;
  for (const n of Object.values(summary)) total += n;
  return {
    total,
    conflicts: summary['CONFLICT'] ?? 0,
    rejected: summary['REJECTED'] ?? 0,
    accepted: (summary['APPLIED'] ?? 0) + (summary['CONFIRMED'] ?? 0),
  };
}

/** `forReview`: of the conflicts, those a supervisor must decide (the rest were decided automatically). */
export function describeDock(summary: Readonly<Record<string, number>> | null, forReview: number | null = null): string {
  if (summary === null) return 'has not docked yet';
  const c = dockCounts(summary);
  // Resends of events the station already held are counted apart: they are not new entries.
  const resent = summary['DUPLICATE'] ?? 0;
  const events = resent > 0 ? `${plural(c.total - resent, 'new event')} (+${resent} re-sent, already held)` : plural(c.total, 'event');
  return `${events}, ${plural(forReview ?? c.conflicts, 'conflict')} for review, ${formatRejected(c.rejected)}`;
}

function formatRejected(n: number): string {
  return `${n} rejected`;
}
