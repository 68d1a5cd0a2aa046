/**
 * Preload: the only bridge between the sandboxed renderer and the main process.
 *
 * It exposes exactly one object, `window.wellos = { api, subscribe }`: `api` is the typed
 * StationApi (every method an `ipcRenderer.invoke` on its declared channel), `subscribe`
 * delivers the live change feed. No `ipcRenderer`, no Node, nothing else.
 *
 * Built as CommonJS (`out/preload/index.cjs`) because a sandboxed preload cannot be an
 * ES module; it imports no zod (the method list lives in api-methods.ts).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_CHANGE_CHANNEL } from '../shared/api/api-methods.ts';
import { createInvokeApi } from '../shared/api/invoke-api.ts';
import type { ChangeEvent, StationApi } from '../shared/api/station-api.ts';

export interface WellosBridge {
  api: StationApi;
  subscribe(listener: (event: ChangeEvent) => void): () => void;
}

const bridge = {
  api: createInvokeApi((channel, args) => ipcRenderer.invoke(channel, args)),
  subscribe: (listener) => {
    const forward = (_event: IpcRendererEvent, change: ChangeEvent): void => listener(change);
    ipcRenderer.on(IPC_CHANGE_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(IPC_CHANGE_CHANNEL, forward);
    };
  },
} satisfies WellosBridge;

contextBridge.exposeInMainWorld('wellos', bridge);
