/**
 * Runs a fast-check scenario (scenario-arbitrary.ts) on a real store, one batch at a time
 * through `ingestBatch`: pulls resolve to the versions the store held after the step they
 * point at; a decision step resolves (or overrides) the record's conflict, if it has one,
 * choosing its first candidate by id. Returns the batches as sent and the decisions taken,
 * so another store can be given the same.
 */
import { overrideResolution, resolveConflict } from '../../src/main/station/ingest/decide.ts';
import { ingestBatch, type IngestContext } from '../../src/main/station/ingest/ingest-batch.ts';
import type { Store } from '../../src/main/station/ingest/write-session.ts';
import type { SyncRequest, SyncResponse } from '../../src/shared/protocol/sync.ts';
import { recordKeyOf } from '../../src/shared/events/record-key.ts';
import { validateEvent } from '../../src/shared/events/validate-event.ts';
import type { ScenarioStep } from './pure-station.ts';

export interface ScenarioDecision {
  /** The step it was taken at; its id is `dec-<index>`. */
  index: number;
  conflictId: string;
  choose: string;
  pending: boolean;
}

export interface ScenarioRun {
  /** The batch of each batch step, by step index, as sent. */
  batches: Map<number, SyncRequest>;
  answers: SyncResponse[];
  decisions: ScenarioDecision[];
}

export function takeDecision(store: Store, d: ScenarioDecision, ctx: IngestContext): void {
  const req = { conflictId: d.conflictId, choice: { choose: d.choose }, decidedBy: 'sup', comment: 'checked' };
  const dctx = { ...ctx, newId: () => `dec-${d.index}` };
  if (d.pending) resolveConflict(store, req, dctx);
  else overrideResolution(store, req, dctx);
}

export function runScenarioOnStore(store: Store, steps: readonly ScenarioStep[], ctx: IngestContext, now: Date): ScenarioRun {
  const versionsAfter: Map<string, number>[] = [new Map()];
  const versions = (): Map<string, number> => new Map((store.db.prepare('SELECT key, version FROM records').all() as { key: string; version: number }[]).map((r) => [r.key, r.version]));
  const run: ScenarioRun = { batches: new Map(), answers: [], decisions: [] };
  steps.forEach((step, i) => {
    if (step.kind === 'decision') {
      const rec = store.db.prepare('SELECT conflict_id AS c FROM records WHERE key = ?').get(step.key) as { c: string | null } | undefined;
      const conflict = rec?.c == null ? undefined : (store.db.prepare('SELECT status, candidates FROM conflicts WHERE id = ?').get(rec.c) as { status: string; candidates: string });
      if (rec?.c != null && conflict !== undefined) {
        const d = { index: i, conflictId: rec.c, choose: (JSON.parse(conflict.candidates) as string[]).sort()[0]!, pending: conflict.status === 'PENDING_REVIEW' };
        takeDecision(store, d, ctx);
        run.decisions.push(d);
      }
    } else {
      const events = step.events.map((e, j) => {
        const n = step.pullAfter[j];
        if (n === null || n === undefined) return e;
        const parsed = validateEvent({ ...e, baseVersion: null });
        if (!parsed.ok) throw new Error(parsed.message);
        return { ...e, baseVersion: versionsAfter[n]?.get(recordKeyOf(parsed.event, ctx.settings)) ?? null };
      });
      const b: SyncRequest = { deviceId: step.device, batchId: `b-${i}`, deviceTime: new Date(now.getTime() + step.skewMs).toISOString(), events };
      run.batches.set(i, b);
      run.answers.push(ingestBatch(store, b, ctx));
    }
    versionsAfter.push(versions());
  });
  return run;
}
