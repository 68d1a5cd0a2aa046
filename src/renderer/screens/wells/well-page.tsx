/**
 * One well: production and pressure over the last 30 or 90 days, and the full history
 * of its events and supervisor decisions, newest first.
 */
import { WellStatus } from './well-status.tsx';
import { useMemo, useState } from 'react';
import type { EntryStanding, HistoryItem, WellDetail } from '../../../shared/api/station-api.ts';
import { ApiCallError, useApiQuery } from '../../api/api-context.tsx';
import { hrefOf } from '../../app/router.ts';
import { useStationFormat } from '../../app/station-format.tsx';
import { ErrorBox, Loading } from '../../components/status-message.tsx';
import type { StationFormat } from '../../format/format.ts';
import { formatQuantity, formatSkew, plural } from '../../format/format.ts';
import { eventStatusLabel, METRIC_LABELS, OUTCOME_LABELS, TYPE_LABELS } from '../../format/labels.ts';
import { summarizePayload } from '../../format/payload-fields.ts';
import type { ChartAxis, ChartSeries } from './time-chart.tsx';
import { TimeChart } from './time-chart.tsx';
import { pressureColumns, productionColumns } from './chart-data.ts';

const HISTORY_PAGE = 200;
const PRESSURE_COLORS = ['#1d4ed8', '#b45309', '#6d28d9', '#047857', '#be123c', '#334155'];
const PRODUCTION_AXES: readonly ChartAxis[] = [
  { scale: 'bbl', label: 'bbl', side: 3 },
  { scale: 'mcf', label: 'mcf', side: 1 },
];
const PRESSURE_AXES: readonly ChartAxis[] = [{ scale: 'psi', label: 'psi', side: 3 }];

function Charts({ detail, days }: { detail: WellDetail; days: 30 | 90 }) {
  const fmt = useStationFormat();
  const production = useMemo(() => productionColumns(detail.production), [detail.production]);
  const productionSeries = useMemo<ChartSeries[]>(
    () => [
      { label: 'Oil', unit: 'bbl', scale: 'bbl', color: '#1d4ed8', values: production.oil },
      { label: 'Gas', unit: 'mcf', scale: 'mcf', color: '#b45309', dash: [8, 4], values: production.gas },
      { label: 'Water', unit: 'bbl', scale: 'bbl', color: '#047857', dash: [2, 3], values: production.water },
    ],
    [production],
  );
  const pressure = useMemo(() => pressureColumns(detail.pressures), [detail.pressures]);
  const pressureSeries = useMemo<ChartSeries[]>(
    () => pressure.metrics.map((m, i) => ({ label: METRIC_LABELS[m] ?? m, unit: 'psi', scale: 'psi', color: PRESSURE_COLORS[i % PRESSURE_COLORS.length] ?? '#000', values: pressure.values[i] ?? [] })),
    [pressure],
  );
  const y = (v: number, unit: string): string => formatQuantity(v, unit);
  return (
    <div className="charts">
      <TimeChart
        title={`Production, last ${days} days`}
        description="Daily oil and water (bbl, left axis) and gas (mcf, right axis), one point per production day."
        xs={production.xs}
        series={productionSeries}
        axes={PRODUCTION_AXES}
        timeZone="UTC"
        formatX={(s) => fmt.day(new Date(s * 1000).toISOString().slice(0, 10))}
        formatY={y}
        testId="chart-production"
      />
      <TimeChart
        title={`Pressure, last ${days} days`}
        description={`Gauge readings in psi (kPa readings converted), times in ${fmt.timeZone}.`}
        xs={pressure.xs}
        series={pressureSeries}
        axes={PRESSURE_AXES}
        timeZone={fmt.timeZone}
        formatX={(s) => fmt.dateTime(new Date(s * 1000).toISOString())}
        formatY={y}
        testId="chart-pressure"
      />
    </div>
  );
}

/** Where the entry stands now, in words: the column a supervisor reads first. */
const STANDING_LABELS: Readonly<Record<EntryStanding, string>> = {
  CURRENT: 'Current value',
  IN_REVIEW: 'In review — waiting for a supervisor',
  NOT_CHOSEN: 'Not chosen by the automatic decision (can be overridden)',
  REPLACED: 'Replaced — kept in history',
};

/** What the station answered when the entry arrived. */
function arrivalOf(item: HistoryItem): string {
  if (item.kind === 'decision') return 'supervisor decision';
  const status = eventStatusLabel(item.status);
  return item.outcome === null ? status : `${status} — ${OUTCOME_LABELS[item.outcome]}`;
}

function History({ items, fmt, names }: { items: readonly HistoryItem[]; fmt: StationFormat; names: ReadonlyMap<string, string> }) {
  const [shown, setShown] = useState(HISTORY_PAGE);
  // Newest first by when it happened (a tablet's clock corrected), arrival order on ties.
  const ordered = useMemo(() => [...items].sort((a, b) => b.correctedAt.localeCompare(a.correctedAt) || b.seq - a.seq), [items]);
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">History ({plural(items.length, 'entry', 'entries')})</h2>
      <p className="muted">Everything recorded for this well, newest first. Nothing is ever deleted: replaced values stay here.</p>
      <div className="table-wrap">
        <table className="data" data-testid="well-history">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Kind</th>
              <th scope="col">What was recorded</th>
              <th scope="col">Who</th>
              <th scope="col">Now</th>
            </tr>
          </thead>
          <tbody>
            {ordered.slice(0, shown).map((item) => (
              <tr key={item.seq} className={item.kind === 'decision' ? 'row-decision' : undefined} data-testid="history-row" data-kind={item.kind}>
                <td className="nowrap">
                  {fmt.dateTime(item.correctedAt)}
                  {Math.abs(item.clockSkewMs) >= 1000 ? (
                    <span className="warn-text small" data-testid="history-skew">
                      <br />
                      corrected; tablet clock {formatSkew(item.clockSkewMs)}
                    </span>
                  ) : null}
                </td>
                <td>{TYPE_LABELS[item.type]}</td>
                <td>{summarizePayload(item.type, item.payload, fmt)}</td>
                <td>
                  {item.operatorId}
                  {item.deviceId === null ? null : <span className="muted"> on {names.get(item.deviceId) ?? item.deviceId}</span>}
                </td>
                <td data-testid="history-standing" data-standing={item.standing}>
                  <span className={item.standing === 'IN_REVIEW' ? 'warn-text' : undefined}>{STANDING_LABELS[item.standing]}</span>
                  <span className="muted small"> · on arrival: {arrivalOf(item)}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {shown < ordered.length ? (
        <button type="button" onClick={() => setShown((n) => n + HISTORY_PAGE)}>
          Show {Math.min(HISTORY_PAGE, ordered.length - shown)} more
        </button>
      ) : null}
    </section>
  );
}

export default function WellPage({ wellId, days }: { wellId: string; days: 30 | 90 }) {
  const well = useApiQuery('getWell', { wellId, days });
  const overview = useApiQuery('getOverview', {});
  const fmt = useStationFormat();
  const names = new Map((overview.data?.devices ?? []).map((d) => [d.deviceId, d.deviceName]));
  if (well.isPending) return <Loading what={`well ${wellId}`} />;
  if (well.isError) {
    const missing = well.error instanceof ApiCallError && well.error.code === 'NOT_FOUND';
    return (
      <>
        <h1>{missing ? `No well ${wellId}` : `Well ${wellId}`}</h1>
        <ErrorBox error={well.error} onRetry={missing ? undefined : () => void well.refetch()} />
        <a href="#/wells">All wells</a>
      </>
    );
  }
  const w = well.data.well;
  return (
    <>
      <nav className="crumbs" aria-label="Wells">
        <a href="#/wells">← All wells</a>
      </nav>
      <h1>
        Well {w.wellId}
        {w.name === null ? null : <span className="muted"> — {w.name}</span>}
      </h1>
      <dl className="facts inline">
        <div>
          <dt>Product</dt>
          <dd>{w.primaryProduct === 'oil' ? 'Oil well' : 'Gas well'}</dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd>
            <WellStatus status={w.status} since={w.status === null || w.status.since === '' ? undefined : fmt.dateTime(w.status.since)} />
          </dd>
        </div>
        <div>
          <dt>Disputed records</dt>
          <dd>
            {w.disputed > 0 ? (
              <a className="badge badge-pending" href={hrefOf({ name: 'conflicts', filters: { open: true, wellId: w.wellId } })}>
                ⚠ {w.disputed} — decide them
              </a>
            ) : (
              'none'
            )}
          </dd>
        </div>
        <div>
          <dt>Last update</dt>
          <dd>{fmt.dateTime(w.lastUpdatedAt)}</dd>
        </div>
      </dl>
      <div className="segmented" role="group" aria-label="Period">
        {([30, 90] as const).map((d) => (
          <a key={d} href={hrefOf({ name: 'well', wellId, days: d })} aria-current={d === days ? 'true' : undefined} data-testid={`well-days-${d}`}>
            Last {d} days
          </a>
        ))}
      </div>
      <Charts detail={well.data} days={days} />
      <History items={well.data.history} fmt={fmt} names={names} />
    </>
  );
}
