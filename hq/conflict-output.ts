/**
 * What `hq conflicts`, `hq decide` and `hq rejects` print: a few lines a supervisor can
 * read, or JSON (`--json`) for scripts.
 */
import type { EngineReject, HqConflict, HqDecisionOutcome, HqDecisionRequest } from './hq-conflicts.ts';

export function formatConflicts(conflicts: readonly HqConflict[], isJson: boolean): string {
  if (isJson) return `${JSON.stringify(conflicts, null, 2)}\n`;
  if (conflicts.length === 0) return 'no conflicts\n';
  return conflicts
    .map((c) => {
      const winner = c.winner === null ? '' : `; winner ${c.winner}`;
      return `${c.conflictId}  ${c.status}${c.isOpen ? '' : ' (closed)'}  ${c.strategy}  ${c.recordKey}  stations ${c.stations.join(', ')}\n  candidates ${c.candidates.join(', ')}${winner}\n  ${c.reason}\n`;
    })
    .join('');
}

export function formatDecision(request: HqDecisionRequest, outcome: HqDecisionOutcome): string {
  return `${outcome.conflictId} RESOLVED: kept ${request.choose} on ${outcome.recordKey} (decision ${outcome.decisionId}); stations receive it with their next updates\n`;
}

export function formatRejects(rejects: readonly EngineReject[], isJson: boolean): string {
  if (isJson) return `${JSON.stringify(rejects, null, 2)}\n`;
  if (rejects.length === 0) return 'no rejected items\n';
  return rejects.map((r) => `${r.at}  ${r.stationId} ${r.lane}#${r.seq}  ${r.kind} ${r.itemId ?? '(no id)'}  ${r.code}: ${r.message}\n`).join('');
}
