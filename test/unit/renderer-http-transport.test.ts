/**
 * The dashboard's HTTP transport: every StationApi call is a same-origin JSON POST of its
 * arguments; it never throws (a dead station is an INTERNAL result a person can act on);
 * an expired session is reported once so the dashboard can show the sign-in screen.
 */
import { describe, expect, it } from 'vitest';
import type { FetchInitLike, FetchLike } from '../../src/renderer/api/http-transport.ts';
import { createHttpSessionClient, createHttpStationApi, exportUrlOf, resultOfResponse } from '../../src/renderer/api/http-transport.ts';

interface Call {
  url: string;
  init: FetchInitLike;
}

function fakeFetch(status: number, body: string, calls: Call[] = []): FetchLike {
  return async (url, init) => {
    calls.push({ url, init });
    return { status, text: async () => body };
  };
}

describe('createHttpStationApi', () => {
  it('POSTs the JSON arguments to /api/v1/{method} as JSON and returns the value', async () => {
    const calls: Call[] = [];
    const api = createHttpStationApi({ fetch: fakeFetch(200, JSON.stringify({ ok: true, value: [] }), calls) });
    const result = await api.listConflicts({ open: true, type: 'EQUIPMENT_INSPECTED' });
    expect(result).toEqual({ ok: true, value: [] });
    expect(calls).toHaveLength(1);
    const [call] = calls;
    expect(call?.url).toBe('/api/v1/listConflicts');
    expect(call?.init.method).toBe('POST');
    expect(call?.init.headers['Content-Type']).toBe('application/json');
    expect(call?.init.credentials).toBe('same-origin');
    expect(JSON.parse(call?.init.body ?? 'null')).toEqual({ open: true, type: 'EQUIPMENT_INSPECTED' });
  });

  it('passes a refusal through with its code and message', async () => {
    const body = JSON.stringify({ ok: false, error: { code: 'COMMENT_REQUIRED', message: 'Write a comment.' } });
    const api = createHttpStationApi({ fetch: fakeFetch(400, body) });
    expect(await api.resolveConflict({ conflictId: 'c1', choice: { choose: 'e1' }, comment: '' })).toEqual({ ok: false, error: { code: 'COMMENT_REQUIRED', message: 'Write a comment.' } });
  });

  it('a station that does not answer is an INTERNAL result, never a thrown error', async () => {
    const api = createHttpStationApi({
      fetch: async () => {
        throw new TypeError('Failed to fetch');
      },
    });
    const result = await api.getOverview({});
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL', message: expect.stringMatching(/^The station is not answering/) as unknown } });
  });

  it('an unreadable answer is INTERNAL too', async () => {
    const api = createHttpStationApi({ fetch: fakeFetch(502, '<html>Bad gateway</html>') });
    const result = await api.listWells({});
    expect(result.ok ? null : result.error.code).toBe('INTERNAL');
  });

  it('an expired session is reported to onUnauthorized', async () => {
    let ended = 0;
    const body = JSON.stringify({ ok: false, error: { code: 'UNAUTHORIZED', message: 'Sign in again.' } });
    const api = createHttpStationApi({ fetch: fakeFetch(401, body), onUnauthorized: () => (ended += 1) });
    await api.listDevices({});
    expect(ended).toBe(1);
  });

  it('a viewer refused a mutating call gets FORBIDDEN, and the session is not ended', async () => {
    let ended = 0;
    const body = JSON.stringify({ ok: false, error: { code: 'FORBIDDEN', message: 'Viewers cannot decide.' } });
    const api = createHttpStationApi({ fetch: fakeFetch(403, body), onUnauthorized: () => (ended += 1) });
    const result = await api.revokeDevice({ deviceId: 'tab-1' });
    expect(result.ok ? null : result.error.code).toBe('FORBIDDEN');
    expect(ended).toBe(0);
  });
});

describe('resultOfResponse', () => {
  it('maps an error without a body to a code from the HTTP status', () => {
    expect(resultOfResponse(429, '')).toEqual({ ok: false, error: { code: 'TOO_MANY_ATTEMPTS', message: 'The station refused the request (HTTP 429).' } });
    expect(resultOfResponse(404, '')).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('accepts a bare value on 2xx (the session routes)', () => {
    expect(resultOfResponse(201, JSON.stringify({ username: 'sup', role: 'supervisor', expiresAt: 'x' }))).toEqual({ ok: true, value: { username: 'sup', role: 'supervisor', expiresAt: 'x' } });
    expect(resultOfResponse(204, '')).toEqual({ ok: true, value: null });
  });
});

describe('createHttpSessionClient', () => {
  it('whoami without a session is "nobody", not an error', async () => {
    const client = createHttpSessionClient({ fetch: fakeFetch(401, JSON.stringify({ ok: false, error: { code: 'UNAUTHORIZED', message: 'no' } })) });
    expect(await client.whoami()).toEqual({ ok: true, value: null });
  });

  it('login POSTs the credentials; a wrong password is UNAUTHORIZED', async () => {
    const calls: Call[] = [];
    const client = createHttpSessionClient({ fetch: fakeFetch(401, JSON.stringify({ ok: false, error: { code: 'UNAUTHORIZED', message: 'Wrong username or password.' } }), calls) });
    const result = await client.login({ username: 'sup', password: 'x' });
    expect(result.ok ? null : result.error.code).toBe('UNAUTHORIZED');
    expect(calls[0]?.url).toBe('/api/v1/session');
    expect(calls[0]?.init.method).toBe('POST');
  });

  it('logout is a DELETE with no body', async () => {
    const calls: Call[] = [];
    const client = createHttpSessionClient({ fetch: fakeFetch(204, '', calls) });
    expect(await client.logout()).toEqual({ ok: true, value: null });
    expect(calls[0]?.init.method).toBe('DELETE');
    expect(calls[0]?.init.body).toBeUndefined();
  });

  it('setup status is a GET', async () => {
    const calls: Call[] = [];
    const client = createHttpSessionClient({ fetch: fakeFetch(200, JSON.stringify({ needsFirstSupervisor: true, local: false }), calls) });
    expect(await client.getSetupStatus()).toEqual({ ok: true, value: { needsFirstSupervisor: true, local: false } });
    expect(calls[0]?.init.method).toBe('GET');
  });
});

it('CSV exports are same-origin URLs under /api/v1/export', () => {
  expect(exportUrlOf('audit')).toBe('/api/v1/export/audit.csv');
  expect(exportUrlOf('quarantine')).toBe('/api/v1/export/quarantine.csv');
});
