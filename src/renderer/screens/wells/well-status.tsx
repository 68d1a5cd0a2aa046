/** A well's current status as reported by its last WELL_STATUS_CHANGED: anything but Active stands out. */
import type { WellStatusNow } from '../../../shared/api/station-api.ts';
import { WELL_STATUS_LABELS } from '../../format/labels.ts';

/**
 * `compact` (the wells list): one short line, the reason as a tooltip. Otherwise (a
 * well's page) the reason and the time it took effect follow the status.
 */
export function WellStatus({ status, since, compact = false }: { status: WellStatusNow | null; since?: string | undefined; compact?: boolean }) {
  if (status === null) {
    return (
      <span className="muted" title="No tablet has reported a status for this well yet">
        {compact ? '—' : 'not reported yet'}
      </span>
    );
  }
  const active = status.status === 'ACTIVE';
  const label = compact && active ? 'Active' : (WELL_STATUS_LABELS[status.status] ?? status.status);
  return (
    <span data-testid="well-status" data-status={status.status} title={compact && status.reason !== null ? status.reason : undefined}>
      <span className={active ? undefined : 'badge badge-alert'}>{label}</span>
      {status.disputed ? <span className="warn-text"> (in review)</span> : null}
      {compact || since === undefined ? null : <span className="muted small"> since {since}</span>}
      {compact || status.reason === null ? null : <span className="muted small"> — {status.reason}</span>}
    </span>
  );
}
