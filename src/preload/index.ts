/**
 * Preload: the only bridge between the sandboxed renderer and the main process.
 *
 * It exposes exactly one object, `window.api`, and nothing else (no
 * `ipcRenderer`, no Node). For now the object is empty and frozen: the typed
 * `StationApi` (declared in `src/shared/`, implemented here with
 * `ipcRenderer.invoke` and checked with `satisfies`) lands with the dashboard issue.
 *
 * Built as CommonJS (`out/preload/index.cjs`) because a sandboxed preload
 * cannot be an ES module.
 */
import { contextBridge } from 'electron';

const api = Object.freeze({});

contextBridge.exposeInMainWorld('api', api);
