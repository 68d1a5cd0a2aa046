/**
 * "Your decision": corrected-value option, comment, and the confirm/override button.
 * Viewers see it disabled with a note; closed conflicts show the decision that was made.
 */
import type { RefObject } from 'react';
import type { ConflictDetail } from '../../../shared/api/station-api.ts';
import { useStationFormat } from '../../app/station-format.tsx';
import { errorText } from '../../components/status-message.tsx';
import { STRATEGY_LABELS } from '../../format/labels.ts';
import type { CorrectionDraft, CorrectionField } from './correction.ts';
import { CorrectionForm } from './correction-form.tsx';

export type Choice = { kind: 'candidate'; eventId: string } | { kind: 'correction' } | null;

interface Props {
  detail: ConflictDetail;
  canDecide: boolean;
  choice: Choice;
  choiceLabel: string | null;
  /** Override only: the entry the station's rule kept, or null when none is named. */
  stationChoiceLabel: string | null;
  /** Override only: the supervisor chose the entry the station already keeps. */
  keepsStationChoice: boolean;
  correctionFields: readonly CorrectionField[] | null;
  draft: CorrectionDraft;
  draftErrors: Readonly<Record<string, string>>;
  comment: string;
  problem: string | null;
  busy: boolean;
  serverError: unknown;
  commentRef: RefObject<HTMLTextAreaElement | null>;
  onChooseCorrection: () => void;
  onDraftChange: (name: string, value: string) => void;
  onCommentChange: (value: string) => void;
  onConfirm: () => void;
}

export function DecisionMade({ detail }: { detail: ConflictDetail }) {
  const fmt = useStationFormat();
  const d = detail.decision;
  if (detail.strategy === 'MERGE' || detail.strategy === 'KEEP_BOTH') {
    return (
      <section className="panel decided" aria-labelledby="decided-title" data-testid="decision-made">
        <h2 id="decided-title">Nothing to decide</h2>
        <p>The station keeps every entry of this kind; none is lost.</p>
      </section>
    );
  }
  return (
    <section className="panel decided" aria-labelledby="decided-title" data-testid="decision-made">
      <h2 id="decided-title">Decision</h2>
      {d === null ? (
        <p>{detail.status === 'AUTO_RESOLVED' ? `Settled automatically (${STRATEGY_LABELS[detail.strategy]}).` : 'This conflict is closed.'}</p>
      ) : (
        <>
          <p>
            Decided by <strong>{d.decidedBy}</strong> on {fmt.dateTime(d.decidedAt)}:{' '}
            {d.chosenEventId === null ? 'entered a corrected value' : `kept entry ${detail.candidatesDetail.findIndex((c) => c.eventId === d.chosenEventId) + 1 || '(no longer listed)'}`}.
          </p>
          {d.comment === '' ? null : <blockquote className="comment-quote">{d.comment}</blockquote>}
        </>
      )}
    </section>
  );
}

export function DecisionPanel(props: Props) {
  const { detail, canDecide, choice, correctionFields, comment, problem, busy, serverError, commentRef } = props;
  const isOverride = detail.allowed === 'OVERRIDE';
  const disabled = !canDecide || busy;
  return (
    <section className="panel decide" aria-labelledby="decide-title" data-testid="decision-panel">
      <h2 id="decide-title">{isOverride ? 'Override the automatic decision?' : 'Your decision'}</h2>
      {isOverride ? (
        <p data-testid="station-choice">
          {props.stationChoiceLabel === null ? (
            <>The station already chose a value by its rule ({STRATEGY_LABELS[detail.strategy]}).</>
          ) : (
            <>
              The station kept <strong>{props.stationChoiceLabel}</strong> by its rule ({STRATEGY_LABELS[detail.strategy]}).
            </>
          )}{' '}
          If that value is wrong, keep another entry or enter the corrected value, and say why.
        </p>
      ) : (
        <p>Keep the entry that is right (press its number), or enter the corrected value.</p>
      )}
      {canDecide ? null : (
        <p className="notice" role="note" data-testid="viewer-note">
          You are signed in as a viewer: you can see everything, but only a supervisor can decide.
        </p>
      )}
      {correctionFields === null ? null : (
        <div className="correction">
          <label className={`choose${disabled ? ' disabled' : ''}`}>
            <input type="radio" name="decision-choice" value="correction" checked={choice?.kind === 'correction'} disabled={disabled} onChange={props.onChooseCorrection} data-testid="choose-correction" />
            Enter a corrected value <span className="muted small">(press c)</span>
          </label>
          {choice?.kind === 'correction' ? (
            <CorrectionForm fields={correctionFields} draft={props.draft} errors={props.draftErrors} disabled={disabled} onChange={props.onDraftChange} />
          ) : null}
        </div>
      )}
      <label htmlFor="decision-comment" className="comment-label">
        Comment {detail.commentRequired ? <strong>(required — say why)</strong> : <span className="muted">(optional)</span>}
      </label>
      <textarea
        id="decision-comment"
        ref={commentRef}
        rows={3}
        maxLength={2000}
        value={comment}
        disabled={disabled}
        required={detail.commentRequired}
        aria-required={detail.commentRequired}
        aria-describedby="decision-comment-hint"
        onChange={(e) => props.onCommentChange(e.target.value)}
        data-testid="decision-comment"
      />
      <p className="hint" id="decision-comment-hint">
        <kbd>Ctrl</kbd>+<kbd>Enter</kbd> confirms · <kbd>Enter</kbd> new line
      </p>
      {props.choiceLabel === null ? null : (
        <p className="choice-summary" data-testid="choice-summary">
          You are keeping: <strong>{props.choiceLabel}</strong>
          {props.keepsStationChoice ? <> — what the station already keeps: overriding with it records that you checked it, under your name.</> : null}
        </p>
      )}
      {problem === null && serverError === null ? null : (
        <p className="form-error" role="alert" data-testid="decision-error">
          {problem ?? errorText(serverError)}
        </p>
      )}
      <button type="button" className={isOverride ? 'warning' : 'primary'} disabled={disabled} onClick={props.onConfirm} data-testid={isOverride ? 'override-decision' : 'confirm-decision'}>
        {busy ? 'Saving…' : isOverride ? 'Override automatic decision' : 'Confirm decision'}
      </button>
    </section>
  );
}
