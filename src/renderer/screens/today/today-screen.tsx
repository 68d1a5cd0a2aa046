/**
 * Today: what needs the supervisor now (conflicts waiting, inspections that found a
 * problem, rejected input), what each tablet brought at its last dock, clocks that are
 * off, and the link to HQ.
 */
import { useApiQuery } from '../../api/api-context.tsx';
import { hrefOf } from '../../app/router.ts';
import { useStationFormat } from '../../app/station-format.tsx';
import { ErrorBox, Loading } from '../../components/status-message.tsx';
import { describeDock } from '../../format/dock-summary.ts';
import { formatBytes, formatDuration, formatNumber, formatSkew, plural } from '../../format/format.ts';
import { LANE_LABELS, LINK_STATE_LABELS } from '../../format/labels.ts';
import type { Lane } from '../../../shared/protocol/sync.ts';
import type { Overview } from '../../../shared/api/station-api.ts';

function BigNumber({ value, label, note, href, linkText, tone, testId }: { value: number; label: string; note?: string | null; href: string; linkText: string; tone: 'alert' | 'calm'; testId: string }) {
  return (
    <section className={`big-card ${value > 0 ? tone : 'calm'}`} aria-labelledby={`${testId}-label`}>
      <p className="big-number" data-testid={testId}>
        {formatNumber(value, 0)}
      </p>
      <h2 id={`${testId}-label`} className="big-label">
        {label}
      </h2>
      {note === undefined || note === null ? null : (
        <p className="big-note" data-testid={`${testId}-note`}>
          {note}
        </p>
      )}
      <a href={href} className={value > 0 && tone === 'alert' ? 'button primary' : 'button'} data-testid={`${testId}-link`}>
        {linkText}
      </a>
    </section>
  );
}

function Docks({ overview }: { overview: Overview }) {
  const fmt = useStationFormat();
  const now = Date.parse(overview.now);
  const docked = [...overview.devices].filter((d) => !d.revoked).sort((a, b) => (b.lastDockAt ?? '').localeCompare(a.lastDockAt ?? ''));
  return (
    <section className="panel panel-wide" aria-labelledby="docks-title">
      <h2 id="docks-title">What each tablet brought at its last dock</h2>
      {docked.length === 0 ? (
        <p className="empty">
          No tablet is paired yet. <a href="#/tablets">Pair a tablet</a>.
        </p>
      ) : (
        <ul className="dock-list">
          {docked.map((d) => (
            <li key={d.deviceId} data-testid="today-dock" data-device-id={d.deviceId}>
              <strong>{d.deviceName}</strong>: {describeDock(d.lastBatch, d.lastBatchForReview)}
              <span className="muted"> — {d.lastDockAt === null ? 'never docked' : `docked ${fmt.ago(d.lastDockAt, now)}`}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/**
 * Equipment that the inspections docked in the last 24 hours left failed or needing
 * attention, as the records stand now: safety work to follow up on even when no two
 * operators disagreed about it.
 */
function InspectionAlerts({ overview }: { overview: Overview }) {
  const fmt = useStationFormat();
  const alerts = overview.inspectionAlerts;
  return (
    <section className="panel panel-wide" aria-labelledby="inspections-title" data-testid="today-inspections">
      <h2 id="inspections-title">Equipment failed or needing attention</h2>
      <p className="muted small">From the inspections docked in the last 24 hours, as their records stand now.</p>
      {alerts.length === 0 ? (
        <p className="ok-text">None: no inspection docked in the last 24 hours left equipment failed or needing attention.</p>
      ) : (
        <ul className="dock-list">
          {alerts.map((a) => (
            <li key={a.recordKey} data-testid="today-inspection" data-record-key={a.recordKey}>
              <span className="badge badge-alert">{a.result === 'FAIL' ? 'Failed' : 'Needs attention'}</span>{' '}
              <a href={hrefOf({ name: 'well', wellId: a.wellId, days: 30 })}>{a.wellId}</a> · {a.equipmentId}
              {a.failedItems.length === 0 ? null : <> — failed: {a.failedItems.join(', ')}</>}
              <span className="muted">
                {' '}
                — inspected {fmt.short(a.correctedAt)}
                {a.operatorId === null ? '' : ` by ${a.operatorId}`}
                {a.decidedBy === null ? null : a.corrected ? `; value typed by ${a.decidedBy}` : `; kept by ${a.decidedBy}`}
              </span>
              {a.openConflictId === null ? null : (
                <>
                  {' '}
                  <a
                    className="warn-text"
                    href={hrefOf({ name: 'conflict', conflictId: a.openConflictId, filters: { open: true, status: 'PENDING_REVIEW' } })}
                    aria-label={`In review: decide ${a.equipmentId} at ${a.wellId}`}
                  >
                    in review
                  </a>
                </>
              )}
              {a.notes === null ? null : <p className="muted small">{a.notes}</p>}
            </li>
          ))}
        </ul>
      )}
      {overview.inspectionAlertCount > alerts.length ? (
        <p className="notice" data-testid="today-inspections-more">
          Showing the newest {formatNumber(alerts.length, 0)} of {formatNumber(overview.inspectionAlertCount, 0)}; each well's page lists all of its inspections.
        </p>
      ) : null}
    </section>
  );
}

function Clocks({ overview }: { overview: Overview }) {
  const skewed = overview.devices.filter((d) => overview.skewedDevices.includes(d.deviceId));
  return (
    <section className="panel" aria-labelledby="clocks-title">
      <h2 id="clocks-title">Tablet clocks</h2>
      {skewed.length === 0 ? (
        <p className="ok-text">All tablet clocks are right.</p>
      ) : (
        <>
          <p>These tablets' clocks were off at their last dock. Their times are corrected, but ask the operator to set the clock:</p>
          <ul>
            {skewed.map((d) => (
              <li key={d.deviceId} data-testid="today-skewed">
                <strong>{d.deviceName}</strong>: {formatSkew(d.clockSkewMs)}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** "about 12 min", from the link rate the relay last measured. */
function etaText(link: Overview['link']): string {
  if (link.etaSeconds === null) return 'not known until something has been sent';
  const eta = `about ${formatDuration(Math.max(1, link.etaSeconds) * 1000)}`;
  return link.state === 'ONLINE' || link.state === 'DEGRADED' ? eta : `${eta} once the link is back`;
}

function HqLink({ overview }: { overview: Overview }) {
  const fmt = useStationFormat();
  const link = overview.link;
  const lanes = Object.entries(link.queue) as [Lane, number][];
  const waiting = lanes.reduce((a, [, n]) => a + n, 0);
  return (
    <section className="panel" aria-labelledby="link-title">
      <h2 id="link-title">Link to HQ</h2>
      <p className={`link-state link-${link.state.toLowerCase()}`} data-testid="today-link-state">
        {LINK_STATE_LABELS[link.state]}
      </p>
      <dl className="facts">
        <div>
          <dt>Last sent</dt>
          <dd>{link.lastSuccessAt === null ? 'never' : fmt.dateTime(link.lastSuccessAt)}</dd>
        </div>
        <div>
          <dt>Sent today</dt>
          <dd className="num">{formatBytes(link.bytesToday)}</dd>
        </div>
        {waiting === 0 ? null : (
          <div>
            <dt>Time to send the rest</dt>
            <dd data-testid="today-link-eta">{etaText(link)}</dd>
          </div>
        )}
        {link.parked === 0 ? null : (
          <div>
            <dt>Set aside</dt>
            <dd data-testid="today-link-parked">
              {plural(link.parked, 'item')} HQ refused; the station keeps {link.parked === 1 ? 'it' : 'them'} (reasons in <a href={hrefOf({ name: 'audit' })}>Audit</a>)
            </dd>
          </div>
        )}
        {link.lastError === null ? null : (
          <div>
            <dt>Last problem</dt>
            <dd>{link.lastError}</dd>
          </div>
        )}
      </dl>
      <table className="data compact">
        <caption>Waiting to be sent: {plural(waiting, 'item')}</caption>
        <thead>
          <tr>
            <th scope="col">Kind</th>
            <th scope="col" className="num">
              Waiting
            </th>
          </tr>
        </thead>
        <tbody>
          {lanes.map(([lane, n]) => (
            <tr key={lane} data-testid="today-lane" data-lane={lane}>
              <th scope="row">{LANE_LABELS[lane]}</th>
              <td className="num">{formatNumber(n, 0)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function TodayScreen() {
  const overview = useApiQuery('getOverview', {});
  const fmt = useStationFormat();
  if (overview.isPending) return <Loading what="today's overview" />;
  if (overview.isError) return <ErrorBox error={overview.error} onRetry={() => void overview.refetch()} />;
  const o = overview.data;
  return (
    <>
      <h1>Today</h1>
      <p className="muted">Station time: {fmt.dateTime(o.now)}</p>
      <div className="big-row">
        <BigNumber
          value={o.pendingReview}
          label={o.pendingReview === 1 ? 'conflict needs your decision' : 'conflicts need your decision'}
          note={o.pendingSafety > 0 ? `${formatNumber(o.pendingSafety, 0)} safety-critical (inspections, repairs, well status) — listed first` : null}
          href={hrefOf({ name: 'conflicts', filters: { open: true, status: 'PENDING_REVIEW' } })}
          linkText={o.pendingReview > 0 ? 'Start deciding' : 'Open the queue'}
          tone="alert"
          testId="today-pending"
        />
        <BigNumber
          value={o.autoResolvedOpen}
          label="decided automatically — check them, override if wrong"
          href={hrefOf({ name: 'conflicts', filters: { open: true, status: 'AUTO_RESOLVED' } })}
          linkText="Review automatic decisions"
          tone="calm"
          testId="today-auto"
        />
        <BigNumber value={o.rejectedToday} label="entries rejected today" href="#/quarantine" linkText="See rejected input" tone="alert" testId="today-rejected" />
      </div>
      <div className="panel-grid">
        <InspectionAlerts overview={o} />
        <Docks overview={o} />
        <Clocks overview={o} />
        <HqLink overview={o} />
      </div>
    </>
  );
}
