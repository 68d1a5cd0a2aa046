/**
 * Rejected input: what tablets sent that the station could not accept, with the reason in
 * words and the raw body as sent (pretty JSON, shown as text — never as markup).
 */
import { useApiQuery, useConnection } from '../../api/api-context.tsx';
import { useStationFormat } from '../../app/station-format.tsx';
import { Empty, ErrorBox, Loading } from '../../components/status-message.tsx';
import { plural, prettyJson } from '../../format/format.ts';
import { REJECT_CODE_LABELS } from '../../format/labels.ts';

const LIMIT = 1000;

export function QuarantineScreen() {
  const rows = useApiQuery('listQuarantine', { limit: LIMIT });
  const overview = useApiQuery('getOverview', {});
  const { exportUrl } = useConnection();
  const fmt = useStationFormat();
  const names = new Map((overview.data?.devices ?? []).map((d) => [d.deviceId, d.deviceName]));
  const csv = exportUrl('quarantine');
  return (
    <>
      <div className="screen-head">
        <h1>Rejected input</h1>
        {csv === null ? null : (
          <a className="button" href={csv} download data-testid="export-quarantine">
            Download as CSV
          </a>
        )}
      </div>
      <p className="muted">Entries a tablet sent that the station could not accept. They are kept here as sent; nothing else was changed. Usually the tablet's app needs an update or the operator must enter it again.</p>
      {rows.isPending ? (
        <Loading what="rejected input" />
      ) : rows.isError ? (
        <ErrorBox error={rows.error} onRetry={() => void rows.refetch()} />
      ) : rows.data.length === 0 ? (
        <Empty>Nothing was rejected. Every entry the tablets sent was accepted.</Empty>
      ) : (
        <>
          <p>{plural(rows.data.length, 'rejected entry', 'rejected entries')}{rows.data.length >= LIMIT ? ' (the most recent)' : ''}</p>
          <ul className="quarantine-list">
            {rows.data.map((r) => (
              <li key={r.id} className="panel" data-testid="quarantine-row" data-code={r.code}>
                <h2 className="h3">{REJECT_CODE_LABELS[r.code] ?? r.code}</h2>
                <p>{r.message}</p>
                <dl className="facts inline">
                  <div>
                    <dt>Tablet</dt>
                    <dd>{names.get(r.deviceId) ?? r.deviceId}</dd>
                  </div>
                  <div>
                    <dt>Received</dt>
                    <dd>{fmt.dateTime(r.receivedAt)}</dd>
                  </div>
                  <div>
                    <dt>Entry id</dt>
                    <dd className="code break">{r.eventId ?? '—'}</dd>
                  </div>
                  <div>
                    <dt>Code</dt>
                    <dd className="code">{r.code}</dd>
                  </div>
                </dl>
                <details>
                  <summary>What the tablet sent</summary>
                  <pre className="json" data-testid="quarantine-raw">
                    {prettyJson(r.raw)}
                  </pre>
                </details>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
