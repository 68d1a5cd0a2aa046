/**
 * The IPC transport of StationApi in the Electron shell: one `ipcMain.handle` per method,
 * on channels declared once (src/shared/api/api-methods.ts). Each handler refuses senders
 * that are not the app's own window, then validates and runs the call through the same
 * `callApi` as the HTTP transport. Electron's local user is the supervisor of this laptop.
 */
import { API_METHOD_NAMES, ipcChannelOf } from '../../shared/api/api-methods.ts';
import type { ApiResult } from '../../shared/api/station-api.ts';
import { callApi, type Caller, type createHandlers } from '../station/api/handlers.ts';

/** What of an IPC event the sender check needs (Electron's IpcMainInvokeEvent has it). */
export interface IpcSender {
  sender: { id: number };
  senderFrame: { url: string } | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcSender, args: unknown) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export function registerStationApi(
  ipc: IpcMainLike,
  handlers: ReturnType<typeof createHandlers>,
  isTrustedSender: (event: IpcSender) => boolean,
  caller: Caller,
): () => void {
  for (const method of API_METHOD_NAMES) {
    ipc.handle(ipcChannelOf(method), async (event, args): Promise<ApiResult<unknown>> => {
      if (!isTrustedSender(event)) return { ok: false, error: { code: 'FORBIDDEN', message: 'Only the station window may call the station.' } };
      return callApi(handlers, method, args, caller);
    });
  }
  return () => {
    for (const method of API_METHOD_NAMES) ipc.removeHandler(ipcChannelOf(method));
  };
}

/** The app's own window: its webContents, showing the app's own renderer (file:// or the dev server). */
export function ownWindowCheck(ownWebContentsId: () => number | null, allowedUrlPrefixes: readonly string[]): (event: IpcSender) => boolean {
  return (event) => {
    const frameUrl = event.senderFrame?.url ?? '';
    return event.sender.id === ownWebContentsId() && allowedUrlPrefixes.some((prefix) => frameUrl.startsWith(prefix));
  };
}
