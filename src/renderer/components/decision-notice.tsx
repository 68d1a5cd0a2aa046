/**
 * "Decided: …" after a supervisor's decision lands. The conflict page moves on to the next
 * conflict at once, so this says what was just decided, with a link back to it, until
 * the supervisor closes it or decides the next one. A tiny store outside React, so the
 * page that decides and the shell that shows the notice need no shared parent state.
 */
import { useSyncExternalStore } from 'react';
import { hrefOf } from '../app/router.ts';

export interface DecisionNoticeData {
  conflictId: string;
  /** What the record is, e.g. "Inspection: Well W-171 · SEP-1 · field day Sat, Nov 22". */
  what: string;
  /** What was kept, e.g. "entry 2 — Fail" or "a corrected value". */
  kept: string;
}

let current: DecisionNoticeData | null = null;
const listeners = new Set<() => void>();

function set(next: DecisionNoticeData | null): void {
  current = next;
  for (const l of listeners) l();
}

export function announceDecision(notice: DecisionNoticeData): void {
  set(notice);
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function DecisionNotice() {
  const notice = useSyncExternalStore(subscribe, () => current);
  if (notice === null) return null;
  return (
    <div className="decision-notice" role="status" data-testid="decision-notice">
      <span>
        ✓ Decided <strong>{notice.what}</strong>: kept {notice.kept}.{' '}
        <a href={hrefOf({ name: 'conflict', conflictId: notice.conflictId, filters: { open: false } })}>Open it</a>
      </span>
      <button type="button" className="link-button" onClick={() => set(null)} aria-label="Close this notice">
        Close
      </button>
    </div>
  );
}
