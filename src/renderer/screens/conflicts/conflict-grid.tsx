/**
 * The virtualized conflict queue: an ARIA grid whose rows exist in the DOM only while
 * visible, so 10,000 conflicts scroll smoothly on a cheap laptop. The grid itself is the
 * scroll container and the focus target; the selected row is its active descendant.
 */
import { SAFETY_TYPES } from '../../../shared/engine/policy.ts';
import { useEffect, useRef } from 'react';
import type { KeyboardEvent as ReactKeyboardEvent, RefObject } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { ConflictRow } from '../../../shared/api/station-api.ts';
import { useStationFormat } from '../../app/station-format.tsx';
import { plural } from '../../format/format.ts';
import { conflictStatusLabel, METRIC_LABELS, STRATEGY_LABELS, TYPE_LABELS } from '../../format/labels.ts';
import { parseRecordKey } from '../../format/payload-fields.ts';

const ROW_HEIGHT_PX = 52;
const PAGE_ROWS = 10;

export function rowDomId(conflictId: string): string {
  return `conflict-row-${conflictId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

interface Props {
  rows: readonly ConflictRow[];
  activeIndex: number;
  onActiveChange: (index: number) => void;
  onOpen: (row: ConflictRow) => void;
  hrefOf: (row: ConflictRow) => string;
  gridRef: RefObject<HTMLDivElement | null>;
}

function statusTone(row: ConflictRow): string {
  if (!row.isOpen) return 'closed';
  return row.status === 'PENDING_REVIEW' ? 'pending' : 'auto';
}

function whatOf(row: ConflictRow, day: (ymd: string) => string): string {
  const key = parseRecordKey(row.recordKey);
  const bits = [TYPE_LABELS[row.type]];
  if (key.item !== null) bits.push(METRIC_LABELS[key.item] ?? key.item);
  if (key.day !== null) bits.push(day(key.day));
  return bits.join(' · ');
}

export function ConflictGrid({ rows, activeIndex, onActiveChange, onOpen, hrefOf, gridRef }: Props) {
  const fmt = useStationFormat();
  // oxlint-disable-next-line react/incompatible-library -- the React Compiler is not used; the virtualizer's mutable instance is fine here.
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => gridRef.current,
    estimateSize: () => ROW_HEIGHT_PX,
    overscan: 8,
    scrollPaddingStart: ROW_HEIGHT_PX,
  });
  const lastScrolled = useRef(-1);

  useEffect(() => {
    if (activeIndex >= 0 && activeIndex < rows.length && activeIndex !== lastScrolled.current) {
      lastScrolled.current = activeIndex;
      virtualizer.scrollToIndex(activeIndex, { align: 'auto' });
    }
  }, [activeIndex, rows.length, virtualizer]);

  const move = (index: number): void => onActiveChange(Math.max(0, Math.min(rows.length - 1, index)));
  const onKeyDown = (event: ReactKeyboardEvent<HTMLDivElement>): void => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const keys: Record<string, () => void> = {
      ArrowDown: () => move(activeIndex + 1),
      ArrowUp: () => move(activeIndex - 1),
      PageDown: () => move(activeIndex + PAGE_ROWS),
      PageUp: () => move(activeIndex - PAGE_ROWS),
      Home: () => move(0),
      End: () => move(rows.length - 1),
    };
    const action = keys[event.key];
    if (action !== undefined) {
      event.preventDefault();
      action();
    }
  };

  const active = rows[activeIndex];
  return (
    <div
      ref={gridRef}
      className="grid"
      role="grid"
      aria-label="Conflicts"
      aria-rowcount={rows.length + 1}
      aria-colcount={6}
      aria-activedescendant={active === undefined ? undefined : rowDomId(active.conflictId)}
      tabIndex={0}
      onKeyDown={onKeyDown}
      data-testid="conflict-grid"
    >
      <div role="rowgroup" className="grid-head">
        <div role="row" aria-rowindex={1} className="grid-row">
          <div role="columnheader">Status</div>
          <div role="columnheader">What</div>
          <div role="columnheader">Well</div>
          <div role="columnheader">Differing values</div>
          <div role="columnheader">Why</div>
          <div role="columnheader" className="num">
            Opened
          </div>
        </div>
      </div>
      <div role="rowgroup" className="grid-body" style={{ height: `${virtualizer.getTotalSize()}px` }}>
        {virtualizer.getVirtualItems().map((item) => {
          const row = rows[item.index];
          if (row === undefined) return null;
          const isActive = item.index === activeIndex;
          return (
            <div
              key={row.conflictId}
              id={rowDomId(row.conflictId)}
              role="row"
              aria-rowindex={item.index + 2}
              aria-selected={isActive}
              className={`grid-row tone-${statusTone(row)}${isActive ? ' active' : ''}`}
              style={{ transform: `translateY(${item.start}px)`, height: `${ROW_HEIGHT_PX}px` }}
              onClick={() => {
                onActiveChange(item.index);
                onOpen(row);
              }}
              data-testid="conflict-row"
              data-conflict-id={row.conflictId}
              data-status={row.status}
            >
              <div role="gridcell">
                <span className={`badge badge-${statusTone(row)}`}>{conflictStatusLabel(row.status, row.isOpen)}</span>
              </div>
              <div role="gridcell" className="ellipsis" title={whatOf(row, (d) => fmt.day(d))}>
                {row.isOpen && row.status === 'PENDING_REVIEW' && SAFETY_TYPES.includes(row.type) ? (
                  <span className="tag tag-safety" data-testid="safety-tag">
                    Safety
                  </span>
                ) : null}
                <a href={hrefOf(row)} tabIndex={-1} onClick={(e) => e.preventDefault()}>
                  {whatOf(row, (d) => fmt.day(d))}
                </a>
              </div>
              <div role="gridcell" className="ellipsis">
                {row.wellId}
              </div>
              <div role="gridcell" className="nowrap">
                {plural(row.distinctValues, 'value')} <span className="muted small">/ {plural(row.candidates.length, 'entry', 'entries')}</span>
              </div>
              <div role="gridcell" className="ellipsis" title={row.reason}>
                {row.reason} <span className="muted small">({STRATEGY_LABELS[row.strategy]})</span>
              </div>
              <div role="gridcell" className="num nowrap">
                {fmt.short(row.openedAt)}
              </div>
            </div>
          );
        })}
      </div>
    </div>
  );
}
