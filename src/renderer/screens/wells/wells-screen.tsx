/** Wells: latest production and status of every well; disputed records stand out. */
import { WellStatus } from './well-status.tsx';
import { useState } from 'react';
import type { WellSummary } from '../../../shared/api/station-api.ts';
import { useApiQuery } from '../../api/api-context.tsx';
import { hrefOf } from '../../app/router.ts';
import { useStationFormat } from '../../app/station-format.tsx';
import { Empty, ErrorBox, Loading } from '../../components/status-message.tsx';
import { formatNumber, formatQuantity, plural } from '../../format/format.ts';

function matches(well: WellSummary, q: string): boolean {
  const needle = q.trim().toLowerCase();
  return needle === '' || well.wellId.toLowerCase().includes(needle) || (well.name ?? '').toLowerCase().includes(needle);
}

export function WellsScreen() {
  const wells = useApiQuery('listWells', {});
  const fmt = useStationFormat();
  const [q, setQ] = useState('');
  const [disputedOnly, setDisputedOnly] = useState(false);
  if (wells.isPending) return <Loading what="wells" />;
  if (wells.isError) return <ErrorBox error={wells.error} onRetry={() => void wells.refetch()} />;
  const rows = wells.data.filter((w) => matches(w, q) && (!disputedOnly || w.disputed > 0));
  const disputedWells = wells.data.filter((w) => w.disputed > 0).length;
  return (
    <>
      <h1>Wells</h1>
      <form className="filters" role="search" aria-label="Find a well" onSubmit={(e) => e.preventDefault()}>
        <div className="filter">
          <label htmlFor="wells-search">Find a well</label>
          <input id="wells-search" type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="Well id or name" data-testid="wells-search" />
        </div>
        <label className="check">
          <input type="checkbox" checked={disputedOnly} onChange={(e) => setDisputedOnly(e.target.checked)} data-testid="wells-disputed-only" />
          Only wells with disputed records ({disputedWells})
        </label>
      </form>
      {rows.length === 0 ? (
        <Empty>{wells.data.length === 0 ? 'No well has sent data yet.' : 'No well matches.'}</Empty>
      ) : (
        <div className="table-wrap">
          <table className="data" data-testid="wells-table">
            <caption className="visually-hidden">Wells with their latest production</caption>
            <thead>
              <tr>
                <th scope="col">Well</th>
                <th scope="col">Status</th>
                <th scope="col">Latest production day</th>
                <th scope="col" className="num">
                  Oil
                </th>
                <th scope="col" className="num">
                  Gas
                </th>
                <th scope="col" className="num">
                  Water
                </th>
                <th scope="col">Disputed</th>
                <th scope="col" className="num">
                  Records
                </th>
                <th scope="col">Last update</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((w) => (
                <tr key={w.wellId} className={w.disputed > 0 ? 'row-disputed' : undefined} data-testid="well-row" data-well-id={w.wellId}>
                  <th scope="row">
                    <a href={hrefOf({ name: 'well', wellId: w.wellId, days: 30 })}>{w.wellId}</a>
                    {w.name === null ? null : <span className="muted"> {w.name}</span>}
                    <span className="muted small"> · {w.primaryProduct === 'oil' ? 'oil' : 'gas'}</span>
                  </th>
                  <td>
                    <WellStatus status={w.status} compact />
                  </td>
                  <td>{w.lastProduction === null ? '—' : fmt.day(w.lastProduction.date)}</td>
                  <td className="num">{w.lastProduction === null ? '—' : formatQuantity(w.lastProduction.oilBbl, 'bbl')}</td>
                  <td className="num">{w.lastProduction === null ? '—' : formatQuantity(w.lastProduction.gasMcf, 'mcf')}</td>
                  <td className="num">{w.lastProduction === null ? '—' : formatQuantity(w.lastProduction.waterBbl, 'bbl')}</td>
                  <td>
                    {w.disputed > 0 ? (
                      <a className="badge badge-pending" href={hrefOf({ name: 'conflicts', filters: { open: true, wellId: w.wellId } })}>
                        ⚠ {plural(w.disputed, 'disputed record')}
                      </a>
                    ) : (
                      <span className="muted">none</span>
                    )}
                  </td>
                  <td className="num">{formatNumber(w.records, 0)}</td>
                  <td>{fmt.dateTime(w.lastUpdatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
