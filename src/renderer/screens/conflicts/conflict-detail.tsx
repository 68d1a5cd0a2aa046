/**
 * One conflict: every candidate side by side with its differences, who recorded it and
 * when (tablet clock and corrected), photos, the reason in plain words, and the decision.
 * Keys: 1–9 keep an entry, c corrects, Enter confirms (Ctrl+Enter in the comment, where
 * Enter is a new line: a decision is never sent by a key meant for the text), j/k move in
 * the queue, Esc goes back.
 * After a decision the next open conflict of the same queue opens.
 */
import { SAFETY_TYPES } from '../../../shared/engine/policy.ts';
import { announceDecision } from '../../components/decision-notice.tsx';
import { useEffect, useRef, useState } from 'react';
import { keepPreviousData, useQueryClient } from '@tanstack/react-query';
import type { ConflictDetail, ConflictRow } from '../../../shared/api/station-api.ts';
import { ApiCallError, apiQueryKey, unwrap, useApiQuery, useStationApi } from '../../api/api-context.tsx';
import { hasModifier, isDialogOpen, isTypingTarget } from '../../app/keyboard.ts';
import type { ConflictFilters } from '../../app/router.ts';
import { hrefOf } from '../../app/router.ts';
import { useSession } from '../../app/session-context.tsx';
import { useStationFormat } from '../../app/station-format.tsx';
import { navigate } from '../../app/use-route.ts';
import { ErrorBox, Loading } from '../../components/status-message.tsx';
import { formatNumber } from '../../format/format.ts';
import { conflictStatusLabel, STRATEGY_LABELS, TYPE_LABELS, whyAskedLabel } from '../../format/labels.ts';
import { describeRecordKey, summarizePayload, visibleFields } from '../../format/payload-fields.ts';
import { CandidateCard } from './candidate-card.tsx';
import { buildCorrection, correctionFieldsOf, draftOf } from './correction.ts';
import type { Choice } from './decision-panel.tsx';
import { DecisionMade, DecisionPanel } from './decision-panel.tsx';
import { rememberConflict } from './last-seen.ts';
import { listArgsOf, neighbourOf, nextAfterDecision, queueName } from './queue.ts';
import { useDecide } from './use-decide.ts';

const NO_ROWS: readonly ConflictRow[] = [];

interface ViewProps {
  detail: ConflictDetail;
  queue: readonly ConflictRow[];
  filters: ConflictFilters;
  deviceNames: ReadonlyMap<string, string>;
}

function ConflictView({ detail, queue, filters, deviceNames }: ViewProps) {
  const fmt = useStationFormat();
  const { canDecide } = useSession();
  const decide = useDecide(detail.conflictId, detail.allowed === 'OVERRIDE' ? 'OVERRIDE' : 'RESOLVE', SAFETY_TYPES.includes(detail.type));
  const [choice, setChoice] = useState<Choice>(null);
  const [basisId, setBasisId] = useState<string | null>(null);
  const [draft, setDraft] = useState<Record<string, string>>({});
  const [draftErrors, setDraftErrors] = useState<Record<string, string>>({});
  const [comment, setComment] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const commentRef = useRef<HTMLTextAreaElement>(null);

  const candidates = detail.candidatesDetail;
  const decidable = detail.allowed !== 'NONE';
  const canAct = decidable && canDecide && !decide.isPending;
  const fields = visibleFields(detail.type, candidates.map((c) => c.payload));
  const hasPhotos = candidates.some((c) => c.photoUrl !== null);
  const basis = candidates.find((c) => c.eventId === basisId) ?? candidates.find((c) => c.isWinner) ?? candidates[0];
  const correctionFields = basis === undefined ? null : correctionFieldsOf(detail.type, basis.payload);
  const position = queue.findIndex((r) => r.conflictId === detail.conflictId);

  const chosen = choice?.kind === 'candidate' ? candidates.findIndex((c) => c.eventId === choice.eventId) : -1;
  const chosenCandidate = candidates[chosen];
  const choiceLabel =
    choice === null
      ? null
      : choice.kind === 'correction' || chosenCandidate === undefined
        ? 'a corrected value'
        : `entry ${chosen + 1} — ${summarizePayload(detail.type, chosenCandidate.payload, fmt)}`;

  // What the station's rule kept, named in the override panel so that a supervisor sees
  // what an override replaces; choosing that same entry confirms it under their name.
  const stationIndex = detail.allowed === 'OVERRIDE' ? candidates.findIndex((c) => c.isWinner) : -1;
  const stationWinner = candidates[stationIndex];
  const stationChoiceLabel = stationWinner === undefined ? null : `entry ${stationIndex + 1} — ${summarizePayload(detail.type, stationWinner.payload, fmt)}`;
  const keepsStationChoice = stationWinner !== undefined && choice?.kind === 'candidate' && choice.eventId === stationWinner.eventId;

  const chooseCandidate = (index: number): void => {
    const candidate = candidates[index];
    if (candidate === undefined || !canAct) return;
    setChoice({ kind: 'candidate', eventId: candidate.eventId });
    setBasisId(candidate.eventId);
    setProblem(null);
    commentRef.current?.focus();
  };
  const chooseCorrection = (): void => {
    if (correctionFields === null || basis === undefined || !canAct) return;
    setChoice({ kind: 'correction' });
    setDraft(draftOf(correctionFields, basis.payload));
    setDraftErrors({});
    setProblem(null);
    requestAnimationFrame(() => document.getElementById(`correction-${correctionFields[0]?.name ?? ''}`)?.focus());
  };

  const confirm = (): void => {
    if (!canAct) return;
    if (choice === null) {
      setProblem(`Choose an entry first: press 1${candidates.length > 1 ? `–${Math.min(candidates.length, 9)}` : ''}${correctionFields === null ? '' : ', or c to enter a corrected value'}.`);
      return;
    }
    let decision: { choose: string } | { value: Record<string, unknown> };
    if (choice.kind === 'candidate') decision = { choose: choice.eventId };
    else {
      if (correctionFields === null || basis === undefined) return;
      const built = buildCorrection(correctionFields, basis.payload, draft);
      if (!built.ok) {
        setDraftErrors(built.errors);
        setProblem('Check the corrected value: some fields are not right.');
        return;
      }
      decision = { value: built.value };
    }
    if (detail.commentRequired && comment.trim() === '') {
      setProblem('Write a comment saying why: this is a safety record, so the reason is kept with the decision.');
      commentRef.current?.focus();
      return;
    }
    setProblem(null);
    const next = nextAfterDecision(queue, detail.conflictId);
    const what = `${TYPE_LABELS[detail.type]}: ${describeRecordKey(detail.recordKey, fmt)}`;
    const kept = choiceLabel ?? 'a corrected value';
    decide.mutate(
      { choice: decision, comment: comment.trim(), seenCandidates: [...detail.candidates] },
      {
        onSuccess: () => {
          announceDecision({ conflictId: detail.conflictId, what, kept });
          if (next === null) navigate({ name: 'conflicts', filters });
          else {
            rememberConflict(next);
            navigate({ name: 'conflict', conflictId: next, filters });
          }
        },
      },
    );
  };

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (isDialogOpen()) return;
      const target = event.target;
      if (target === commentRef.current && event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        confirm();
        return;
      }
      if (hasModifier(event)) return;
      const inCorrection = target instanceof HTMLInputElement && target.closest('[data-testid=correction-form]') !== null;
      if (event.key === 'Enter' && inCorrection) {
        event.preventDefault();
        confirm();
        return;
      }
      if (isTypingTarget(target)) return;
      const onControl = target instanceof HTMLElement && (target.tagName === 'BUTTON' || target.tagName === 'A');
      if (/^[1-9]$/.test(event.key)) {
        event.preventDefault();
        chooseCandidate(Number(event.key) - 1);
      } else if (event.key === 'c') {
        event.preventDefault();
        chooseCorrection();
      } else if (event.key === 'Enter' && !onControl) {
        event.preventDefault();
        confirm();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  });

  const winnerLabel = detail.status === 'AUTO_RESOLVED' ? 'Chosen automatically' : detail.status === 'RESOLVED' ? 'Chosen by a supervisor' : 'Current value';

  return (
    <article className="conflict" aria-labelledby="conflict-title" data-testid="conflict-detail" data-conflict-id={detail.conflictId}>
      <nav className="crumbs" aria-label="Queue">
        <a href={hrefOf({ name: 'conflicts', filters })} data-testid="back-to-queue">
          ← Back to the queue <span className="muted small">(Esc)</span>
        </a>
        {position === -1 ? null : (
          <span className="muted">
            Conflict {formatNumber(position + 1, 0)} of {formatNumber(queue.length, 0)} {queueName(filters)} · <kbd>j</kbd> next · <kbd>k</kbd> previous
          </span>
        )}
      </nav>
      <h1 id="conflict-title">
        {TYPE_LABELS[detail.type]}: {describeRecordKey(detail.recordKey, fmt)}
      </h1>
      <div className="conflict-summary">
        <span className={`badge badge-${!detail.isOpen ? 'closed' : detail.status === 'PENDING_REVIEW' ? 'pending' : 'auto'}`} data-testid="conflict-status">
          {conflictStatusLabel(detail.status, detail.isOpen)}
        </span>
        <span className="muted">
          Rule: {STRATEGY_LABELS[detail.strategy]} <span className="code">({detail.strategy})</span> · opened {fmt.dateTime(detail.openedAt)}
        </span>
      </div>
      <div className="why" data-testid="conflict-reason">
        <p>
          <strong>{whyAskedLabel(detail.status, detail.strategy, detail.isOpen)}</strong>
        </p>
        <p className="muted">Station's note: {detail.reason}</p>
      </div>
      <h2 className="section-title">
        {candidates.length} entries, {formatNumber(detail.distinctValues, 0)} different values
      </h2>
      <div className="candidates" style={{ gridTemplateColumns: `repeat(${candidates.length}, minmax(15rem, 1fr))` }}>
        {candidates.map((candidate, index) => (
          <CandidateCard
            key={candidate.eventId}
            candidate={candidate}
            index={index}
            fields={fields}
            hasPhotos={hasPhotos}
            deviceName={candidate.deviceId === null ? null : (deviceNames.get(candidate.deviceId) ?? null)}
            winnerLabel={candidate.isWinner ? winnerLabel : null}
            selected={choice?.kind === 'candidate' && choice.eventId === candidate.eventId}
            selectable={decidable}
            disabled={!canAct}
            others={candidates.filter((c) => c !== candidate).map((c) => c.payload)}
            onSelect={() => chooseCandidate(index)}
          />
        ))}
      </div>
      {decidable ? (
        <DecisionPanel
          detail={detail}
          canDecide={canDecide}
          choice={choice}
          choiceLabel={choiceLabel}
          stationChoiceLabel={stationChoiceLabel}
          keepsStationChoice={keepsStationChoice}
          correctionFields={correctionFields}
          draft={draft}
          draftErrors={draftErrors}
          comment={comment}
          problem={problem}
          busy={decide.isPending}
          serverError={decide.error}
          commentRef={commentRef}
          onChooseCorrection={chooseCorrection}
          onDraftChange={(name, value) => setDraft((d) => ({ ...d, [name]: value }))}
          onCommentChange={(value) => {
            setComment(value);
            setProblem(null);
          }}
          onConfirm={confirm}
        />
      ) : (
        <DecisionMade detail={detail} />
      )}
    </article>
  );
}

/** Esc back to the queue, j/k to the neighbours: work while a conflict is still loading too. */
function useQueueKeys(conflictId: string, queue: readonly ConflictRow[], filters: ConflictFilters): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (hasModifier(event) || isDialogOpen() || isTypingTarget(event.target)) return;
      if (event.key === 'Escape') navigate({ name: 'conflicts', filters });
      else if (event.key === 'j' || event.key === 'k') {
        const id = neighbourOf(queue, conflictId, event.key === 'j' ? 1 : -1);
        if (id !== null) {
          rememberConflict(id);
          navigate({ name: 'conflict', conflictId: id, filters }, { replace: true });
        }
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [conflictId, queue, filters]);
}

/** Loads the neighbours of the open conflict in the background, so the next one shows at once. */
function usePrefetchNeighbours(conflictId: string, queue: readonly ConflictRow[]): void {
  const api = useStationApi();
  const queryClient = useQueryClient();
  const next = neighbourOf(queue, conflictId, 1);
  const previous = neighbourOf(queue, conflictId, -1);
  useEffect(() => {
    for (const id of [next, previous]) {
      if (id === null) continue;
      void queryClient.prefetchQuery({ queryKey: apiQueryKey('getConflict', { conflictId: id }), queryFn: async () => unwrap(await api.getConflict({ conflictId: id })) });
    }
  }, [next, previous, api, queryClient]);
}

export function ConflictDetailScreen({ conflictId, filters }: { conflictId: string; filters: ConflictFilters }) {
  const detail = useApiQuery('getConflict', { conflictId });
  const queue = useApiQuery('listConflicts', listArgsOf(filters), { placeholderData: keepPreviousData });
  const overview = useApiQuery('getOverview', {});
  const rows = queue.data ?? NO_ROWS;
  useQueueKeys(conflictId, rows, filters);
  usePrefetchNeighbours(conflictId, rows);
  const deviceNames = new Map((overview.data?.devices ?? []).map((d) => [d.deviceId, d.deviceName]));
  if (detail.isPending) return <Loading what="the conflict" />;
  if (detail.isError) {
    const missing = detail.error instanceof ApiCallError && (detail.error.code === 'CONFLICT_NOT_FOUND' || detail.error.code === 'NOT_FOUND');
    return (
      <>
        <h1>{missing ? 'Conflict not found' : 'Cannot show this conflict'}</h1>
        <ErrorBox error={detail.error} onRetry={missing ? undefined : () => void detail.refetch()} />
        <p>
          <a href={hrefOf({ name: 'conflicts', filters })}>Back to the queue</a>
        </p>
      </>
    );
  }
  return <ConflictView detail={detail.data} queue={rows} filters={filters} deviceNames={deviceNames} />;
}
