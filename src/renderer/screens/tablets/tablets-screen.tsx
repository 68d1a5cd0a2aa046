/** Tablets: who is paired, when each last docked, whose clock is off; revoke; pair a new one. */
import { useState } from 'react';
import type { DeviceRow, PairingCodeResult } from '../../../shared/api/station-api.ts';
import { useApiMutation, useApiQuery } from '../../api/api-context.tsx';
import { useSession } from '../../app/session-context.tsx';
import { useStationFormat } from '../../app/station-format.tsx';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { useNow } from '../../components/use-now.ts';
import { Empty, ErrorBox, Loading } from '../../components/status-message.tsx';
import { describeDock } from '../../format/dock-summary.ts';
import { formatSkew } from '../../format/format.ts';
import { PairingPanel } from './pairing-panel.tsx';

export function TabletsScreen() {
  const devices = useApiQuery('listDevices', {});
  const overview = useApiQuery('getOverview', {});
  const fmt = useStationFormat();
  const { canDecide } = useSession();
  const pair = useApiMutation('createPairingCode', ['listDevices', 'listAudit']);
  // Revoking is announced on the live feed ('devices'); pairing codes are not, so they refresh here.
  const revoke = useApiMutation('revokeDevice');
  const [pairing, setPairing] = useState<PairingCodeResult | null>(null);
  const [toRevoke, setToRevoke] = useState<DeviceRow | null>(null);
  const skewed = new Set(overview.data?.skewedDevices ?? []);
  const now = useNow(60_000);

  return (
    <>
      <div className="screen-head">
        <h1>Tablets</h1>
        <button type="button" className="primary" disabled={!canDecide || pair.isPending} onClick={() => pair.mutate({}, { onSuccess: setPairing })} data-testid="pair-tablet">
          {pair.isPending ? 'Making a code…' : 'Pair a tablet'}
        </button>
      </div>
      {canDecide ? null : <p className="notice">You are signed in as a viewer: only a supervisor can pair or revoke tablets.</p>}
      {pair.isError ? <ErrorBox error={pair.error} /> : null}
      {pairing === null ? null : <PairingPanel pairing={pairing} onDone={() => setPairing(null)} />}
      {revoke.isError ? <ErrorBox error={revoke.error} /> : null}
      {devices.isPending ? (
        <Loading what="tablets" />
      ) : devices.isError ? (
        <ErrorBox error={devices.error} onRetry={() => void devices.refetch()} />
      ) : devices.data.length === 0 ? (
        <Empty>No tablet is paired yet. Press “Pair a tablet” to start.</Empty>
      ) : (
        <div className="table-wrap">
          <table className="data" data-testid="tablets-table">
            <caption className="visually-hidden">Paired tablets</caption>
            <thead>
              <tr>
                <th scope="col">Tablet</th>
                <th scope="col">Paired</th>
                <th scope="col">Last dock</th>
                <th scope="col">What it brought</th>
                <th scope="col">Clock</th>
                <th scope="col">State</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {devices.data.map((d) => (
                <tr key={d.deviceId} className={d.revoked ? 'row-muted' : undefined} data-testid="tablet-row" data-device-id={d.deviceId}>
                  <th scope="row">
                    {d.deviceName}
                    <div className="muted small">{d.deviceId}</div>
                  </th>
                  <td>{fmt.date(d.pairedAt)}</td>
                  <td>{d.lastDockAt === null ? 'never' : fmt.ago(d.lastDockAt, now)}</td>
                  <td>{describeDock(d.lastBatch, d.lastBatchForReview)}</td>
                  <td className={skewed.has(d.deviceId) ? 'warn-text' : undefined}>
                    {skewed.has(d.deviceId) ? '⚠ ' : ''}
                    {formatSkew(d.clockSkewMs)}
                  </td>
                  <td>{d.revoked ? 'Revoked' : 'Active'}</td>
                  <td>
                    {d.revoked ? null : (
                      <button type="button" className="danger-outline" disabled={!canDecide} onClick={() => setToRevoke(d)} data-testid="revoke-tablet" aria-label={`Revoke ${d.deviceName}`}>
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ConfirmDialog
        open={toRevoke !== null}
        title={`Revoke ${toRevoke?.deviceName ?? 'tablet'}?`}
        confirmLabel="Revoke tablet"
        danger
        busy={revoke.isPending}
        onCancel={() => setToRevoke(null)}
        onConfirm={() => {
          if (toRevoke !== null) revoke.mutate({ deviceId: toRevoke.deviceId }, { onSettled: () => setToRevoke(null) });
        }}
        testId="revoke-dialog"
      >
        <p>The tablet will not be able to dock any more. What it already sent stays on the station. To use it again, pair it again with a new code.</p>
      </ConfirmDialog>
    </>
  );
}
