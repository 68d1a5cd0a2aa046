/**
 * Live: subscribes to the station's change feed and refreshes the cached queries a change
 * affects, so open screens follow a dock without a reload. Invalidations are coalesced
 * (one refresh per burst of events), and a reconnect refreshes everything, since events
 * may have been missed while the feed was down.
 */
import { useEffect, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { ChangeEvent } from '../../shared/api/station-api.ts';
import { useConnection } from './api-context.tsx';
import { methodsAffectedBy, READ_METHODS } from './live-invalidation.ts';
import type { FeedStatus } from './sse-feed.ts';

const COALESCE_MS = 150;

export interface LiveState {
  status: FeedStatus;
  last: ChangeEvent | null;
}

export function useLiveUpdates(): LiveState {
  const connection = useConnection();
  const queryClient = useQueryClient();
  const [state, setState] = useState<LiveState>({ status: 'connecting', last: null });
  const wasDown = useRef(false);

  useEffect(() => {
    const pending = new Set<string>();
    let timer: ReturnType<typeof setTimeout> | null = null;
    const flush = (): void => {
      timer = null;
      const methods = new Set(pending);
      pending.clear();
      void queryClient.invalidateQueries({ predicate: (q) => methods.has(String(q.queryKey[0])) });
    };
    const schedule = (methods: readonly string[]): void => {
      for (const m of methods) pending.add(m);
      timer ??= setTimeout(flush, COALESCE_MS);
    };
    const stop = connection.subscribe(
      (event) => {
        schedule(methodsAffectedBy(event));
        setState((s) => ({ ...s, last: event }));
      },
      (status) => {
        if (status === 'reconnecting') wasDown.current = true;
        if (status === 'live' && wasDown.current) {
          wasDown.current = false;
          schedule(READ_METHODS);
        }
        setState((s) => (s.status === status ? s : { ...s, status }));
      },
    );
    return () => {
      stop();
      if (timer !== null) clearTimeout(timer);
    };
  }, [connection, queryClient]);

  return state;
}
