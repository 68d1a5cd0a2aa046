/**
 * The live change feed over Server-Sent Events (`GET /api/v1/events`).
 *
 * Guarantees: each well-formed `data:` line reaches `onEvent` once; the feed reconnects by
 * itself after any error (the browser's own retry, and a fresh EventSource with backoff
 * once the browser gives up, e.g. after a 401 or a restart of the station); `onStatus`
 * says whether updates are flowing, and 'live' after a drop means events may have been
 * missed, so the caller refreshes everything. The returned function stops it for good.
 */
import type { ChangeEvent } from '../../shared/api/station-api.ts';
import { API_BASE_PATH } from './http-transport.ts';
import { parseChangeEvent } from './live-invalidation.ts';

export type FeedStatus = 'connecting' | 'live' | 'reconnecting';

const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;

export function subscribeChanges(onEvent: (event: ChangeEvent) => void, onStatus?: (status: FeedStatus) => void, url = `${API_BASE_PATH}/events`): () => void {
  let source: EventSource | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let retryMs = FIRST_RETRY_MS;
  let stopped = false;

  const open = (): void => {
    if (stopped) return;
    source = new EventSource(url, { withCredentials: true });
    source.onopen = () => {
      retryMs = FIRST_RETRY_MS;
      onStatus?.('live');
    };
    source.onmessage = (message: MessageEvent<string>) => {
      const event = parseChangeEvent(message.data);
      if (event !== null) onEvent(event);
    };
    source.onerror = () => {
      onStatus?.('reconnecting');
      if (source !== null && source.readyState === EventSource.CLOSED) {
        source.close();
        source = null;
        retryTimer = setTimeout(() => {
          retryTimer = null;
          open();
        }, retryMs);
        retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
      }
    };
  };

  onStatus?.('connecting');
  open();
  return () => {
    stopped = true;
    if (retryTimer !== null) clearTimeout(retryTimer);
    source?.close();
    source = null;
  };
}
