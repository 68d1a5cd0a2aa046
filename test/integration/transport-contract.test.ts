/**
 * One contract suite, two transports: the renderer's HTTP transport against the headless
 * UI listener, and the IPC transport (the preload's invoke API over registerStationApi)
 * through an in-process channel pair — no Electron needed. Both must answer the same.
 * Plus the IPC adapter's own guarantees: every method registered, foreign senders refused,
 * bad payloads answered with a clear error.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { API_METHOD_NAMES, ipcChannelOf } from '../../src/shared/api/api-methods.ts';
import { createInvokeApi } from '../../src/shared/api/invoke-api.ts';
import type { StationApi } from '../../src/shared/api/station-api.ts';
import { ownWindowCheck, registerStationApi, type IpcMainLike, type IpcSender } from '../../src/main/ipc/register-station-api.ts';
import { createStation, type Station } from '../../src/main/station/create-station.ts';
import { createPairingCode } from '../../src/main/station/devices/device-auth.ts';
import { silentLogger } from '../../src/main/station/logger.ts';
import { addUser } from '../../src/main/headless/users.ts';
import { createHttpStationApi } from '../../src/renderer/api/http-transport.ts';
import { ev } from '../support/events.ts';
import { Tablet } from '../support/lan-client.ts';
import { UiClient } from '../support/ui-client.ts';
import { makeTempDir } from '../support/temp-store.ts';

const OWN_WINDOW: IpcSender = { sender: { id: 7 }, senderFrame: { url: 'file:///opt/wellos/out/renderer/index.html' } };

class ChannelPair implements IpcMainLike {
  readonly handlers = new Map<string, (event: IpcSender, args: unknown) => Promise<unknown>>();
  handle(channel: string, listener: (event: IpcSender, args: unknown) => Promise<unknown>): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  invoke(event: IpcSender, channel: string, args: unknown): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (handler === undefined) return Promise.reject(new Error(`No handler registered for '${channel}'`));
    // Electron copies arguments with the structured clone algorithm.
    return handler(event, structuredClone(args));
  }
}

let station: Station;
let urls: { lan: string; ui: string };
let ipc: ChannelPair;

beforeEach(async () => {
  station = createStation({ dataDir: makeTempDir(), lanHost: '127.0.0.1', lanPort: 0, uiPort: 0, logger: silentLogger(), timeZone: 'America/Denver', staticDir: null });
  urls = await station.start();
  ipc = new ChannelPair();
  registerStationApi(ipc, station.api, ownWindowCheck(() => 7, ['file://']), { username: 'laptop-user', role: 'supervisor' });
  addUser(station.db, { username: 'marta', role: 'supervisor', password: 'supervisor-pw', now: new Date(), actor: 'test' });
});
afterEach(async () => {
  await station.stop();
});

async function httpApi(): Promise<StationApi> {
  const ui = new UiClient(urls.ui);
  await ui.login('marta', 'supervisor-pw');
  return createHttpStationApi({ basePath: `${urls.ui}/api/v1`, fetch: (url, init) => fetch(url, { ...init, headers: { ...(init?.headers as Record<string, string>), cookie: ui.cookie } }) });
}

function ipcApi(): StationApi {
  return createInvokeApi((channel, args) => ipc.invoke(OWN_WINDOW, channel, args));
}

async function makeConflict(): Promise<void> {
  for (const [device, result] of [['tab-A', 'PASS'], ['tab-B', 'FAIL']] as const) {
    const t = new Tablet(urls.lan, device);
    await t.pair(createPairingCode(station.db, { now: new Date(), actor: 'test' }).code);
    await t.sync([ev.inspection({ result }, { id: `insp-${device}` })]);
  }
}

describe.each([
  ['HTTP (renderer transport, headless UI listener)', httpApi],
  ['IPC (preload invoke API, registerStationApi)', async () => ipcApi()],
])('StationApi contract over %s', (_name, makeApi) => {
  it('lists, details and resolves a safety conflict; the record is OK afterwards', async () => {
    await makeConflict();
    const api = await makeApi();
    const list = await api.listConflicts({});
    expect(list.ok && list.value.map((c) => c.status)).toEqual(['PENDING_REVIEW']);
    const id = list.ok ? (list.value[0]?.conflictId ?? '') : '';
    const detail = await api.getConflict({ conflictId: id });
    expect(detail.ok && detail.value.commentRequired).toBe(true);
    expect(await api.resolveConflict({ conflictId: id, choice: { choose: 'insp-tab-B' }, comment: '' })).toMatchObject({ ok: false, error: { code: 'COMMENT_REQUIRED' } });
    expect(await api.resolveConflict({ conflictId: id, choice: { choose: 'insp-tab-B' }, comment: 'belt cracked' })).toMatchObject({ ok: true, value: { version: 3 } });
    const records = await api.listRecords({ wellId: 'W-42' });
    expect(records.ok && records.value.map((r) => r.status)).toEqual(['OK']);
  });

  it('answers bad arguments and unknown conflicts with a coded error, never a throw', async () => {
    const api = await makeApi();
    expect(await api.getConflict({ conflictId: '' })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await api.getConflict({ conflictId: 'cf-none' })).toMatchObject({ ok: false, error: { code: 'CONFLICT_NOT_FOUND' } });
    expect(await api.updateSettings({ policy: { EQUIPMENT_REPAIRED: 'HIGHEST_VALUE' } })).toMatchObject({ ok: false, error: { code: 'POLICY_LOCKED' } });
  });

  it('reads the overview, settings and audit the same way', async () => {
    const api = await makeApi();
    const overview = await api.getOverview({});
    expect(overview).toMatchObject({ ok: true, value: { stationId: station.identity.stationId, timeZone: 'America/Denver', pendingReview: 0 } });
    expect(await api.getSettings({})).toMatchObject({ ok: true, value: { timeZone: 'America/Denver', allowedStrategies: { EQUIPMENT_INSPECTED: ['MANUAL_REVIEW'] } } });
    expect(await api.verifyAudit({})).toMatchObject({ ok: true, value: { ok: true } });
  });
});

describe('IPC adapter', () => {
  it('registers exactly one handler per StationApi method, on the declared channels', () => {
    expect([...ipc.handlers.keys()].sort()).toEqual(API_METHOD_NAMES.map(ipcChannelOf).sort());
  });

  it('refuses a foreign frame and another webContents', async () => {
    const foreignUrl = await ipc.invoke({ sender: { id: 7 }, senderFrame: { url: 'https://evil.example/' } }, ipcChannelOf('getOverview'), {});
    const otherContents = await ipc.invoke({ sender: { id: 8 }, senderFrame: { url: 'file:///x/index.html' } }, ipcChannelOf('getOverview'), {});
    const noFrame = await ipc.invoke({ sender: { id: 7 }, senderFrame: null }, ipcChannelOf('getOverview'), {});
    for (const r of [foreignUrl, otherContents, noFrame]) expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('validates payloads with the shared schema before the core sees them', async () => {
    expect(await ipc.invoke(OWN_WINDOW, ipcChannelOf('listConflicts'), { limit: -1 })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await ipc.invoke(OWN_WINDOW, ipcChannelOf('revokeDevice'), 42)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    // The positional form of protocol §4 is the same call: revokeDevice(deviceId).
    expect(await ipc.invoke(OWN_WINDOW, ipcChannelOf('revokeDevice'), 'tab-unknown')).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('an invoke the main process cannot answer becomes an INTERNAL result, not a throw', async () => {
    const api = createInvokeApi(() => Promise.reject(new Error('main process gone')));
    expect(await api.getOverview({})).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });
});
