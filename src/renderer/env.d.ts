/**
 * Globals the renderer may find. In the Electron shell the preload exposes `window.wellos`
 * (the `StationApi` over IPC and its change feed); in a browser it is absent and the
 * dashboard talks HTTP to the headless station that served the page.
 */
import type { ChangeEvent, StationApi } from '../shared/api/station-api.ts';

export interface WellosBridge {
  readonly api: StationApi;
  subscribe(onEvent: (event: ChangeEvent) => void): () => void;
}

declare global {
  interface Window {
    readonly wellos?: WellosBridge;
  }
}
