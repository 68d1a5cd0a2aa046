/** The queue's filters: open/all, status, type, well, rule. Each change is a new URL. */
import type { ChangeEvent as ReactChangeEvent } from 'react';
import type { ConflictStatus, Strategy } from '../../../shared/engine/types.ts';
import { STRATEGIES } from '../../../shared/engine/types.ts';
import type { EventType } from '../../../shared/events/types.ts';
import { EVENT_TYPES } from '../../../shared/events/types.ts';
import { useApiQuery } from '../../api/api-context.tsx';
import type { ConflictFilters } from '../../app/router.ts';
import { CONFLICT_STATUSES } from '../../app/router.ts';
import { CONFLICT_STATUS_FILTER_LABELS, STRATEGY_LABELS, TYPE_LABELS } from '../../format/labels.ts';

interface Props {
  filters: ConflictFilters;
  onChange: (filters: ConflictFilters) => void;
}

function pick<T extends string>(values: readonly T[], x: string): T | undefined {
  return (values as readonly string[]).includes(x) ? (x as T) : undefined;
}

function withField<K extends 'status' | 'type' | 'wellId' | 'strategy'>(filters: ConflictFilters, key: K, value: ConflictFilters[K] | undefined): ConflictFilters {
  const next: ConflictFilters = { ...filters };
  if (value === undefined) delete next[key];
  else next[key] = value;
  return next;
}

export function ConflictFiltersBar({ filters, onChange }: Props) {
  const wells = useApiQuery('listWells', {});
  const wellIds = (wells.data ?? []).map((w) => w.wellId);
  if (filters.wellId !== undefined && !wellIds.includes(filters.wellId)) wellIds.unshift(filters.wellId);
  const on = (f: (value: string) => ConflictFilters) => (e: ReactChangeEvent<HTMLSelectElement>) => onChange(f(e.target.value));
  const isFiltered = !filters.open || filters.status !== undefined || filters.type !== undefined || filters.wellId !== undefined || filters.strategy !== undefined;
  return (
    <form className="filters" role="search" aria-label="Filter conflicts" onSubmit={(e) => e.preventDefault()}>
      <div className="filter">
        <label htmlFor="filter-open">Show</label>
        <select id="filter-open" value={filters.open ? 'open' : 'all'} onChange={on((v) => ({ ...filters, open: v !== 'all' }))} data-testid="filter-open">
          <option value="open">Open conflicts</option>
          <option value="all">Open and closed</option>
        </select>
      </div>
      <div className="filter">
        <label htmlFor="filter-status">Status</label>
        <select id="filter-status" value={filters.status ?? ''} onChange={on((v) => withField(filters, 'status', pick<ConflictStatus>(CONFLICT_STATUSES, v)))} data-testid="filter-status">
          <option value="">Any status</option>
          {CONFLICT_STATUSES.map((s) => (
            <option key={s} value={s}>
              {CONFLICT_STATUS_FILTER_LABELS[s]}
            </option>
          ))}
        </select>
      </div>
      <div className="filter">
        <label htmlFor="filter-type">Kind of record</label>
        <select id="filter-type" value={filters.type ?? ''} onChange={on((v) => withField(filters, 'type', pick<EventType>(EVENT_TYPES, v)))} data-testid="filter-type">
          <option value="">All kinds</option>
          {EVENT_TYPES.map((t) => (
            <option key={t} value={t}>
              {TYPE_LABELS[t]}
            </option>
          ))}
        </select>
      </div>
      <div className="filter">
        <label htmlFor="filter-well">Well</label>
        <select id="filter-well" value={filters.wellId ?? ''} onChange={on((v) => withField(filters, 'wellId', v === '' ? undefined : v))} data-testid="filter-well">
          <option value="">All wells</option>
          {wellIds.map((id) => (
            <option key={id} value={id}>
              {id}
            </option>
          ))}
        </select>
      </div>
      <div className="filter">
        <label htmlFor="filter-strategy">Rule</label>
        <select id="filter-strategy" value={filters.strategy ?? ''} onChange={on((v) => withField(filters, 'strategy', pick<Strategy>(STRATEGIES, v)))} data-testid="filter-strategy">
          <option value="">Any rule</option>
          {STRATEGIES.map((s) => (
            <option key={s} value={s}>
              {STRATEGY_LABELS[s]}
            </option>
          ))}
        </select>
      </div>
      {isFiltered ? (
        <button type="button" className="link-button" onClick={() => onChange({ open: true })} data-testid="filter-clear">
          Clear filters
        </button>
      ) : null}
    </form>
  );
}
