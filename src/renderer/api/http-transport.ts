/**
 * The HTTP transport of the `StationApi` (headless shell, same origin as the page).
 *
 * Guarantees:
 * - every method is `POST /api/v1/{method}` with the JSON arguments (same origin: the
 *   browser's `Origin` is what the station checks against cross-site requests), and always resolves (never rejects) to an `ApiResult`;
 * - a station that does not answer, or answers something unreadable, becomes
 *   `{ ok: false, error: { code: 'INTERNAL', … } }` with a sentence a supervisor can act on;
 * - an `UNAUTHORIZED` answer (no or expired session) is also reported to `onUnauthorized`,
 *   so the dashboard can go back to the sign-in screen.
 *
 * This is the only module of the renderer that calls `fetch`. It imports the contract as
 * types only, so zod stays out of the bundle. It uses no DOM type, so the unit tests run it on plain Node with a fake `fetch`.
 */
import type { ApiArgs, ApiError, ApiErrorCode, ApiMethod, ApiResult, ApiResults, SessionInfo, StationApi } from '../../shared/api/station-api.ts';

export const API_BASE_PATH = '/api/v1';

export const STATION_NOT_ANSWERING = 'The station is not answering. Check that the station computer is on and the station is running, then try again.';

/** The part of a fetch Response this transport reads. */
export interface FetchResponseLike {
  readonly status: number;
  text(): Promise<string>;
}
export interface FetchInitLike {
  method: string;
  headers: Record<string, string>;
  body?: string;
  credentials: 'same-origin';
}
export type FetchLike = (url: string, init: FetchInitLike) => Promise<FetchResponseLike>;

export interface HttpTransportOptions {
  /** Defaults to the global `fetch`. */
  fetch?: FetchLike;
  /** Prefix of the API paths; defaults to `/api/v1` (same origin). */
  basePath?: string;
  /** Called whenever the station answers UNAUTHORIZED (no session, or it expired). */
  onUnauthorized?: () => void;
}

export interface SetupStatus {
  needsFirstSupervisor: boolean;
  /** The page was opened on the station computer itself. */
  local: boolean;
}

export interface Credentials {
  username: string;
  password: string;
}

/** Sign-in and first-run calls of the headless transport. */
export interface SessionClient {
  getSetupStatus(): Promise<ApiResult<SetupStatus>>;
  createFirstSupervisor(credentials: Credentials): Promise<ApiResult<SessionInfo>>;
  login(credentials: Credentials): Promise<ApiResult<SessionInfo>>;
  logout(): Promise<ApiResult<null>>;
  /** The current session, or `null` when there is none (not an error). */
  whoami(): Promise<ApiResult<SessionInfo | null>>;
}

export type ExportKind = 'audit' | 'conflicts' | 'quarantine';

function fail(code: ApiErrorCode, message: string): { ok: false; error: ApiError } {
  return { ok: false, error: { code, message } };
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function codeForStatus(status: number): ApiErrorCode {
  if (status === 401) return 'UNAUTHORIZED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 429) return 'TOO_MANY_ATTEMPTS';
  if (status >= 400 && status < 500) return 'BAD_REQUEST';
  return 'INTERNAL';
}

function errorOf(body: unknown, status: number): ApiError {
  const raw = isRecord(body) && isRecord(body['error']) ? body['error'] : null;
  // Codes are the contract's closed union; the contract module is not imported at run time
  // (it would bundle zod), so a code is trusted as sent when it is a non-empty string.
  const code = raw !== null && typeof raw['code'] === 'string' && /^[A-Z_]+$/.test(raw['code']) ? (raw['code'] as ApiErrorCode) : codeForStatus(status);
  const message = raw !== null && typeof raw['message'] === 'string' && raw['message'] !== '' ? raw['message'] : `The station refused the request (HTTP ${status}).`;
  return { code, message };
}

/**
 * Turns one HTTP answer into an `ApiResult`. Accepts both the wrapped form
 * (`{ok:true,value}` / `{ok:false,error}`) and, on 2xx, a bare value (session routes).
 */
export function resultOfResponse<T>(status: number, text: string): ApiResult<T> {
  let body: unknown = null;
  if (text.trim() !== '') {
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      return fail('INTERNAL', `The station sent an answer the dashboard cannot read (HTTP ${status}). Reload the page; if it persists, restart the station.`);
    }
  }
  if (status >= 200 && status < 300) {
    if (isRecord(body) && body['ok'] === true && 'value' in body) return { ok: true, value: body['value'] as T };
    if (isRecord(body) && body['ok'] === false) return { ok: false, error: errorOf(body, status) };
    return { ok: true, value: body as T };
  }
  return { ok: false, error: errorOf(body, status) };
}

interface Requester {
  request<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<ApiResult<T>>;
}

function createRequester(options: HttpTransportOptions): Requester {
  const basePath = options.basePath ?? API_BASE_PATH;
  const doFetch: FetchLike = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
  return {
    async request<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<ApiResult<T>> {
      const headers: Record<string, string> = { Accept: 'application/json' };
      const init: FetchInitLike = { method, headers, credentials: 'same-origin' };
      if (body !== undefined) {
        headers['Content-Type'] = 'application/json';
        init.body = JSON.stringify(body);
      }
      let status: number;
      let text: string;
      try {
        const response = await doFetch(`${basePath}${path}`, init);
        status = response.status;
        text = await response.text();
      } catch {
        return fail('INTERNAL', STATION_NOT_ANSWERING);
      }
      const result = resultOfResponse<T>(status, text);
      if (!result.ok && result.error.code === 'UNAUTHORIZED') options.onUnauthorized?.();
      return result;
    },
  };
}

/** The `StationApi` over HTTP: one typed method per contract method. */
export function createHttpStationApi(options: HttpTransportOptions = {}): StationApi {
  const requester = createRequester(options);
  const call = <M extends ApiMethod>(method: M) => (args: ApiArgs<M>): Promise<ApiResult<ApiResults[M]>> => requester.request<ApiResults[M]>('POST', `/${method}`, args);
  return {
    getOverview: call('getOverview'),
    listConflicts: call('listConflicts'),
    getConflict: call('getConflict'),
    resolveConflict: call('resolveConflict'),
    overrideResolution: call('overrideResolution'),
    listWells: call('listWells'),
    getWell: call('getWell'),
    listRecords: call('listRecords'),
    listDevices: call('listDevices'),
    revokeDevice: call('revokeDevice'),
    createPairingCode: call('createPairingCode'),
    listAudit: call('listAudit'),
    verifyAudit: call('verifyAudit'),
    listQuarantine: call('listQuarantine'),
    getSettings: call('getSettings'),
    updateSettings: call('updateSettings'),
    getRelayStatus: call('getRelayStatus'),
  };
}

/** Sign-in, sign-out and first run over HTTP. */
export function createHttpSessionClient(options: HttpTransportOptions = {}): SessionClient {
  // A failed sign-in is UNAUTHORIZED too, but it is not an expired session: do not report it.
  const quiet = createRequester({ ...options, onUnauthorized: () => undefined });
  return {
    getSetupStatus: () => quiet.request<SetupStatus>('GET', '/setup'),
    createFirstSupervisor: (credentials) => quiet.request<SessionInfo>('POST', '/setup', credentials),
    login: (credentials) => quiet.request<SessionInfo>('POST', '/session', credentials),
    async logout() {
      const result = await quiet.request<unknown>('DELETE', '/session');
      return result.ok ? { ok: true, value: null } : result;
    },
    async whoami() {
      const result = await quiet.request<SessionInfo>('GET', '/session');
      if (!result.ok && result.error.code === 'UNAUTHORIZED') return { ok: true, value: null };
      return result;
    },
  };
}

/** Same-origin URL of a CSV export. */
export function exportUrlOf(kind: ExportKind, basePath: string = API_BASE_PATH): string {
  return `${basePath}/export/${kind}.csv`;
}
