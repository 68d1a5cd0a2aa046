/**
 * The review queue as data: the list arguments of a filter, where to go after a
 * decision, and the optimistic edit that makes a decision show in the list at once.
 * Pure: no React, no DOM.
 */
import type { ApiArgs, ConflictRow } from '../../../shared/api/station-api.ts';
import type { ConflictFilters } from '../../app/router.ts';

/** Enough for the 10,000-conflict queue the station is sized for. */
export const QUEUE_LIMIT = 20_000;

export function listArgsOf(filters: ConflictFilters): ApiArgs<'listConflicts'> {
  // Merged notes and kept photos need no decision: the queue lists them only when their
  // strategy is the filter.
  const args: ApiArgs<'listConflicts'> = { open: filters.open, decidable: filters.strategy === undefined, limit: QUEUE_LIMIT };
  if (filters.status !== undefined) args.status = filters.status;
  if (filters.type !== undefined) args.type = filters.type;
  if (filters.wellId !== undefined) args.wellId = filters.wellId;
  if (filters.strategy !== undefined) args.strategy = filters.strategy;
  return args;
}

/** The list a conflict page walks with j/k, in words: "Conflict 3 of 19 waiting for your decision". */
export function queueName(filters: ConflictFilters): string {
  const base =
    filters.status === 'PENDING_REVIEW'
      ? 'waiting for your decision'
      : filters.status === 'AUTO_RESOLVED'
        ? `decided automatically${filters.open ? ', still open' : ''}`
        : filters.status === 'RESOLVED'
          ? 'decided by a supervisor'
          : filters.open
            ? 'open conflicts'
            : 'conflicts, open and closed';
  return filters.wellId === undefined ? base : `${base} at ${filters.wellId}`;
}

/** Needs a person: pending review, or an automatic decision still open to override. */
export function isActionable(row: ConflictRow): boolean {
  return row.isOpen && (row.status === 'PENDING_REVIEW' || row.status === 'AUTO_RESOLVED');
}

/**
 * The conflict to show after deciding `currentId`: the next actionable one after it in the
 * queue's order, else the first actionable one before it, else null (queue done).
 * Pending reviews come first: after the last of them, automatic decisions are not offered.
 */
export function nextAfterDecision(rows: readonly ConflictRow[], currentId: string): string | null {
  const current = rows.find((r) => r.conflictId === currentId);
  const wanted = (r: ConflictRow): boolean => r.conflictId !== currentId && isActionable(r) && (current === undefined || current.status !== 'PENDING_REVIEW' || r.status === 'PENDING_REVIEW');
  const at = rows.findIndex((r) => r.conflictId === currentId);
  for (let i = at + 1; i < rows.length; i++) {
    const row = rows[i];
    if (row !== undefined && wanted(row)) return row.conflictId;
  }
  for (let i = 0; i < Math.max(at, 0); i++) {
    const row = rows[i];
    if (row !== undefined && wanted(row)) return row.conflictId;
  }
  return null;
}

/** The neighbour of `currentId` in the queue (j: +1, k: −1), or null at an end. */
export function neighbourOf(rows: readonly ConflictRow[], currentId: string, step: 1 | -1): string | null {
  const at = rows.findIndex((r) => r.conflictId === currentId);
  if (at === -1) return rows[0]?.conflictId ?? null;
  return rows[at + step]?.conflictId ?? null;
}

/**
 * The list as it will be once the decision lands: an "open only" list drops the decided
 * conflict, any other list shows it closed and decided by a supervisor.
 */
export function withDecided(rows: readonly ConflictRow[], args: ApiArgs<'listConflicts'>, conflictId: string, at: string): ConflictRow[] {
  if (args.open !== false || args.status === 'PENDING_REVIEW' || args.status === 'AUTO_RESOLVED') return rows.filter((r) => r.conflictId !== conflictId);
  return rows.map((r) => (r.conflictId === conflictId ? { ...r, status: 'RESOLVED', isOpen: false, updatedAt: at } : r));
}
