/**
 * The review queue: filters, counts, and the virtualized grid. j/k (or arrows) move,
 * Enter opens, ? shows help. Returning from a conflict re-selects the one just seen.
 */
import { useEffect, useRef, useState } from 'react';
import { keepPreviousData } from '@tanstack/react-query';
import type { ConflictRow } from '../../../shared/api/station-api.ts';
import { useApiQuery } from '../../api/api-context.tsx';
import { hasModifier, isDialogOpen, isTypingTarget } from '../../app/keyboard.ts';
import type { ConflictFilters } from '../../app/router.ts';
import { hrefOf } from '../../app/router.ts';
import { navigate } from '../../app/use-route.ts';
import { ErrorBox, Loading } from '../../components/status-message.tsx';
import { formatNumber, plural } from '../../format/format.ts';
import { ConflictFiltersBar } from './conflict-filters.tsx';
import { ConflictGrid } from './conflict-grid.tsx';
import { listArgsOf } from './queue.ts';
import { lastSeenConflict, rememberConflict } from './last-seen.ts';

function Counts({ rows, filters }: { rows: readonly ConflictRow[]; filters: ConflictFilters }) {
  const pending = rows.filter((r) => r.isOpen && r.status === 'PENDING_REVIEW').length;
  const auto = rows.filter((r) => r.isOpen && r.status === 'AUTO_RESOLVED').length;
  return (
    <p className="counts" role="status" data-testid="conflict-counts">
      <strong>{plural(rows.length, filters.open ? 'open conflict' : 'conflict')}</strong>
      {rows.length > 0 ? (
        <>
          {' '}
          — <span className="pending-text">{formatNumber(pending, 0)} need your decision</span>, {formatNumber(auto, 0)} decided automatically
        </>
      ) : null}
    </p>
  );
}

function EmptyQueue({ filters }: { filters: ConflictFilters }) {
  const narrowed = filters.type !== undefined || filters.wellId !== undefined || filters.strategy !== undefined;
  const allDone = filters.open && !narrowed && (filters.status === undefined || filters.status === 'PENDING_REVIEW');
  const isDefault = allDone && filters.status === undefined;
  return (
    <div className="empty big-empty" data-testid="conflicts-empty">
      {allDone ? <p>All done: nothing needs your decision.</p> : <p>No conflict matches these filters.</p>}
      {isDefault ? null : <a href={hrefOf({ name: 'conflicts', filters: { open: true } })}>Show all open conflicts</a>}
    </div>
  );
}

export function ConflictListScreen({ filters }: { filters: ConflictFilters }) {
  const list = useApiQuery('listConflicts', listArgsOf(filters), { placeholderData: keepPreviousData });
  const rows = list.data ?? [];
  const [activeId, setActiveId] = useState<string | null>(() => lastSeenConflict());
  const gridRef = useRef<HTMLDivElement>(null);
  const found = activeId === null ? -1 : rows.findIndex((r) => r.conflictId === activeId);
  const activeIndex = rows.length === 0 ? -1 : Math.max(found, 0);

  const open = (row: ConflictRow): void => {
    rememberConflict(row.conflictId);
    navigate({ name: 'conflict', conflictId: row.conflictId, filters });
  };
  const setActiveIndex = (index: number): void => setActiveId(rows[index]?.conflictId ?? null);

  // Focus the queue when it first has rows, so j/k and Enter work straight away.
  const hasRows = rows.length > 0;
  useEffect(() => {
    if (hasRows && (document.activeElement === document.body || document.activeElement?.id === 'main')) gridRef.current?.focus();
  }, [hasRows]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (isTypingTarget(event.target) || hasModifier(event) || isDialogOpen() || rows.length === 0) return;
      const onGrid = event.target === gridRef.current;
      const onPage = onGrid || event.target === document.body || (event.target instanceof HTMLElement && event.target.id === 'main');
      if (event.key === 'j' || event.key === 'k') {
        event.preventDefault();
        const next = Math.max(0, Math.min(rows.length - 1, activeIndex + (event.key === 'j' ? 1 : -1)));
        setActiveId(rows[next]?.conflictId ?? null);
        gridRef.current?.focus();
      } else if (event.key === 'Enter' && onPage) {
        const row = rows[activeIndex];
        if (row !== undefined) {
          event.preventDefault();
          open(row);
        }
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  });

  return (
    <div className="queue-screen">
      <div className="screen-head">
        <h1>Conflicts</h1>
        <p className="hint keys-hint">
          <kbd>j</kbd> <kbd>k</kbd> move · <kbd>Enter</kbd> open · <kbd>?</kbd> all shortcuts
        </p>
      </div>
      <ConflictFiltersBar filters={filters} onChange={(f) => navigate({ name: 'conflicts', filters: f }, { replace: true })} />
      {list.isPending ? (
        <Loading what="conflicts" />
      ) : list.isError ? (
        <ErrorBox error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <>
          <Counts rows={rows} filters={filters} />
          {rows.length === 0 ? (
            <EmptyQueue filters={filters} />
          ) : (
            <ConflictGrid rows={rows} activeIndex={activeIndex} onActiveChange={setActiveIndex} onOpen={open} hrefOf={(r) => hrefOf({ name: 'conflict', conflictId: r.conflictId, filters })} gridRef={gridRef} />
          )}
        </>
      )}
    </div>
  );
}
