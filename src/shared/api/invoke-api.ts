/**
 * Builds the StationApi object from one `invoke(channel, args)` function: what the
 * Electron preload exposes (with ipcRenderer.invoke) and what the IPC tests drive (with an
 * in-process channel pair). Every method is present, and nothing else.
 */
import { API_METHOD_NAMES, ipcChannelOf } from './api-methods.ts';
import type { ApiMethod, ApiResult, StationApi } from './station-api.ts';

export type Invoke = (channel: string, args: unknown) => Promise<unknown>;

export function createInvokeApi(invoke: Invoke): StationApi {
  const api: Record<string, (args: unknown) => Promise<ApiResult<unknown>>> = {};
  for (const method of API_METHOD_NAMES) {
    api[method] = async (args) => {
      try {
        return (await invoke(ipcChannelOf(method), args)) as ApiResult<unknown>;
      } catch (err) {
        return { ok: false, error: { code: 'INTERNAL', message: `The station did not answer ${method}: ${err instanceof Error ? err.message : String(err)}` } };
      }
    };
  }
  return api as StationApi;
}

// The contract's method list and this file's must be the same set.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const METHOD_LISTS_MATCH: Same<ApiMethod, (typeof API_METHOD_NAMES)[number]> = true;
