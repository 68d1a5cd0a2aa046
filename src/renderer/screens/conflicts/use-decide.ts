/**
 * Deciding a conflict (resolve or override) with an optimistic update: the queue and the
 * "needs your decision" count change the moment the supervisor confirms, and go back if
 * the station refuses. Once it lands, the live feed's `decided` event refreshes what it touched.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { QueryKey } from '@tanstack/react-query';
import type { ApiArgs, ConflictRow, DecisionResult, Overview } from '../../../shared/api/station-api.ts';
import { unwrap, useStationApi } from '../../api/api-context.tsx';
import { methodsAffectedBy } from '../../api/live-invalidation.ts';
import { withDecided } from './queue.ts';

export interface DecideInput {
  choice: { choose: string } | { value: Record<string, unknown> };
  comment: string;
  /** The entries on screen: if another joined since, the station refuses (CONFLICT_CHANGED) and the page reloads them. */
  seenCandidates: string[];
}

interface Snapshot {
  lists: [QueryKey, ConflictRow[] | undefined][];
  overview: Overview | undefined;
}

const OVERVIEW_KEY = ['getOverview', {}] as const;

/** `safety`: the conflict is of a safety type, so Today's safety count goes down with it. */
export function useDecide(conflictId: string, kind: 'RESOLVE' | 'OVERRIDE', safety = false) {
  const api = useStationApi();
  const queryClient = useQueryClient();
  return useMutation<DecisionResult, Error, DecideInput, Snapshot>({
    mutationFn: async ({ choice, comment, seenCandidates }) => {
      const args = { conflictId, choice, comment, seenCandidates };
      return unwrap(kind === 'RESOLVE' ? await api.resolveConflict(args) : await api.overrideResolution(args));
    },
    onMutate: async () => {
      await queryClient.cancelQueries({ queryKey: ['listConflicts'] });
      const lists = queryClient.getQueriesData<ConflictRow[]>({ queryKey: ['listConflicts'] });
      const overview = queryClient.getQueryData<Overview>(OVERVIEW_KEY);
      const at = new Date().toISOString();
      for (const [key, rows] of lists) {
        if (rows !== undefined) queryClient.setQueryData<ConflictRow[]>(key, withDecided(rows, (key[1] ?? {}) as ApiArgs<'listConflicts'>, conflictId, at));
      }
      if (overview !== undefined) {
        queryClient.setQueryData<Overview>(OVERVIEW_KEY, {
          ...overview,
          pendingReview: kind === 'RESOLVE' ? Math.max(0, overview.pendingReview - 1) : overview.pendingReview,
          pendingSafety: kind === 'RESOLVE' && safety ? Math.max(0, overview.pendingSafety - 1) : overview.pendingSafety,
          autoResolvedOpen: kind === 'OVERRIDE' ? Math.max(0, overview.autoResolvedOpen - 1) : overview.autoResolvedOpen,
        });
      }
      return { lists, overview };
    },
    onError: (_error, _input, snapshot) => {
      if (snapshot !== undefined) {
        for (const [key, rows] of snapshot.lists) queryClient.setQueryData(key, rows);
        if (snapshot.overview !== undefined) queryClient.setQueryData(OVERVIEW_KEY, snapshot.overview);
      }
      // Refused: show what the station holds now. (A decision that lands is announced on the
      // live feed, which refreshes every screen once; refreshing here too fetched the
      // 10,000-row queue twice per decision.)
      const methods = new Set<string>(methodsAffectedBy({ kind: 'decided', conflictId, at: '' }));
      void queryClient.invalidateQueries({ predicate: (q) => methods.has(String(q.queryKey[0])) });
    },
  });
}
