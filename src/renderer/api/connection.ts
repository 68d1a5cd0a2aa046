/**
 * The dashboard's one handle on the station: the `StationApi`, the change feed, and (in
 * the headless shell only) sign-in. Built once at start-up by `main.tsx` and handed down
 * through React context, never kept in a module global.
 *
 * Picks the Electron bridge (`window.wellos`, IPC) when the preload provided one, else
 * HTTP to the station that served the page. Both have the same `StationApi` type.
 */
import type { ChangeEvent, StationApi } from '../../shared/api/station-api.ts';
import type { WellosBridge } from '../env.d.ts';
import type { ExportKind, SessionClient } from './http-transport.ts';
import { createHttpSessionClient, createHttpStationApi, exportUrlOf } from './http-transport.ts';
import type { FeedStatus } from './sse-feed.ts';
import { subscribeChanges } from './sse-feed.ts';

export interface StationConnection {
  readonly kind: 'http' | 'ipc';
  readonly api: StationApi;
  /** Sign-in calls; `null` in Electron, where the local user is always a supervisor. */
  readonly session: SessionClient | null;
  readonly subscribe: (onEvent: (event: ChangeEvent) => void, onStatus?: (status: FeedStatus) => void) => () => void;
  /** URL of a CSV export, or `null` where the transport has no URLs (IPC). */
  readonly exportUrl: (kind: ExportKind) => string | null;
  /** Called when the station says the session ended. Returns the unsubscribe function. */
  readonly onUnauthorized: (listener: () => void) => () => void;
}

export function createConnection(bridge: WellosBridge | undefined): StationConnection {
  const unauthorizedListeners = new Set<() => void>();
  const onUnauthorized = (listener: () => void): (() => void) => {
    unauthorizedListeners.add(listener);
    return () => unauthorizedListeners.delete(listener);
  };
  if (bridge !== undefined) {
    return {
      kind: 'ipc',
      api: bridge.api,
      session: null,
      subscribe: (onEvent, onStatus) => {
        onStatus?.('live');
        return bridge.subscribe(onEvent);
      },
      exportUrl: () => null,
      onUnauthorized,
    };
  }
  const notify = (): void => {
    for (const listener of unauthorizedListeners) listener();
  };
  return {
    kind: 'http',
    api: createHttpStationApi({ onUnauthorized: notify }),
    session: createHttpSessionClient(),
    subscribe: (onEvent, onStatus) => subscribeChanges(onEvent, onStatus),
    exportUrl: (kind) => exportUrlOf(kind),
    onUnauthorized,
  };
}
