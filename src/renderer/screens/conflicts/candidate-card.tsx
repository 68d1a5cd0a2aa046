/**
 * One candidate of a conflict, as a card beside the others. The cards share one CSS
 * subgrid, so the same field sits on the same line in every card; fields that differ
 * between candidates are highlighted (colour and a "differs" mark, never colour alone).
 */
import type { Candidate } from '../../../shared/api/station-api.ts';
import { useStationFormat } from '../../app/station-format.tsx';
import { formatNumber, formatSkew, textOf, unitLabel } from '../../format/format.ts';
import { INSPECTION_RESULT_LABELS } from '../../format/labels.ts';
import { fieldLabel, formatField } from '../../format/payload-fields.ts';
import { TIME_FIELD } from '../../../shared/events/record-key.ts';
import type { ReadingUnit } from '../../../shared/events/types.ts';
import { normalizeReading, roundSig4, UNITS_BY_METRIC } from '../../../shared/units/normalize.ts';

interface Props {
  candidate: Candidate;
  index: number;
  fields: readonly string[];
  hasPhotos: boolean;
  deviceName: string | null;
  winnerLabel: string | null;
  /** The other candidates' payloads: checklist items are compared one by one. */
  others: readonly Readonly<Record<string, unknown>>[];
  selected: boolean;
  selectable: boolean;
  disabled: boolean;
  onSelect: () => void;
}

const NUMERIC_FIELDS: ReadonlySet<string> = new Set(['oilBbl', 'gasMcf', 'waterBbl', 'value', 'hoursOn']);

function isChecklist(x: unknown): x is Readonly<Record<string, unknown>> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** An inspection checklist, one item a line; items another candidate recorded differently are marked. */
function Checklist({ items, others }: { items: Readonly<Record<string, unknown>>; others: readonly Readonly<Record<string, unknown>>[] }) {
  const entries = Object.entries(items);
  if (entries.length === 0) return <>—</>;
  return (
    <ul className="checklist">
      {entries.map(([item, result]) => {
        const differs = others.some((p) => {
          const list = p['checklist'];
          return isChecklist(list) && list[item] !== result;
        });
        const text = typeof result === 'string' ? (INSPECTION_RESULT_LABELS[result] ?? result) : textOf(result);
        return (
          <li key={item} className={differs ? 'item-differs' : undefined}>
            {item}: {text}
            {differs ? <span className="differs-mark"> ≠</span> : null}
          </li>
        );
      })}
    </ul>
  );
}

/** Rows of the shared subgrid a card spans: header, fields, who/when, photo, choose. */
export function cardRowCount(fieldCount: number, hasPhotos: boolean): number {
  return 1 + fieldCount + 1 + (hasPhotos ? 1 : 0) + 1;
}

/**
 * A reading in another unit than some other entry's (kPa against psi, °C against °F, in
 * or m against ft), converted to the metric's comparison unit (psi, °F, ft) so the values can be
 * compared at a glance; null when all entries share a unit or the units do not convert.
 */
function convertedReading(payload: Readonly<Record<string, unknown>>, others: readonly Readonly<Record<string, unknown>>[]): string | null {
  const { metric, unit, value } = payload;
  if (typeof metric !== 'string' || typeof unit !== 'string' || typeof value !== 'number' || metric === 'FLOW_RATE') return null;
  const units: readonly string[] | undefined = (UNITS_BY_METRIC as Readonly<Record<string, readonly string[]>>)[metric];
  const base = units?.[0];
  if (base === undefined || unit === base || !others.some((o) => typeof o['unit'] === 'string' && o['unit'] !== unit)) return null;
  return `${formatNumber(roundSig4(normalizeReading(value, unit as ReadingUnit)), 1)} ${unitLabel(base)}`;
}

/** The time fields of the event types (the type's own time, as the tablet clock said it). */
const TIME_FIELDS: ReadonlySet<string> = new Set(Object.values(TIME_FIELD));

/**
 * A time a tablet with a wrong clock wrote: the corrected instant first (what the supervisor
 * compares across entries), the tablet's own reading after it, in small print.
 */
function SkewCorrectedTime({ raw, skewMs }: { raw: string; skewMs: number }) {
  const fmt = useStationFormat();
  const ms = Date.parse(raw);
  if (!Number.isFinite(ms)) return <>{raw}</>;
  return (
    <span data-testid="skew-corrected-time">
      {fmt.dateTime(new Date(ms - skewMs).toISOString())}{' '}
      <span className="warn-text small">
        corrected · the tablet clock ({formatSkew(skewMs)}) said {fmt.dateTime(raw)}
      </span>
    </span>
  );
}

export function CandidateCard({ candidate, index, fields, hasPhotos, deviceName, winnerLabel, others, selected, selectable, disabled, onSelect }: Props) {
  const fmt = useStationFormat();
  const number = index + 1;
  const titleId = `candidate-${index}-title`;
  const source = candidate.kind === 'decision' ? 'Earlier supervisor decision' : `From ${deviceName ?? candidate.deviceId ?? 'an unknown tablet'}`;
  const skewed = Math.abs(candidate.clockSkewMs) >= 1000;
  return (
    <article
      className={`candidate${selected ? ' selected' : ''}${candidate.isWinner ? ' winner' : ''}`}
      style={{ gridRow: `span ${cardRowCount(fields.length, hasPhotos)}` }}
      aria-labelledby={titleId}
      data-testid="candidate-card"
      data-event-id={candidate.eventId}
      data-index={number}
      data-selected={selected}
    >
      <header className="candidate-head">
        {number <= 9 ? (
          <kbd className="candidate-key" aria-hidden="true">
            {number}
          </kbd>
        ) : null}
        <div>
          <h3 id={titleId}>
            Entry {number} <span className="muted">· {source}</span>
          </h3>
          {winnerLabel === null ? null : <span className="tag tag-winner">{winnerLabel}</span>}
        </div>
      </header>
      <dl className="candidate-fields">
        {fields.map((field) => {
          const differs = candidate.differingFields.includes(field);
          const converted = field === 'value' ? convertedReading(candidate.payload, others) : null;
          return (
            <div key={field} className={`field${differs ? ' differs' : ''}`} data-field={field} data-differs={differs}>
              <dt>
                {fieldLabel(field)}
                {differs ? <span className="differs-mark"> ≠ differs</span> : null}
              </dt>
              <dd className={NUMERIC_FIELDS.has(field) ? 'num' : undefined}>
                {field === 'checklist' && isChecklist(candidate.payload['checklist']) ? (
                  <Checklist items={candidate.payload['checklist']} others={others} />
                ) : converted !== null ? (
                  <>
                    {formatField(field, candidate.payload, fmt)}{' '}
                    <span className="muted small" data-testid="converted-reading">
                      ≈ {converted}
                    </span>
                  </>
                ) : skewed && TIME_FIELDS.has(field) && typeof candidate.payload[field] === 'string' ? (
                  <SkewCorrectedTime raw={candidate.payload[field]} skewMs={candidate.clockSkewMs} />
                ) : (
                  formatField(field, candidate.payload, fmt)
                )}
              </dd>
            </div>
          );
        })}
      </dl>
      <dl className="candidate-meta">
        <div>
          <dt>Operator</dt>
          <dd>{candidate.operatorId}</dd>
        </div>
        <div>
          <dt>Tablet</dt>
          <dd>{candidate.deviceId === null ? '— (station)' : (deviceName ?? candidate.deviceId)}</dd>
        </div>
        <div>
          <dt>Recorded (tablet clock)</dt>
          <dd>{fmt.dateTime(candidate.occurredAt)}</dd>
        </div>
        <div>
          <dt>Corrected time</dt>
          <dd>
            {fmt.dateTime(candidate.correctedAt)}
            {skewed ? <span className="warn-text"> (tablet clock {formatSkew(candidate.clockSkewMs)})</span> : null}
          </dd>
        </div>
        <div>
          <dt>Received</dt>
          <dd>{fmt.dateTime(candidate.receivedAt)}</dd>
        </div>
      </dl>
      {hasPhotos ? (
        <div className="candidate-photo">
          {candidate.photoUrl === null ? null : (
            <img src={candidate.photoUrl} alt={`Photo of entry ${number}${typeof candidate.payload['caption'] === 'string' ? `: ${candidate.payload['caption']}` : ''}`} loading="lazy" />
          )}
        </div>
      ) : null}
      <div className="candidate-choose">
        {selectable ? (
          <label className={`choose${disabled ? ' disabled' : ''}`}>
            <input type="radio" name="decision-choice" value={candidate.eventId} checked={selected} disabled={disabled} onChange={onSelect} data-testid="candidate-choose" />
            Keep entry {number}
            {number <= 9 ? <span className="muted small"> (press {number})</span> : null}
          </label>
        ) : null}
      </div>
    </article>
  );
}
